import {
	optionsCollection,
	revealSecretsOption,
	simplifyWebhookField,
	toolWebhookIdField,
	webhookLocator,
} from '../../descriptions/fields';
import { webhookPath } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { outputWebhook } from '../../routing/postReceive';

export const getWebhook: OperationDefinition = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a webhook',
		description: 'Get one webhook: its address, number, events and whether it is active',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [webhookPath()] },
			output: { postReceive: [outputWebhook] },
		},
	},
	fields: [
		webhookLocator,
		toolWebhookIdField,
		simplifyWebhookField,
		optionsCollection(revealSecretsOption),
	],
};
