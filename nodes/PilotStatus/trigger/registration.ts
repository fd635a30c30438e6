import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import { pilotStatusRequest } from '../shared/transport';
import { subscriptionEvents } from './events';

// The API ties every webhook to exactly one number, so the trigger registers one webhook per number
// and remembers them (ids, secret, what was asked for) in the node's static data, which n8n keeps
// across restarts: checkExists finds them again, delete removes exactly those.

export interface Registration {
	webhookIds: string[];
	secret: string;
	/** Events and numbers as registered, to notice when the node's settings changed. */
	fingerprint: string;
}

type Stored = IDataObject & { registration?: Registration; recentEventIds?: string[] };

export function storage(context: { getWorkflowStaticData(type: string): IDataObject }): Stored {
	return context.getWorkflowStaticData('node') as Stored;
}

export function fingerprint(events: string[], numberIds: string[]): string {
	return JSON.stringify({ events: subscriptionEvents(events), numbers: [...numberIds].sort() });
}

function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

export async function webhookExists(
	this: IHookFunctions,
	webhookId: string,
	url: string,
): Promise<boolean> {
	try {
		const { body } = await pilotStatusRequest.call(this, {
			method: 'GET',
			path: `/v1/webhooks/${encodeURIComponent(webhookId)}`,
			failure: { resource: 'webhook', subject: webhookId },
		});
		return (body as IDataObject).url === url && (body as IDataObject).active !== false;
	} catch (error) {
		if (isNotFound(error)) return false;
		throw asNodeError(this.getNode(), error);
	}
}

export async function createWebhook(
	this: IHookFunctions,
	url: string,
	events: string[],
	numberId: string,
): Promise<string> {
	const { body } = await pilotStatusRequest.call(this, {
		method: 'POST',
		path: '/v1/webhooks',
		body: {
			url,
			name: `n8n: ${this.getWorkflow().name ?? 'workflow'}`.slice(0, 100),
			events: subscriptionEvents(events),
			whatsappNumberId: numberId,
		},
		failure: { resource: 'number', subject: numberId },
	});
	return String((body as IDataObject).id);
}

/** Deletes the webhooks; ones already gone count as deleted. Returns the ids that could not be. */
export async function deleteWebhooks(
	this: IHookFunctions,
	webhookIds: string[],
): Promise<string[]> {
	const left: string[] = [];
	for (const webhookId of webhookIds) {
		try {
			await pilotStatusRequest.call(this, {
				method: 'DELETE',
				path: `/v1/webhooks/${encodeURIComponent(webhookId)}`,
				failure: { resource: 'webhook', subject: webhookId },
			});
		} catch (error) {
			if (!isNotFound(error)) left.push(webhookId);
		}
	}
	return left;
}
