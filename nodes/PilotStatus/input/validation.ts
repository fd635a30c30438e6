import { ID_PATTERN, TOKEN_PATTERN } from '../constants';

// Input checks that run before any request is sent. Each returns the cleaned value or a message
// that names the field and says how to fix it; hooks turn messages into input errors (errors.ts).

export type Checked<T> = { value: T; problem?: undefined } | { value?: undefined; problem: string };

const ID = new RegExp(ID_PATTERN);
const TOKEN = new RegExp(TOKEN_PATTERN);
const PHONE_SEPARATORS = /[\s().-]/g;
const PHONE_PATTERN = /^\+?\d{10,15}$/;
/** What can be dialled at all (E.164: at most 15 digits); the country's plan decides the rest. */
const DIALABLE = /^\+?\d{8,15}$/;

// What a raw API key (ps_...) and a key ID (key_01HZX..., k_aaa in the docs' examples) look like.
// Not inside a word: `groups_onboarding` is no key. errors/redact.ts removes the same shapes from
// what the service says.
export const RAW_KEY_SOURCE = '(?<![A-Za-z0-9])ps_[A-Za-z0-9_-]{4,}';
export const KEY_ID_SOURCE = '\\b(?:key|k)_[A-Za-z0-9_-]{3,}';
const HOLDS_KEY = new RegExp(`${RAW_KEY_SOURCE}|${KEY_ID_SOURCE}`, 'i');
const HOLDS_RAW_KEY = new RegExp(RAW_KEY_SOURCE, 'i');
/** Characters that hide a value's shape without changing what it is to a reader. */
export const GAP_CLASS = '[\\s\\u00AD\\u180E\\u200B-\\u200F\\u2028\\u2029\\u2060-\\u2064\\uFEFF]';
const INVISIBLE_GAPS = new RegExp(`${GAP_CLASS}+`, 'g');

/** The value with percent-encoding and invisible gaps undone, as whoever reads it would see it. */
function unveiled(text: string): string {
	const joined = text.replace(INVISIBLE_GAPS, '');
	try {
		return decodeURIComponent(joined);
	} catch {
		return joined;
	}
}

function holds(pattern: RegExp, text: string): boolean {
	return pattern.test(text) || pattern.test(unveiled(text));
}

/** Whether a value holds what looks like an API key or key ID, in any case, encoded or spaced out. */
export function holdsKey(value: unknown): boolean {
	return typeof value === 'string' && holds(HOLDS_KEY, value);
}

/**
 * The message for a field that holds a key where something else belongs. Such a value is never
 * quoted back: messages end up in logs, execution data and AI model prompts.
 */
function keyProblem(field: string, expected: string): string {
	return `${field} holds what looks like an API key or key ID, not ${expected}; the value is not repeated here. Map the right field of the earlier node into it.`;
}

/**
 * Quotes user input in a message without flooding it: long values are cut. A value that holds
 * anything key-shaped is not quoted at all (a cut could keep most of a key).
 */
export function quote(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	if (holdsKey(text)) return '(not repeated here: it looks like an API key or key ID)';
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
	if (/^ps_/i.test(text.value) || holds(HOLDS_RAW_KEY, text.value)) {
		return {
			problem: `${field} holds what looks like an API key (it starts with ps_), not an ID; the value is not repeated here. Map the ID instead, e.g. {{ $json.numberId }} (like num_01HZX9K3).`,
		};
	}
	if (/^key_/i.test(text.value)) {
		return {
			problem: `${field} holds what looks like an API key ID (it starts with key_), not the ID it needs; the value is not repeated here. Map the number's ID instead, e.g. {{ $json.numberId }} (like num_01HZX9K3).`,
		};
	}
	if (holdsKey(text.value)) return { problem: keyProblem(field, 'an ID') };
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
	// The link goes into the path of a call without a key, and so into access logs on the way.
	if (holdsKey(text.value)) return { problem: keyProblem(field, 'a pairing link or token') };
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
	if (holdsKey(text.value)) return { problem: keyProblem(field, 'a phone number') };
	const cleaned = text.value.replace(PHONE_SEPARATORS, '');
	if (!DIALABLE.test(cleaned)) {
		return {
			problem: `${field} ${quote(text.value)} is not a phone number. Use 8 to 15 digits with area code (and country code, or a + before it), e.g. 11 99999-9999 or +55 11 99999-9999.`,
		};
	}
	return { value: cleaned };
}

export function checkText(value: unknown, field: string, maxLength = 100): Checked<string> {
	const text = asText(value, field);
	if (text.problem !== undefined) return text;
	if (text.value === '') return { problem: `${field} is empty. Enter a name, e.g. Support.` };
	// A name is stored by the service and shown wherever the number or webhook is listed.
	if (holdsKey(text.value)) return { problem: keyProblem(field, 'a name') };
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
	// Whoever receives the deliveries sees the URL, and the service stores it as typed.
	if (holds(HOLDS_RAW_KEY, text.value)) {
		return {
			problem: `${field} contains what looks like a Pilot Status API key (ps_...); the value is not repeated here. Never put the key in a webhook address: whoever receives the deliveries would hold it.`,
		};
	}
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
	if (events.some(holdsKey)) return { problem: keyProblem(field, 'an event name') };
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
