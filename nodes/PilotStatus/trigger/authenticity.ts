import { randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

// The service signs deliveries with a secret it never reveals, and the scheme is undocumented.
// So the trigger registers its URL with a random secret of its own and checks it on every call.
// A documented signature would be one more check in `isAuthentic`.

export const SECRET_PARAMETER = 'secret';

export function newSecret(): string {
	return randomBytes(24).toString('hex');
}

export function withSecret(webhookUrl: string, secret: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set(SECRET_PARAMETER, secret);
	return url.toString();
}

function sameSecret(received: unknown, expected: string): boolean {
	if (typeof received !== 'string') return false;
	const a = Buffer.from(received);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

export function isAuthentic(query: IDataObject, expectedSecret: string | undefined): boolean {
	return expectedSecret !== undefined && sameSecret(query[SECRET_PARAMETER], expectedSecret);
}
