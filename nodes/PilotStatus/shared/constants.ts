export const CREDENTIAL_TYPE = 'pilotStatusApi';

export const DEFAULT_BASE_URL = 'https://pilotstatus.com.br';

/**
 * The API origin from a user-typed base URL. Users paste `https://pilotstatus.com.br/`, `.../v1` or
 * `.../v1/` from the docs; every path we send starts with `/v1/`, so those suffixes must go or the
 * request lands on `/v1/v1/...`.
 */
export function apiOrigin(baseUrl: unknown): string {
	const text = typeof baseUrl === 'string' && baseUrl.trim() !== '' ? baseUrl : DEFAULT_BASE_URL;
	return text.trim().replace(/\/+$/, '').replace(/\/v1$/i, '');
}
