import { DEFAULT_BASE_URL } from '../constants';
import type { Checked } from '../input/validation';

export interface ApiBase {
	/** What requests go to: the origin plus any path prefix, without a trailing `/` or `/v1`. */
	url: string;
	/** The only part of the Base URL that messages ever show. */
	origin: string;
}

/**
 * The API base from a user-typed Base URL. Users paste `https://pilotstatus.com.br/`, `.../v1` or
 * `.../v1/` from the docs; every path we send starts with `/v1/`, so those suffixes go. A Base URL
 * that could send the key somewhere unexpected (another scheme, credentials, a query or fragment)
 * is refused before any request; messages name only its origin, never the rest of what was typed.
 */
export function checkBaseUrl(value: unknown, field: string): Checked<ApiBase> {
	const text = typeof value === 'string' ? value.trim() : '';
	const typed = text === '' ? DEFAULT_BASE_URL : text;
	let url: URL;
	try {
		url = new URL(typed);
	} catch {
		return {
			problem: `${field} is not a web address. Use ${DEFAULT_BASE_URL}, or a test server such as http://127.0.0.1:4010.`,
		};
	}
	const origin = ['http:', 'https:'].includes(url.protocol)
		? url.origin
		: `${url.protocol}//${url.host}`;
	if (!['http:', 'https:'].includes(url.protocol)) {
		return {
			problem: `${field} ${origin} uses ${url.protocol}//; only https:// (or http:// for a test server) works. Use ${DEFAULT_BASE_URL}.`,
		};
	}
	if (url.username || url.password) {
		return {
			problem: `${field} ${origin} contains a user name or password. Remove it: the API key goes in the credential's key field, never in the address.`,
		};
	}
	if (typed.includes('?') || typed.includes('#')) {
		return {
			problem: `${field} ${origin} has a query (?) or fragment (#). Use only the address, e.g. ${DEFAULT_BASE_URL}.`,
		};
	}
	const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
	return { value: { url: `${origin}${path}`, origin } };
}
