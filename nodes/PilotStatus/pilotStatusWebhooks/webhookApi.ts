import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../errors/nodeErrors';
import { checkId } from '../input/validation';
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

/**
 * A webhook ID from an answer (a string, or a number), when it can name a webhook in a request
 * path: the same rule as a typed ID, so an answer's `..` or `a/b` cannot send a request elsewhere
 * (`DELETE /v1/webhooks/..` is `DELETE /v1/`). Undefined otherwise.
 */
export function usableWebhookId(id: unknown): string | undefined {
	return checkId(id, 'Webhook ID').value;
}

/** The ID in a create answer; undefined when it names none that can be used. */
export function webhookIdIn(body: unknown): string | undefined {
	return usableWebhookId(body && typeof body === 'object' ? (body as IDataObject).id : undefined);
}

/** The path of one webhook; refuses, sending nothing, an ID that would leave its path segment. */
function webhookPath(context: Context, webhookId: string): string {
	if (usableWebhookId(webhookId) !== webhookId) {
		throw new NodeOperationError(
			context.getNode(),
			'Pilot Status named a webhook with an ID that cannot be used in a request, so nothing was sent for it',
			{ description: 'Check the webhook in Pilot Status; the ID is not repeated here.' },
		);
	}
	return `/v1/webhooks/${encodeURIComponent(webhookId)}`;
}

/** One webhook, or undefined when it is gone (404). */
export async function getWebhook(
	this: Context,
	webhookId: string,
): Promise<IDataObject | undefined> {
	try {
		const { body } = await pilotStatusRequest.call(this, {
			method: 'GET',
			path: webhookPath(this, webhookId),
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
			path: webhookPath(this, webhookId),
			failure: { resource: 'webhook', subject: webhookId, changes: true },
		});
	} catch (error) {
		if (!isNotFound(error)) throw asNodeError(this.getNode(), error);
	}
}
