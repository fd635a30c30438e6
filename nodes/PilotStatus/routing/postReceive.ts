import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PostReceiveAction,
} from 'n8n-workflow';

import { listInAnswer, unreadableResponseError } from '../errors/nodeErrors';
import { subjectOf } from './hooks';
import {
	isPlainObject,
	maskSecret,
	normalizeDeliveryLog,
	normalizeWebhook,
	simplifyWebhook,
	normalizeApiKey,
	normalizeConnectionStatus,
	normalizeCreatedNumber,
	normalizeNumber,
	normalizePairing,
	normalizePairingInfo,
	normalizeRemotePairingLink,
	simplifyNumber,
} from '../output/normalize';
import { decodeQrCode, qrCodeFileName } from '../output/qrCode';
import { runsAsTool } from '../descriptions/tool';
import { pilotStatusRequest } from '../transport/request';
import { usableWebhookId } from '../pilotStatusWebhooks/webhookApi';

// postReceive hooks: turn a 2xx answer into output items. They never throw: a 2xx answer may
// confirm a change (a number created, a key replaced), and its item must come out whatever the
// shape of the rest of the answer or what else goes wrong (a QR file that cannot be stored).

type Hook = IExecuteSingleFunctions;

/** The answer's list, or the node's "cannot read" error naming the resource. */
function listOf(hook: Hook, response: IN8nHttpFullResponse): IDataObject[] {
	const list = listInAnswer(response.body);
	if (list) return list;
	throw unreadableResponseError(hook.getNode(), response.body, {
		resource: hook.getNodeParameter('resource') as string,
		itemIndex: hook.getItemIndex(),
	});
}

/** List endpoints answer with a bare array: one item per element, each linked to its input item. */
export async function splitList(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	const list = listOf(this, response);
	return list.map((json) => ({ json, pairedItem: { item: this.getItemIndex() } }));
}

function mapJson(transform: (json: IDataObject, hook: Hook) => IDataObject): PostReceiveAction {
	return async function (this: Hook, items: INodeExecutionData[]) {
		return items.map((item) => ({ ...item, json: transform(item.json, this) }));
	};
}

function simplified(hook: Hook): boolean {
	return hook.getNodeParameter('simplify', true) !== false;
}

export const outputNumber = mapJson((json, hook) => {
	const number = normalizeNumber(json);
	return simplified(hook) ? simplifyNumber(number) : number;
});

/**
 * In a manual run, executing a later step runs this node again (n8n re-runs unpinned nodes), so the
 * item says what happened, where the builder looks: the output.
 */
function doneWhileBuilding(hook: IExecuteSingleFunctions, what: string): IDataObject {
	return hook.getMode() === 'manual'
		? {
				manualRunNotice: `This manual run ${what}. Pin this output (P) while you build: executing a later step runs this node again and does it again.`,
			}
		: {};
}

const provisionedWhileBuilding = (hook: IExecuteSingleFunctions) =>
	doneWhileBuilding(hook, 'provisioned a number in your Pilot Status account');

/** Message → Send: after its own output step, so the notice sits on every sent item. */
export const noteManualSend = mapJson((json, hook) => ({
	...json,
	...doneWhileBuilding(hook, 'sent a real WhatsApp message'),
}));

export const outputCreatedNumber = mapJson((json, hook) => ({
	...normalizeCreatedNumber(json),
	...provisionedWhileBuilding(hook),
}));

export const outputConnectionStatus = mapJson((json, hook) =>
	normalizeConnectionStatus(json, subjectOf(hook)),
);

export const outputRemotePairingLink = mapJson((json, hook) => {
	const { sendViaWhatsApp } = hook.getNodeParameter('options', {}) as IDataObject;
	return {
		...normalizeRemotePairingLink(json, sendViaWhatsApp === true),
		...provisionedWhileBuilding(hook),
	};
});

export const outputPairingInfo = mapJson((json) => normalizePairingInfo(json));

export const outputPairing = mapJson((json, hook) => normalizePairing(json, subjectOf(hook)));

export const outputDeleted = mapJson((_json, hook) => ({
	numberId: subjectOf(hook) ?? null,
	deleted: true,
}));

/** Keys and key IDs are secrets: Get Many shows `ps_…wxyz` unless the user asks to reveal them. */
export const outputApiKeys = mapJson((json, hook) => {
	const key = normalizeApiKey(json);
	const { revealKeys } = hook.getNodeParameter('options', {}) as { revealKeys?: boolean };
	// Never to an AI model: the option is hidden on the tool, but an imported workflow may carry it.
	const reveal = revealKeys === true && !runsAsTool(hook.getNode());
	return reveal ? key : { ...key, key: maskSecret(key.key), keyId: maskSecret(key.keyId) };
});

/**
 * The QR code becomes a PNG file in binary data; the JSON keeps everything else. A missing or broken
 * QR code gives no file and says why in `qrCodeError`: the number exists by now, so its item still
 * comes out, and Connect gives a fresh code.
 */
export async function qrCodeToBinary(
	this: Hook,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	const body =
		response.body && typeof response.body === 'object' ? (response.body as IDataObject) : {};
	const raw = body.qrcodeBase64;
	const decoded = decodeQrCode(raw);
	const binaryPropertyName =
		String(this.getNodeParameter('binaryPropertyName', 'data') ?? '').trim() || 'data';
	const { includeQrCodeBase64 } = this.getNodeParameter('options', {}) as {
		includeQrCodeBase64?: boolean;
	};
	if (runsAsTool(this.getNode())) {
		// n8n drops binary data on the way to the model, and base64 text is of no use to it.
		return items.map((item) => ({
			...item,
			json: {
				...item.json,
				qrCode:
					'The QR code image is only available when this node runs as a normal workflow step, not in a chat. Give the customer the pairing code, or create a remote pairing link (Number → Create Remote Pairing Link), whose page always shows a fresh QR code.',
			},
		}));
	}
	return await Promise.all(
		items.map(async (item) => {
			if (decoded.problem !== undefined) {
				return {
					...item,
					json: {
						...item.json,
						qrCodeError: `Pilot Status sent no usable QR code (${decoded.problem}), so no file was created. Run Number → Connect (or Remote Pairing → Connect) for a fresh code.`,
					},
				};
			}
			const label =
				item.json.number ??
				item.json.numberId ??
				item.json.id ??
				(this.getNodeParameter('resource') === 'remotePairing' ? 'remote-pairing' : undefined);
			const json = includeQrCodeBase64 ? { ...item.json, qrCodeBase64: raw } : item.json;
			try {
				const file = await this.helpers.prepareBinaryData(
					decoded.png,
					qrCodeFileName(typeof label === 'string' ? label : undefined),
					'image/png',
				);
				return { ...item, json, binary: { ...item.binary, [binaryPropertyName]: file } };
			} catch (error) {
				// n8n's binary data store failed (disk, S3...): the pairing itself went through.
				return {
					...item,
					json: {
						...json,
						qrCodeError: `n8n could not store the QR code as a file (${(error as Error).message}). Run Number → Connect (or Remote Pairing → Connect) for a fresh code once that is fixed.`,
					},
				};
			}
		}),
	);
}

function revealsSecrets(hook: Hook): boolean {
	// Never to an AI model: the option is hidden on the tool, but an imported workflow may carry it.
	const { revealSecrets } = hook.getNodeParameter('options', {}) as IDataObject;
	return revealSecrets === true && !runsAsTool(hook.getNode());
}

/** Get and Get Many offer Simplify; Create and Update output the whole webhook. */
function webhookForOutput(raw: unknown, hook: Hook): IDataObject {
	const webhook = normalizeWebhook(raw, revealsSecrets(hook));
	return hook.getNodeParameter('simplifyWebhook', false) === true
		? simplifyWebhook(webhook)
		: webhook;
}

export const outputWebhook = mapJson((json, hook) => webhookForOutput(json, hook));

/** Get Many: the webhooks of the chosen number only, whatever the service did with the header. */
export async function outputWebhooks(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	const numberId = subjectOf(this);
	const list = listOf(this, response);
	return list
		.map((raw) => webhookForOutput(raw, this))
		.filter((webhook) => !numberId || webhook.numberId === numberId)
		.map((json) => ({ json, pairedItem: { item: this.getItemIndex() } }));
}

function notPaused(
	item: INodeExecutionData,
	why: string,
	fix = 'Pause it with Update → Active.',
): INodeExecutionData {
	return {
		...item,
		json: {
			...item.json,
			activeError: `The webhook was created but could not be paused: ${why} ${fix}`,
		},
	};
}

/**
 * Create with Active off: the docs list no `active` field for creating, so the new webhook is paused
 * right after. If that fails the webhook exists and is active; the item says so instead of failing.
 * Only an ID that stays inside its path segment is used, like a typed one.
 */
export async function pauseIfAsked(this: Hook, items: INodeExecutionData[]) {
	const { active } = this.getNodeParameter('options', {}) as IDataObject;
	if (active !== false) return items;
	return await Promise.all(
		items.map(async (item) => {
			if (item.json.active === false) return item;
			const webhookId = usableWebhookId(item.json.id);
			if (webhookId === undefined) {
				return notPaused(
					item,
					'Pilot Status’s answer named no usable webhook ID, so it is probably delivering already.',
					'Find it with Webhook → Get Many and pause it with Update → Active.',
				);
			}
			try {
				const { body } = await pilotStatusRequest.call(this, {
					method: 'PATCH',
					path: `/v1/webhooks/${encodeURIComponent(webhookId)}`,
					body: { active: false },
					failure: { resource: 'webhook', subject: webhookId, changes: true },
				});
				// The PATCH answer lacks the number and the raw URL: only what it changed is taken.
				const patched = isPlainObject(body) ? body : {};
				if (patched.active === true) {
					return notPaused(item, 'Pilot Status answered that it is still active.');
				}
				const { updatedAt } = normalizeWebhook(patched);
				return {
					...item,
					json: { ...item.json, active: false, updatedAt: updatedAt ?? item.json.updatedAt },
				};
			} catch (error) {
				return notPaused(item, (error as Error).message);
			}
		}),
	);
}

export const outputWebhookDeleted = mapJson((_json, hook) => ({
	webhookId: subjectOf(hook) ?? null,
	deleted: true,
}));

/**
 * Delivery logs, newest first, each with its attempt number. The service retries a failed delivery
 * with the same payload, so attempts of one event share its event, `data.id` and `createdAt`. The
 * last one also tells separate events apart where `data.id` is the number's own ID (one reading of
 * the docs): unlike the trigger, the logs always have the whole payload to compare.
 */
export async function outputDeliveryLogs(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	const logs = listOf(this, response)
		.map((raw) => normalizeDeliveryLog(raw, subjectOf(this)))
		.sort((a, b) => String(a.createdAt ?? '').localeCompare(String(b.createdAt ?? '')));
	const attempts = new Map<string, number>();
	for (const log of logs) {
		const payload = isPlainObject(log.payload) ? log.payload : {};
		if (log.attempt !== null || !log.eventId) continue;
		const key = `${String(log.event)}:${String(log.eventId)}@${String(payload.createdAt ?? '')}`;
		attempts.set(key, (attempts.get(key) ?? 0) + 1);
		log.attempt = attempts.get(key) as number;
	}
	return logs.reverse().map((json) => ({ json, pairedItem: { item: this.getItemIndex() } }));
}
