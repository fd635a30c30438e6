import { NodeOperationError } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { apiOrigin, CREDENTIAL_TYPE } from './constants';
import { checkedValue, failedResponseError, noCredentialError, transportError } from './errors';
import {
	maskKey,
	normalizeConnectionStatus,
	normalizeCreatedNumber,
	normalizeNumber,
	normalizePairingInfo,
	normalizeRemotePairingLink,
} from './normalize';
import { decodeQrCode, qrCodeFileName } from './qrCode';
import { checkId, checkLimit, checkPairingToken, checkPhoneNumber, checkText } from './validation';
import type { Checked } from './validation';

// Declarative routing hooks: preSend functions check input and shape the request before anything
// is sent; postReceive functions turn answers into items. The resource builders attach the common
// ones to every operation: requireCredential (or usePublicApiOrigin for remote pairing) and
// throwOnApiError.

type Hook = IExecuteSingleFunctions;

function accept<T>(hook: Hook, checked: Checked<T>): T {
	return checkedValue(hook.getNode(), hook.getItemIndex(), checked);
}

// The checked number ID of each item, for the error messages after the request. Looking it up
// again would evaluate its expression again, and n8n's sandboxed expressions cost ~1 ms each.
const numberIds = new WeakMap<Hook, string>();

function numberIdParameter(hook: Hook): string {
	const id = accept(
		hook,
		checkId(hook.getNodeParameter('numberId', undefined, { extractValue: true }), 'Number'),
	);
	numberIds.set(hook, id);
	return id;
}

function pairingTokenParameter(hook: Hook): string {
	return accept(
		hook,
		checkPairingToken(hook.getNodeParameter('pairingLink'), 'Pairing Link or Token'),
	);
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- before the request -------------------------------------------------------------------------

/** Remote pairing runs without a credential, so its API host comes from the node's options. */
export async function usePublicApiOrigin(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { apiBaseUrl } = this.getNodeParameter('options', {}) as IDataObject;
	return { ...requestOptions, baseURL: apiOrigin(apiBaseUrl) };
}

export async function requireCredential(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!this.getNode().credentials?.[CREDENTIAL_TYPE])
		throw noCredentialError(this.getNode(), this.getItemIndex());
	return requestOptions;
}

/** `/v1/numbers/<id><suffix>` with the ID checked and encoded, so it stays one path segment. */
export function numberPath(suffix = ''): PreSendAction {
	return async function (
		this: Hook,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const id = numberIdParameter(this);
		return { ...requestOptions, url: `/v1/numbers/${encodeURIComponent(id)}${suffix}` };
	};
}

export function pairingTokenPath(suffix = ''): PreSendAction {
	return async function (
		this: Hook,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = pairingTokenParameter(this);
		return { ...requestOptions, url: `/v1/remote-pairing/${encodeURIComponent(token)}${suffix}` };
	};
}

export async function numberIdInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = isPlainObject(requestOptions.body) ? requestOptions.body : {};
	return { ...requestOptions, body: { ...body, whatsappNumberId: numberIdParameter(this) } };
}

/** Name and phone of a new number (Create, Create Remote Pairing Link). */
export async function checkNewNumber(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = isPlainObject(requestOptions.body) ? requestOptions.body : {};
	return {
		...requestOptions,
		body: {
			...body,
			name: accept(this, checkText(body.name, 'Name')),
			number: accept(this, checkPhoneNumber(body.number, 'Phone Number')),
		},
	};
}

/** Get Many: RoutingNode applies Limit after the call, so a bad value must be refused here. */
export async function checkListLimit(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!this.getNodeParameter('returnAll', false))
		accept(this, checkLimit(this.getNodeParameter('limit', 50)));
	return requestOptions;
}

// --- around the request -------------------------------------------------------------------------

/**
 * RoutingNode's only hook around the HTTP call itself is the pagination function, so every
 * operation routes through this one: it turns "no answer at all" (refused, reset, timed out)
 * into a message that points at the Base URL and never carries the request's headers.
 */
export async function sendRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	try {
		return await this.makeRoutingRequest(requestData);
	} catch (error) {
		// Public calls carry their origin; the credential's authenticate sets it for the others.
		const origin =
			requestData.options.baseURL ??
			apiOrigin((await this.getCredentials(CREDENTIAL_TYPE)).baseUrl);
		throw transportError(this.getNode(), error, String(origin), this.getItemIndex()) ?? error;
	}
}

// --- after the request --------------------------------------------------------------------------

/** The number this item's request was about, when there was one. */
function subject(hook: Hook): string | undefined {
	return numberIds.get(hook);
}

/** First postReceive of every operation: non-2xx answers and unreadable bodies become errors. */
export async function throwOnApiError(
	this: Hook,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	const error = failedResponseError(this.getNode(), response, {
		resource: this.getNodeParameter('resource') as string,
		subject: subject(this),
		itemIndex: this.getItemIndex(),
	});
	if (error) throw error;
	return items;
}

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

export const outputNumber = mapJson((json) => normalizeNumber(json));

export const outputCreatedNumber = mapJson((json) => normalizeCreatedNumber(json));

export const outputConnectionStatus = mapJson((json, hook) =>
	normalizeConnectionStatus(json, subject(hook)),
);

export const outputRemotePairingLink = mapJson((json) => normalizeRemotePairingLink(json));

export const outputPairingInfo = mapJson((json) => normalizePairingInfo(json));

export const outputPairing = mapJson((json, hook) => ({
	...(subject(hook) ? { numberId: subject(hook) } : {}),
	pairingCode: json.pairingCode ?? null,
	state: 'CONNECTING',
}));

export const outputDeleted = mapJson((_json, hook) => ({
	numberId: subject(hook),
	deleted: true,
}));

/** Key values are secrets: Get Many shows `ps_…wxyz` unless the user asks to reveal them. */
export const outputApiKeys = mapJson((json, hook) => {
	const { revealKeys } = hook.getNodeParameter('options', {}) as { revealKeys?: boolean };
	return revealKeys ? json : { ...json, key: maskKey(json.key) };
});

/** The QR code becomes a PNG file in binary data; the JSON keeps everything else. */
export async function qrCodeToBinary(
	this: Hook,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	const raw = isPlainObject(response.body) ? response.body.qrcodeBase64 : undefined;
	const decoded = decodeQrCode(raw);
	if (decoded.problem !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`Pilot Status sent no usable QR code: ${decoded.problem}`,
			{
				itemIndex: this.getItemIndex(),
				description:
					'No file was created. Run Number → Connect (or Remote Pairing → Connect) for a fresh QR code; if it keeps failing, the service may be having trouble.',
			},
		);
	}
	const binaryPropertyName =
		(this.getNodeParameter('binaryPropertyName', 'data') as string).trim() || 'data';
	const { includeQrCodeBase64 } = this.getNodeParameter('options', {}) as {
		includeQrCodeBase64?: boolean;
	};
	return Promise.all(
		items.map(async (item) => {
			const label = (item.json.number ?? item.json.numberId ?? 'remote-pairing') as string;
			const file = await this.helpers.prepareBinaryData(
				decoded.png,
				qrCodeFileName(label),
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
