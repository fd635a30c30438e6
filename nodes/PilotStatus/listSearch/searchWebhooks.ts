import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { webhookLabel } from '../shared/normalize';
import { pilotStatusRequest } from '../shared/transport';

/** The Webhook field's list: every webhook the key sees, newest first, searchable by any label word. */
export async function searchWebhooks(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { body } = await pilotStatusRequest.call(this, {
		method: 'GET',
		path: '/v1/webhooks',
		failure: { resource: 'webhook' },
	});
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (Array.isArray(body) ? (body as IDataObject[]) : [])
		.map((webhook) => ({ name: webhookLabel(webhook), value: String(webhook.id) }))
		.filter(
			(option) =>
				!needle ||
				option.name.toLowerCase().includes(needle) ||
				option.value.toLowerCase().includes(needle),
		);
	return { results };
}
