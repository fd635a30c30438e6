import { toolWebhookIdField, webhookLocator } from '../../descriptions/fields';
import { changesAccount, webhookPath } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { outputWebhookDeleted } from '../../routing/postReceive';
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';

export const deleteWebhook: OperationDefinition = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a webhook',
		description:
			'Remove a webhook for good, with its delivery logs (Update → Active pauses instead)',
		routing: {
			request: { method: 'DELETE' },
			send: { preSend: [changesAccount, webhookPath()] },
			output: { postReceive: [outputWebhookDeleted] },
		},
	},
	toolDescription: `PERMANENTLY delete a webhook and its delivery logs; deliveries to it stop. ${modelInputSentence(MODEL_INPUTS.webhookId)} Use only when the user explicitly asked to delete it: pausing a webhook (Update, Active off) stops deliveries and keeps it.`,
	fields: [
		{
			displayName:
				'Permanent: the webhook and its delivery logs are deleted. To pause deliveries, use Update → Active instead.',
			name: 'deleteWebhookNotice',
			type: 'notice',
			default: '',
		},
		webhookLocator,
		toolWebhookIdField,
	],
};
