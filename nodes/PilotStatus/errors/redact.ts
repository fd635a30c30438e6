// What the service sends back is quoted in messages, so it is cleaned first: nothing it echoes may
// carry the credential's key or key ID, or anything that looks like a key, into an error.

// Raw keys start with ps_; key IDs look like key_01HZX... or k_aaa (the docs' examples).
// Not inside a word: `groups_onboarding` in a URL path is no key.
const KEY_SHAPED = /(?<![A-Za-z0-9])ps_[A-Za-z0-9_-]{4,}/g;
const KEY_ID_SHAPED = /\b(?:key|k)_[A-Za-z0-9_-]{3,}/g;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;

/** Removes the exact secrets (key, key ID) and anything key-shaped from server text. */
export function redactSecrets(text: string, secrets: string[] = []): string {
	let clean = text;
	for (const secret of secrets) {
		if (secret.length >= 4) clean = clean.split(secret).join('[redacted]');
	}
	return clean.replace(KEY_SHAPED, 'ps_…').replace(KEY_ID_SHAPED, '[key ID]');
}

/** Anything shaped like a raw key (`ps_…`), e.g. in a URL someone built with one. */
export function redactKeys(text: string): string {
	return text.replace(KEY_SHAPED, 'ps_…');
}

/**
 * A `code` from the service is shown only when it is shaped like one, e.g. NUMBER_NOT_FOUND, and is
 * none of the secrets.
 */
export function errorCodeOf(body: unknown, secrets: string[] = []): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const { code } = body as { code?: unknown };
	if (typeof code !== 'string' || !ERROR_CODE.test(code)) return undefined;
	return secrets.some((secret) => code.includes(secret)) || redactSecrets(code) !== code
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
	// Redact before cutting, so a cut can never leave part of a secret behind.
	return redactSecrets(text.trim(), secrets).slice(0, 300);
}
