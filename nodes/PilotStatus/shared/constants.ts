export const CREDENTIAL_TYPE = 'pilotStatusApi';

export const DEFAULT_BASE_URL = 'https://pilotstatus.com.br';

export const PROJECT_URL = 'https://github.com/n8n-nodes-pilot-status/n8n-nodes-pilot-status';

/**
 * Builds the expression that turns a user-typed base URL into the API origin. Users paste
 * `https://pilotstatus.com.br/`, `.../v1` or `.../v1/` from the docs; every path we send starts
 * with `/v1/`, so those suffixes must go or the request lands on `/v1/v1/...`.
 */
export function apiOriginExpression(source: string): string {
	return `={{ String(${source} || "${DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "").replace(/\\/v1$/i, "") }}`;
}

/** The same normalisation as apiOriginExpression, for code that builds requests itself. */
export function apiOrigin(baseUrl: unknown): string {
	const text = typeof baseUrl === 'string' && baseUrl.trim() !== '' ? baseUrl : DEFAULT_BASE_URL;
	return text.trim().replace(/\/+$/, '').replace(/\/v1$/i, '');
}
