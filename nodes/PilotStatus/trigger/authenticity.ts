import { createHmac, randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { sameSecret } from '../pilotStatusWebhooks/deliveries';

// The service signs deliveries with a secret it never reveals, in an undocumented way. So the
// trigger registers each number's webhook URL with a secret of its own: derived from one stored
// random secret and the number ID, so that the URL of one number (which a number-scoped key can list)
// cannot deliver events for another. A documented signature would be one more check here.

export const SECRET_PARAMETER = 'secret';

export function newSecret(): string {
	return randomBytes(24).toString('hex');
}

/** The secret in the URL registered for one number. */
export function numberSecret(secret: string, numberId: string): string {
	return createHmac('sha256', secret).update(numberId).digest('hex');
}

export function withSecret(webhookUrl: string, secret: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set(SECRET_PARAMETER, secret);
	return url.toString();
}

/** The registered number whose secret the call carries, or undefined for an unknown sender. */
export function senderNumber(
	query: IDataObject,
	secret: string | undefined,
	numberIds: string[],
): string | undefined {
	const received = query[SECRET_PARAMETER];
	if (secret === undefined) return undefined;
	return numberIds.find((numberId) => sameSecret(received, numberSecret(secret, numberId)));
}
