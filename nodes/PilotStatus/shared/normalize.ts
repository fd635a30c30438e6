import type { IDataObject } from 'n8n-workflow';

// The docs disagree on several shapes ([C] in the fact sheet). These functions accept every
// documented variant and give workflows one shape, so a change of mind at the service does not
// break an IF node downstream.

/** `CLOSE` (OpenAPI pages) and `CLOSED` (rendered status page) are the same state. */
export function normalizeState(value: unknown): string | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const state = value.trim().toUpperCase();
	return state === 'CLOSE' ? 'CLOSED' : state;
}

function fullyConnected(flag: unknown, state: string | null): boolean {
	return typeof flag === 'boolean' ? flag : state === 'OPEN';
}

function withoutUndefined(data: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

/** A number from list, get or create; `status` (create response) becomes `state`. */
export function normalizeNumber(raw: IDataObject): IDataObject {
	const { status, state: rawState, isFullyConnected, ...rest } = raw;
	const state = normalizeState(rawState ?? status);
	const { id, name, number, provider, ...details } = rest;
	return withoutUndefined({
		id,
		name,
		number,
		provider,
		state,
		isFullyConnected: fullyConnected(isFullyConnected, state),
		...details,
	});
}

/** `{state, isFullyConnected}` or `{id, state}`: both become `{numberId, state, isFullyConnected}`. */
export function normalizeConnectionStatus(raw: IDataObject, numberId?: string): IDataObject {
	const state = normalizeState(raw.state ?? raw.status);
	return withoutUndefined({
		numberId: (raw.id as string | undefined) ?? numberId,
		state,
		isFullyConnected: fullyConnected(raw.isFullyConnected, state),
	});
}

/** The create response nests the number in `instance`; outputs keep it flat. */
export function normalizeCreatedNumber(raw: IDataObject): IDataObject {
	const instance = (raw.instance ?? {}) as IDataObject;
	return {
		...normalizeNumber(instance),
		pairingCode: raw.pairingCode ?? null,
		linkedApiKeyId: raw.linkedApiKeyId ?? null,
	};
}

/** `https://host/connect/<token>` → `<token>`; query and fragment are ignored. */
export function tokenFromPairingUrl(url: unknown): string | undefined {
	if (typeof url !== 'string') return undefined;
	const segments = url.split(/[?#]/)[0].split('/').filter(Boolean).slice(2);
	const connect = segments.lastIndexOf('connect');
	return connect === -1 ? segments[segments.length - 1] : segments[connect + 1];
}

/**
 * The guide documents `{instance, remotePairingUrl, maskedNumber, messageSent}`, the playground
 * `{provider, remotePairingToken, remotePairingUrl, numberId}`. Both become one flat item.
 */
export function normalizeRemotePairingLink(raw: IDataObject): IDataObject {
	const instance = (raw.instance ?? {}) as IDataObject;
	return withoutUndefined({
		numberId: raw.numberId ?? instance.id,
		token: raw.remotePairingToken ?? tokenFromPairingUrl(raw.remotePairingUrl),
		remotePairingUrl: raw.remotePairingUrl,
		name: instance.name,
		number: instance.number,
		maskedNumber: raw.maskedNumber,
		state: normalizeState(instance.state) ?? 'CLOSED',
		provider: raw.provider ?? 'PILOT_STATUS',
		messageSent: raw.messageSent ?? false,
		messageError: raw.messageError,
	});
}

export function normalizePairingInfo(raw: IDataObject): IDataObject {
	return { ...raw, state: normalizeState(raw.state) };
}

/** `ps_4f1c...wxyz` → `ps_…wxyz`: enough to tell keys apart, useless to an attacker. */
export function maskKey(key: unknown): string | null {
	if (typeof key !== 'string' || key === '') return null;
	return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** `5511999999999` → `+55 11 99999-9999` (Brazilian numbers); other countries as `+<digits>`. */
export function formatPhoneNumber(digits: unknown): string {
	const text = String(digits ?? '').replace(/\D/g, '');
	const brazil = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(text);
	return brazil ? `+55 ${brazil[1]} ${brazil[2]}-${brazil[3]}` : `+${text}`;
}

/** How a number appears in pickers: "Suporte (+55 11 99999-9999) · OPEN". */
export function numberLabel(number: IDataObject): string {
	const state = normalizeState(number.state ?? number.status) ?? 'UNKNOWN';
	return `${number.name ?? number.id} (${formatPhoneNumber(number.number)}) · ${state}`;
}
