import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PostReceiveAction,
} from 'n8n-workflow';

import { subjectOf } from './hooks';
import {
	maskSecret,
	normalizeApiKey,
	normalizeConnectionStatus,
	normalizeCreatedNumber,
	normalizeNumber,
	normalizePairing,
	normalizePairingInfo,
	normalizeRemotePairingLink,
	simplifyNumber,
} from './normalize';
import { decodeQrCode, qrCodeFileName } from './qrCode';

// postReceive hooks: turn a 2xx answer into output items. They never throw: a 2xx answer may
// confirm a change (a number created, a key replaced), and its item must come out whatever the
// shape of the rest of the answer.

type Hook = IExecuteSingleFunctions;

/** List endpoints answer with a bare array: one item per element, each linked to its input item. */
export async function splitList(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	const list = Array.isArray(response.body) ? (response.body as IDataObject[]) : [];
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

export const outputCreatedNumber = mapJson((json) => normalizeCreatedNumber(json));

export const outputConnectionStatus = mapJson((json, hook) =>
	normalizeConnectionStatus(json, subjectOf(hook)),
);

export const outputRemotePairingLink = mapJson((json) => normalizeRemotePairingLink(json));

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
	return revealKeys ? key : { ...key, key: maskSecret(key.key), keyId: maskSecret(key.keyId) };
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
			const file = await this.helpers.prepareBinaryData(
				decoded.png,
				qrCodeFileName(typeof label === 'string' ? label : undefined),
				'image/png',
			);
			return {
				...item,
				json: includeQrCodeBase64 ? { ...item.json, qrCodeBase64: raw } : item.json,
				binary: { ...item.binary, [binaryPropertyName]: file },
			};
		}),
	);
}
