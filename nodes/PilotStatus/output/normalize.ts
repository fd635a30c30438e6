import type { IDataObject } from 'n8n-workflow';

import { maskUrl, redactKeys } from '../errors/redact';
import { tokenFromPairingUrl } from '../input/validation';

// The docs disagree on several shapes ([C] in the fact sheet). These functions accept every
// documented variant and give workflows one shape per answer: the same fields whichever variant
// arrived, null for what the service did not send. A value of an unexpected type never throws:
// the answer may confirm a change that already happened, and its item must still come out.

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown): IDataObject {
	return isPlainObject(value) ? value : {};
}

/** Text or a finite number as text; null for anything else and for blank text. */
export function optionalText(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** The one object inside a wrapper such as `{ data: {...} }` or `{ message: {...} }`, or the object. */
export function unwrappedObject(answer: unknown): IDataObject {
	if (!isPlainObject(answer)) return {};
	const values = Object.values(answer);
	if (values.length === 1 && isPlainObject(values[0])) return values[0];
	return answer;
}

/** A name someone typed: a raw key typed or mapped into it by mistake is not shown again. */
function nameOf(value: unknown): string | null {
	const shown = optionalText(value);
	return shown === null ? null : redactKeys(shown);
}

function flag(value: unknown): boolean | null {
	return typeof value === 'boolean' ? value : null;
}

/** `CLOSE` (OpenAPI pages) and `CLOSED` (rendered status page) are the same state. */
export function normalizeState(value: unknown): string | null {
	const state = optionalText(value)?.trim().toUpperCase() ?? null;
	return state === 'CLOSE' ? 'CLOSED' : state;
}

/**
 * Phone numbers come out in E.164, `+5511999999999`, everywhere (the webhook payloads' format):
 * the service's number lists send bare digits, its events a leading `+`.
 */
export function toE164(value: unknown): string | null {
	const raw = optionalText(value);
	if (raw === null) return null;
	const digits = raw.replace(/[\s().-]/g, '');
	return /^\+?\d{8,15}$/.test(digits) ? `+${digits.replace(/^\+/, '')}` : raw;
}

function fullyConnected(value: unknown, state: string | null): boolean {
	return flag(value) ?? state === 'OPEN';
}

/** A number from list, get or create; `status` (create response) becomes `state`. */
export function normalizeNumber(raw: unknown): IDataObject {
	const {
		status,
		state: rawState,
		isFullyConnected,
		id,
		name,
		number,
		provider,
		...details
	} = object(raw);
	const state = normalizeState(rawState ?? status);
	return {
		id: optionalText(id),
		name: nameOf(name),
		number: toE164(number),
		provider: optionalText(provider),
		state,
		isFullyConnected: fullyConnected(isFullyConnected, state),
		...details,
	};
}

/** The fields Simplify keeps of a number: who it is and whether it is connected. */
export function simplifyNumber(number: IDataObject): IDataObject {
	const { id, name, provider, state, isFullyConnected } = number;
	return { id, name, number: number.number, provider, state, isFullyConnected };
}

/** `{state, isFullyConnected}` or `{id, state}`: both become `{numberId, state, isFullyConnected}`. */
export function normalizeConnectionStatus(raw: unknown, numberId?: string): IDataObject {
	const body = object(raw);
	const state = normalizeState(body.state ?? body.status);
	return {
		numberId: optionalText(body.id) ?? numberId ?? null,
		state,
		isFullyConnected: fullyConnected(body.isFullyConnected, state),
	};
}

/**
 * Wait for Connection's output, the same in both modes: who was waited for (`identity`), whether
 * it connected and why not, the last state seen, the time taken and the status checks made.
 */
export function waitOutcome(
	identity: IDataObject,
	connected: boolean,
	reason: string | null,
	status: IDataObject,
	waitedMs: number,
	polls: number,
): IDataObject {
	return {
		...identity,
		connected,
		reason,
		state: status.state ?? null,
		isFullyConnected: status.isFullyConnected === undefined ? false : status.isFullyConnected,
		waitedSeconds: Math.round(waitedMs / 100) / 10,
		polls,
	};
}

/** The create response nests the number in `instance`; outputs keep it flat. */
export function normalizeCreatedNumber(raw: unknown): IDataObject {
	const body = object(raw);
	return {
		...normalizeNumber(body.instance),
		pairingCode: optionalText(body.pairingCode),
		// A key ID works like the key (the x-api-key-id header), so it is masked like every key ID.
		linkedApiKeyId: maskSecret(optionalText(body.linkedApiKeyId)),
	};
}

/** Connect (by number or by pairing link): the pairing code, and the number being paired. */
export function normalizePairing(raw: unknown, numberId?: string): IDataObject {
	return {
		numberId: numberId ?? null,
		pairingCode: optionalText(object(raw).pairingCode),
		state: 'CONNECTING',
	};
}

/**
 * The guide documents `{instance, remotePairingUrl, maskedNumber, messageSent}`, the playground
 * `{provider, remotePairingToken, remotePairingUrl, numberId}`. Both become one flat item with the
 * same fields; what a variant does not send is null. `messageSent` is false when no message was
 * asked for, and null when one was and the answer does not say how it went.
 */
export function normalizeRemotePairingLink(raw: unknown, sendRequested = false): IDataObject {
	const body = object(raw);
	const instance = object(body.instance);
	return {
		numberId: optionalText(body.numberId) ?? optionalText(instance.id),
		token:
			optionalText(body.remotePairingToken) ?? tokenFromPairingUrl(body.remotePairingUrl) ?? null,
		remotePairingUrl: optionalText(body.remotePairingUrl),
		name: optionalText(instance.name),
		number: toE164(instance.number),
		maskedNumber: optionalText(body.maskedNumber),
		state: normalizeState(instance.state) ?? 'CLOSED',
		provider: optionalText(body.provider) ?? 'PILOT_STATUS',
		messageSent: flag(body.messageSent) ?? (sendRequested ? null : false),
		messageError: optionalText(body.messageError),
	};
}

export function normalizePairingInfo(raw: unknown): IDataObject {
	const body = object(raw);
	return {
		valid: flag(body.valid) ?? true,
		name: optionalText(body.name),
		number: toE164(body.number),
		state: normalizeState(body.state),
	};
}

/**
 * One shape for every answer about an API key: Get Many's list items, Regenerate's new number key
 * and Rotate Own Key's new key of the credential.
 */
export function normalizeApiKey(raw: unknown): IDataObject {
	const body = object(raw);
	const key = optionalText(body.key);
	return {
		numberId: optionalText(body.numberId) ?? optionalText(body.whatsappNumberId),
		number: toE164(body.number),
		numberName: optionalText(body.displayName),
		scope: optionalText(body.scope) ?? (optionalText(body.numberId) ? 'number' : null),
		keyId: optionalText(body.keyId) ?? optionalText(body.id),
		keyPrefix: optionalText(body.keyPrefix) ?? (key ? key.slice(0, 3) : null),
		keyLast4: optionalText(body.keyLast4) ?? (key ? key.slice(-4) : null),
		key,
		revealable: flag(body.revealable),
		createdAt: optionalText(body.createdAt),
	};
}

/** `ps_4f1c...wxyz` → `ps_…wxyz`: enough to tell keys apart, useless to an attacker. */
export function maskSecret(value: unknown): string | null {
	const secret = optionalText(value);
	if (secret === null) return null;
	return secret.length > 10 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : '…';
}

/** How a number appears in pickers: "Suporte (+5511999999999)". No live state: the label is saved. */
export function numberLabel(number: IDataObject): string {
	const phone = toE164(number.number);
	const name = nameOf(number.name) ?? optionalText(number.id) ?? 'Unnamed number';
	return phone ? `${name} (${phone})` : name;
}

/**
 * A webhook URL with its secrets hidden (every query value and the fragment unless harmless, user
 * and password, random-looking path segments and host labels, raw keys; see maskUrl), unless revealed.
 */
export function webhookUrlForOutput(value: unknown, reveal: boolean): string | null {
	const url = optionalText(value);
	if (url === null || reveal) return url;
	return maskUrl(url);
}

/** Registered by a Pilot Status Trigger: `<n8n>/webhook/<id>/webhook?secret=<hex>`. */
function isTriggerUrl(url: string | null): boolean {
	if (!url) return false;
	try {
		const parsed = new URL(url);
		return (
			parsed.pathname.endsWith('/webhook') &&
			/^[0-9a-f]{64}$/.test(parsed.searchParams.get('secret') ?? '')
		);
	} catch {
		return false;
	}
}

/** One shape for every answer about a webhook (list, get, create, update). */
export function normalizeWebhook(raw: unknown, revealSecrets = false): IDataObject {
	const body = object(raw);
	const numberIds = Array.isArray(body.whatsappNumberIds) ? body.whatsappNumberIds : [];
	const name = nameOf(body.name);
	const url = optionalText(body.url);
	return {
		id: optionalText(body.id),
		name,
		url: webhookUrlForOutput(url, revealSecrets),
		numberId: optionalText(numberIds[0]) ?? optionalText(body.whatsappNumberId),
		events: Array.isArray(body.events) ? body.events : [],
		active: flag(body.active) ?? true,
		environment: optionalText(body.environment),
		createdByTrigger: isTriggerUrl(url),
		createdByWaitForConnection: name?.startsWith('n8n Wait for Connection') ?? false,
		lastTriggered: optionalText(body.lastTriggered),
		createdAt: optionalText(body.createdAt),
		updatedAt: optionalText(body.updatedAt),
	};
}

/** The fields Simplify keeps of a webhook. */
export function simplifyWebhook(webhook: IDataObject): IDataObject {
	const { id, name, url, numberId, events, active, createdByTrigger, createdByWaitForConnection } =
		webhook;
	return { id, name, url, numberId, events, active, createdByTrigger, createdByWaitForConnection };
}

/** One delivery attempt from a webhook's log. */
export function normalizeDeliveryLog(raw: unknown, webhookId: string | undefined): IDataObject {
	const body = object(raw);
	const payload = object(body.payload);
	return {
		webhookId: webhookId ?? null,
		event: optionalText(body.event) ?? optionalText(payload.event),
		eventId: optionalText(object(payload.data).id),
		status: optionalText(body.status),
		statusCode: typeof body.statusCode === 'number' ? body.statusCode : null,
		attempt: typeof body.attempt === 'number' ? body.attempt : null,
		durationMs: typeof body.durationMs === 'number' ? body.durationMs : null,
		createdAt: optionalText(body.createdAt),
		response: optionalText(body.response),
		payload: body.payload ?? null,
	};
}

/** How a webhook appears in the picker: "n8n: Onboarding → https://…/webhook/… · active". */
export function webhookLabel(webhook: IDataObject): string {
	const shown = normalizeWebhook(webhook);
	const marker = shown.createdByTrigger
		? ' (Pilot Status Trigger)'
		: shown.createdByWaitForConnection
			? ' (Wait for Connection)'
			: '';
	return `${shown.name ?? shown.id}${marker} → ${shown.url ?? ''} · ${shown.active ? 'active' : 'paused'}`;
}
