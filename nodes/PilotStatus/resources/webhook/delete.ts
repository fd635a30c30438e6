import {
	changesAccountNotice,
	toolWebhookIdField,
	webhookLocator,
} from '../../descriptions/fields';
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
				'Deleting a webhook is permanent and deletes its delivery logs too. To stop deliveries for a while, use Update → Active instead. A webhook of an active Pilot Status Trigger is registered again when its workflow is activated again.',
			name: 'deleteWebhookNotice',
			type: 'notice',
			default: '',
		},
		changesAccountNotice,
		webhookLocator,
		toolWebhookIdField,
	],
};
