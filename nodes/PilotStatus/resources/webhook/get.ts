import {
	optionsCollection,
	revealSecretsOption,
	simplifyWebhookField,
	webhookLocator,
} from '../../shared/descriptions';
import { webhookPath } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';
import { outputWebhook } from '../../shared/output';

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
	toolDescription:
		"Get one webhook. Input: the webhook's Pilot Status ID, like wh_01HZX9K3 (Get Many lists them).",
	fields: [webhookLocator, simplifyWebhookField, optionsCollection(revealSecretsOption)],
};
