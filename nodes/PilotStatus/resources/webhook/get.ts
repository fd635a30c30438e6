import {
	optionsCollection,
	revealSecretsOption,
	simplifyWebhookField,
	toolWebhookIdField,
	webhookLocator,
} from '../../shared/descriptions';
import { webhookPath } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';
import { outputWebhook } from '../../shared/output';
import { MODEL_INPUTS, modelInputSentence } from '../../shared/tool';

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
	toolDescription: `Get one webhook: its address, number, events and whether it is active. ${modelInputSentence(MODEL_INPUTS.webhookId)}`,
	fields: [
		webhookLocator,
		toolWebhookIdField,
		simplifyWebhookField,
		optionsCollection(revealSecretsOption),
	],
};
