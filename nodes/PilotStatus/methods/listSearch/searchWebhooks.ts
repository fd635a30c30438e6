import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { webhookLabel } from '../../output/normalize';
import { listWebhooks } from '../../pilotStatusWebhooks/webhookApi';

/** The Webhook field's list: every webhook the key sees, as Pilot Status lists them, searchable by any label word. */
export async function searchWebhooks(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (await listWebhooks.call(this))
		.map((webhook) => ({ name: webhookLabel(webhook), value: String(webhook.id) }))
		.filter(
			(option) =>
				!needle ||
				option.name.toLowerCase().includes(needle) ||
				option.value.toLowerCase().includes(needle),
		);
	return { results };
}
