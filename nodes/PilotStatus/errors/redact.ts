import { GAP_CLASS, KEY_ID_SOURCE, RAW_KEY_SOURCE } from '../input/validation';

// What the service sends back is quoted in messages, so it is cleaned first: nothing it echoes may
// carry the credential's key or key ID (in any disguise), anything that looks like a key, or the
// secret of a URL into an error. Outputs, list labels and the AI tool's results show webhook URLs
// through the same masking.

// Keys as the service might echo them: any case, and `_` percent-encoded (`ps%5F...`).
const KEY_SHAPED = new RegExp(RAW_KEY_SOURCE.replace('ps_', 'ps(?:_|%5F)'), 'gi');
const KEY_ID_SHAPED = new RegExp(KEY_ID_SOURCE.replace('_', '(?:_|%5F)'), 'gi');
const ERROR_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;
const HIDDEN = '…';

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One character as text may carry it: itself, percent-encoded, JSON-escaped or an HTML entity. */
function charForms(char: string): string {
	const code = char.charCodeAt(0);
	if (code > 0x7f) return escapeRegExp(char);
	const hex = code.toString(16).padStart(2, '0');
	return `(?:${escapeRegExp(char)}|%${hex}|\\\\u00${hex}|&#x0*${hex};|&#0*${code};)`;
}

/** A pattern for `text` however it was spelled out: see charForms, with invisible gaps between. */
function spelledOut(text: string): string {
	return [...text].map(charForms).join(`${GAP_CLASS}*`);
}

/**
 * The part of `secret`'s base64 that is the same wherever the secret sits in a longer encoded text:
 * the groups of four characters made only of its own bytes, for each of the three alignments.
 */
function base64Cores(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const cores: string[] = [];
	for (const offset of [0, 1, 2]) {
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
		const fullGroups = Math.floor((offset + bytes.length) / 3);
		const core = encoded.slice(offset === 0 ? 0 : 4, fullGroups * 4);
		if (core.length >= 8) cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return cores;
}

const secretPatterns = new Map<string, RegExp>();

/** Every form in which a secret is recognised: as typed, in hex and in base64 or base64url. */
function secretPattern(secret: string): RegExp {
	let pattern = secretPatterns.get(secret);
	if (!pattern) {
		const forms = [secret, Buffer.from(secret, 'utf8').toString('hex'), ...base64Cores(secret)];
		pattern = new RegExp([...new Set(forms)].map(spelledOut).join('|'), 'gi');
		// A few credentials per process; the bound only guards against a leak over a long run.
		if (secretPatterns.size > 100) secretPatterns.clear();
		secretPatterns.set(secret, pattern);
	}
	return pattern;
}

/**
 * Removes the exact secrets (key, key ID) in any case, encoding or spacing, anything key-shaped,
 * and the secrets of every URL (see maskUrl) from server text.
 */
export function redactSecrets(text: string, secrets: string[] = []): string {
	let clean = redactUrls(text);
	for (const secret of secrets) {
		if (secret.length >= 4) clean = clean.replace(secretPattern(secret), '[redacted]');
	}
	return clean.replace(KEY_SHAPED, 'ps_…').replace(KEY_ID_SHAPED, '[key ID]');
}

/** Anything shaped like a raw key (`ps_…`), e.g. in a URL someone built with one. */
export function redactKeys(text: string): string {
	return text.replace(KEY_SHAPED, 'ps_…');
}

// --- URLs -----------------------------------------------------------------------------------------
// Receivers put their secret anywhere in a URL: the query (`secret`, `token`, Azure's `code` and
// `sig`, Google Chat's `key` and `token`, AWS's `X-Amz-Signature`...), the fragment, the user and
// password, the path (Slack's /services/T…/B…/<token>, Discord's /api/webhooks/<id>/<token>, n8n's
// /webhook/<uuid>, Make's /<token>) or the host (Pipedream's <token>.m.pipedream.net). A list of
// secret names is always one name short, so the rule is the other way round: every query value and
// the fragment are hidden unless the name is on a short list of harmless ones, and every path
// segment or host label that looks random is hidden. Hiding one too many costs a little
// readability; showing one puts a secret into outputs, list labels and an AI model's context.

const HARMLESS_QUERY_NAMES = new Set([
	'api-version',
	'env',
	'environment',
	'event',
	'events',
	'format',
	'lang',
	'language',
	'locale',
	'region',
	'source',
	'type',
	'utm_campaign',
	'utm_medium',
	'utm_source',
	'v',
	'version',
]);
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is;
/** Lowercase words with separators, like `pilot-status-events`: long, but not random. */
const WORDS = /^[a-z]+(?:[-_.][a-z]+)*$/;

function decoded(part: string): string {
	try {
		return decodeURIComponent(part.replace(/\+/g, ' '));
	} catch {
		return part;
	}
}

/**
 * A path segment or name that looks like a token rather than a word: 16 characters or more
 * (UUIDs, hex, base64), unless lowercase words; or 6 or more that mix letters and digits (Slack's
 * T0123ABCD, Zapier's hook IDs).
 */
function looksRandom(part: string): boolean {
	const text = decoded(part);
	if (text.length >= 16) return !WORDS.test(text);
	return text.length >= 6 && /\d/.test(text) && /[a-z]/i.test(text);
}

function maskAuthority(authority: string): string {
	const at = authority.lastIndexOf('@');
	const user = at === -1 ? '' : authority.slice(0, at);
	const host = authority.slice(at + 1);
	// Either half of user:password may be the secret (`https://sk_live_…@host`).
	const shownUser = at === -1 ? '' : `${user.includes(':') ? `${HIDDEN}:${HIDDEN}` : HIDDEN}@`;
	const [hostname, port] = host.startsWith('[')
		? [host, '']
		: [host.replace(/:\d*$/, ''), (/:\d*$/.exec(host) ?? [''])[0]];
	const labels = hostname
		.split('.')
		.map((label) => (label.length >= 16 && !WORDS.test(label) ? HIDDEN : label));
	return `${shownUser}${labels.join('.')}${port}`;
}

function maskPath(path: string): string {
	return path
		.split('/')
		.map((segment) => (looksRandom(segment) ? HIDDEN : segment))
		.join('/');
}

function maskQuery(query: string): string {
	const pairs = query
		.slice(1)
		.split('&')
		.map((pair) => {
			const equals = pair.indexOf('=');
			if (equals === -1) return looksRandom(pair) ? HIDDEN : pair;
			const name = pair.slice(0, equals);
			if (looksRandom(name)) return `${HIDDEN}=${HIDDEN}`;
			return HARMLESS_QUERY_NAMES.has(decoded(name).toLowerCase()) ? pair : `${name}=${HIDDEN}`;
		});
	return `?${pairs.join('&')}`;
}

/**
 * A URL with its secrets hidden (see above), raw keys included. Text that is not a URL keeps only
 * what comes before a `?` or `#`.
 */
export function maskUrl(url: string): string {
	const parts = URL_PARTS.exec(url.trim());
	if (!parts) return redactKeys(url.replace(/([?#]).*$/s, `$1${HIDDEN}`));
	const [, scheme, authority, path, query, fragment] = parts;
	const masked = [
		scheme,
		maskAuthority(authority),
		maskPath(path),
		query === undefined ? '' : maskQuery(query),
		fragment === undefined || fragment === '#' ? (fragment ?? '') : `#${HIDDEN}`,
	].join('');
	return redactKeys(masked);
}

/** Every URL in a text, masked (server messages quote the URL they could not reach). */
export function redactUrls(text: string): string {
	return text.replace(URL_IN_TEXT, (url) => maskUrl(url));
}

/**
 * A `code` from the service is shown only when it is shaped like one, e.g. NUMBER_NOT_FOUND, and is
 * none of the secrets.
 */
export function errorCodeOf(body: unknown, secrets: string[] = []): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const { code } = body as { code?: unknown };
	if (typeof code !== 'string' || !ERROR_CODE.test(code)) return undefined;
	return secrets.some((secret) => code.includes(secret)) || redactSecrets(code, secrets) !== code
		? undefined
		: code;
}

/** The service's own words about a failure, cut short and cleaned; '' when it said nothing usable. */
export function serverText(body: unknown, secrets: string[] = []): string {
	let text = '';
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const { error, message } = body as { error?: unknown; message?: unknown };
		text = typeof error === 'string' ? error : typeof message === 'string' ? message : '';
	} else if (typeof body === 'string') {
		if (/<html|<!doctype/i.test(body)) return 'an HTML error page';
		text = body;
	}
	// Redact before the final cut, so a cut can never leave part of a secret behind; the first cut
	// only bounds the work, and whatever it splits lies beyond the final one.
	return redactSecrets(text.trim().slice(0, 2000), secrets).slice(0, 300);
}
