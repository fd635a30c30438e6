export const CREDENTIAL_TYPE = 'pilotStatusApi';

export const DEFAULT_BASE_URL = 'https://pilotstatus.com.br';

/**
 * What a Pilot Status ID (number, key, webhook) may look like. IDs go into URL paths, so only these
 * characters pass: no input can climb out of its path segment (`..`, `/`, `?`, `#`, `%2F`). The number
 * locator's By ID mode checks the same pattern in the editor.
 */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

/** Remote pairing tokens: `rp_01HZX...` or a UUID. */
export const TOKEN_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$';

/**
 * Orders option names as the editor's lists are sorted (case-insensitive), without localeCompare:
 * its first call loads ICU's collation data, about 20 ms of the package's load time.
 */
export function byOptionName(a: { name: string }, b: { name: string }): number {
	const left = a.name.toLowerCase();
	const right = b.name.toLowerCase();
	return left < right ? -1 : left > right ? 1 : 0;
}
