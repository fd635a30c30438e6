import { ID_PATTERN, TOKEN_PATTERN } from '../constants';

// Input checks that run before any request is sent. Each returns the cleaned value or a message
// that names the field and says how to fix it; hooks turn messages into input errors (errors.ts).

export type Checked<T> = { value: T; problem?: undefined } | { value?: undefined; problem: string };

const ID = new RegExp(ID_PATTERN);
const TOKEN = new RegExp(TOKEN_PATTERN);
const PHONE_SEPARATORS = /[\s().-]/g;
const PHONE_PATTERN = /^\+?\d{10,15}$/;

/** Quotes user input in a message without flooding it: long values are cut. */
export function quote(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

function asText(value: unknown, field: string): Checked<string> {
	if (typeof value === 'number' && Number.isFinite(value)) return { value: String(value) };
	if (typeof value !== 'string') {
		const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
		return {
			problem: `${field} must be text, but the value is ${kind}. If you map it from an expression, point it at a single value, e.g. {{ $json.id }}.`,
		};
	}
	return { value: value.trim() };
}

/** An ID that goes into a URL path: only IDs shaped like Pilot Status IDs pass (see ID_PATTERN). */
export function checkId(value: unknown, field: string): Checked<string> {
	const text = asText(value, field);
	if (text.problem !== undefined) return text;
	if (text.value === '') {
		return {
			problem: `${field} is empty. Pick it from the list, or map the ID from an earlier node.`,
		};
	}
	// Mapping the wrong field of API Key → Get Many (`key`, `keyId`) is an easy slip in a key rotation
	// workflow. Such a value is never quoted back: messages end up in logs and AI model prompts.
	if (/^ps_/i.test(text.value)) {
		return {
			problem: `${field} holds what looks like an API key (it starts with ps_), not an ID; the value is not repeated here. Map the ID instead, e.g. {{ $json.numberId }} (like num_01HZX9K3).`,
		};
	}
	if (/^key_/i.test(text.value)) {
		return {
			problem: `${field} holds what looks like an API key ID (it starts with key_), not the ID it needs; the value is not repeated here. Map the number's ID instead, e.g. {{ $json.numberId }} (like num_01HZX9K3).`,
		};
	}
	if (!ID.test(text.value) && looksLikePhoneNumber(text.value)) {
		return {
			problem: `${field} ${quote(text.value)} looks like a phone number, not an ID. Use the ID Pilot Status gave it (like num_01HZX9K3): Number → Get Many lists every number with its ID.`,
		};
	}
	if (!ID.test(text.value)) {
		return {
			problem: `${field} ${quote(text.value)} is not a valid ID. Pilot Status IDs look like num_01HZX... (letters, digits, _ - . :).`,
		};
	}
	return text;
}

/** A remote pairing token, or the whole pairing link it came in (`https://.../connect/<token>`). */
export function checkPairingToken(value: unknown, field: string): Checked<string> {
	const text = asText(value, field);
	if (text.problem !== undefined) return text;
	if (text.value === '') {
		return {
			problem: `${field} is empty. Paste the token or the whole link from Create Remote Pairing Link.`,
		};
	}
	const token = /^https?:\/\//i.test(text.value)
		? (tokenFromPairingUrl(text.value) ?? '')
		: text.value;
	if (!TOKEN.test(token)) {
		return {
			problem: `${field} ${quote(text.value)} is not a pairing token or link. Use the remotePairingUrl or token from Create Remote Pairing Link, e.g. https://pilotstatus.com.br/connect/rp_01HZX...`,
		};
	}
	return { value: token };
}

/** Whether a value is shaped like a phone number (a common mix-up with a number's ID). */
export function looksLikePhoneNumber(value: unknown): boolean {
	return typeof value === 'string' && PHONE_PATTERN.test(value.replace(PHONE_SEPARATORS, ''));
}

/** A phone number with country and area code. Spaces, dashes, dots and parentheses are dropped. */
export function checkPhoneNumber(value: unknown, field: string): Checked<string> {
	const text = asText(value, field);
	if (text.problem !== undefined) return text;
	if (text.value === '') {
		return {
			problem: `${field} is empty. Enter it with country and area code, e.g. +5511999999999.`,
		};
	}
	const cleaned = text.value.replace(PHONE_SEPARATORS, '');
	if (!PHONE_PATTERN.test(cleaned)) {
		return {
			problem: `${field} ${quote(text.value)} is not a phone number. Use 10 to 15 digits with country and area code and an optional +, e.g. +55 11 99999-9999.`,
		};
	}
	return { value: cleaned };
}

export function checkText(value: unknown, field: string, maxLength = 100): Checked<string> {
	const text = asText(value, field);
	if (text.problem !== undefined) return text;
	if (text.value === '') return { problem: `${field} is empty. Enter a name, e.g. Support.` };
	if (text.value.length > maxLength) {
		return {
			problem: `${field} is ${text.value.length} characters long; keep it to ${maxLength}.`,
		};
	}
	return text;
}

/** Get Many's Limit when it comes from an expression: a whole number of 1 or more. */
export function checkLimit(value: unknown): Checked<number> {
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		return {
			problem: `Limit ${quote(value)} is not a whole number of 1 or more. Turn on Return All to get everything.`,
		};
	}
	return { value: limit };
}

/** The problems among several checks of one item, so that one message can name every bad field. */
export function problemsOf(...checks: Array<Checked<unknown>>): string[] {
	return checks.flatMap((check) => (check.problem === undefined ? [] : [check.problem]));
}

/** A webhook target: an http(s) address (a query is fine: n8n URLs carry their secret there). */
export function checkWebhookUrl(value: unknown, field: string): Checked<string> {
	const text = asText(value, field);
	if (text.problem !== undefined) return text;
	if (text.value === '')
		return {
			problem: `${field} is empty. Enter the address to deliver to, e.g. https://example.com/hooks/pilot-status.`,
		};
	try {
		const url = new URL(text.value);
		if (url.protocol === 'https:' || url.protocol === 'http:') return { value: url.toString() };
	} catch {
		// reported below
	}
	return {
		problem: `${field} ${quote(text.value)} is not an http(s) address, e.g. https://example.com/hooks/pilot-status.`,
	};
}

/** Events for a webhook: at least one, or it would receive nothing. */
export function checkEvents(value: unknown, field: string): Checked<string[]> {
	const events = Array.isArray(value) ? value.filter((event) => typeof event === 'string') : [];
	if (events.length === 0)
		return {
			problem: `${field} is empty: a webhook without events receives nothing. Choose at least one, or All Events.`,
		};
	return { value: events as string[] };
}

/** `https://host/connect/<token>` → `<token>`; query and fragment are ignored. */
export function tokenFromPairingUrl(url: unknown): string | undefined {
	if (typeof url !== 'string') return undefined;
	const segments = url.split(/[?#]/)[0].split('/').filter(Boolean).slice(2);
	const connect = segments.lastIndexOf('connect');
	return connect === -1 ? segments[segments.length - 1] : segments[connect + 1];
}
