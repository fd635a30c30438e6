import { NodeApiError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../errors/nodeErrors';
import { pilotStatusRequest, requestList } from '../transport/request';

// The Pilot Status webhook calls of the programmatic parts: the trigger's registration, the
// webhook-mode wait's temporary webhook, the Webhook field's list. The declarative Webhook
// operations send theirs through routing.

type Context = ThisParameterType<typeof pilotStatusRequest>;

export function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/** Every webhook the key sees. */
export async function listWebhooks(this: Context): Promise<IDataObject[]> {
	return await requestList.call(this, '/v1/webhooks', { resource: 'webhook' });
}

/** The ID in a create answer (a string, or a number); undefined when it names none. */
export function webhookIdIn(body: unknown): string | undefined {
	const id = body && typeof body === 'object' ? (body as IDataObject).id : undefined;
	return typeof id === 'string' || typeof id === 'number' ? String(id) || undefined : undefined;
}

/** One webhook, or undefined when it is gone (404). */
export async function getWebhook(
	this: Context,
	webhookId: string,
): Promise<IDataObject | undefined> {
	try {
		const { body } = await pilotStatusRequest.call(this, {
			method: 'GET',
			path: `/v1/webhooks/${encodeURIComponent(webhookId)}`,
			failure: { resource: 'webhook', subject: webhookId },
		});
		return body as IDataObject;
	} catch (error) {
		if (isNotFound(error)) return undefined;
		throw asNodeError(this.getNode(), error);
	}
}

/** Deletes a webhook; one that is already gone counts as deleted. */
export async function deleteWebhook(this: Context, webhookId: string): Promise<void> {
	try {
		await pilotStatusRequest.call(this, {
			method: 'DELETE',
			path: `/v1/webhooks/${encodeURIComponent(webhookId)}`,
			failure: { resource: 'webhook', subject: webhookId, changes: true },
		});
	} catch (error) {
		if (!isNotFound(error)) throw asNodeError(this.getNode(), error);
	}
}
