import {
	optionsCollection,
	revealSecretsOption,
	toolWebhookIdField,
	webhookLocator,
} from '../../descriptions/fields';
import { changesAccount, webhookChangesInBody, webhookPath } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { outputWebhook } from '../../routing/postReceive';
import { MODEL_INPUTS, modelInputSentence, settingsSentence } from '../../descriptions/tool';
import { webhookEventsField, webhookUrlField } from './create';

export const updateWebhook: OperationDefinition = {
	option: {
		name: 'Update',
		value: 'update',
		action: 'Update a webhook',
		description: 'Pause or resume a webhook, or change its address, events or name',
		routing: {
			request: { method: 'PATCH' },
			send: { preSend: [changesAccount, webhookPath(), webhookChangesInBody] },
			output: { postReceive: [outputWebhook] },
		},
	},
	toolDescription: `Change one webhook: pause or resume it, or replace its address, events or name. ${modelInputSentence(MODEL_INPUTS.webhookId)} ${settingsSentence('The changes')}`,
	fields: [
		webhookLocator,
		toolWebhookIdField,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add field',
			default: {},
			options: [
				{
					displayName: 'Active',
					name: 'active',
					type: 'boolean',
					default: true,
					description:
						'Whether Pilot Status delivers to this webhook (off pauses it, on resumes it)',
				},
				{
					...webhookEventsField,
					required: false,
					description: `${webhookEventsField.description} Replaces the whole list.`,
				},
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. CRM sync',
				},
				{ ...webhookUrlField, required: false },
			],
		},
		optionsCollection(revealSecretsOption),
	],
};
