import {
	numberLocatorField,
	optionsCollection,
	returnAllOrLimit,
	revealSecretsOption,
	simplifyWebhookField,
} from '../../descriptions/fields';
import { checkListLimit, webhookNumberFilter } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { outputWebhooks } from '../../routing/postReceive';

export const getManyWebhooks: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many webhooks',
		description:
			'List the webhooks of all numbers, or of one; those a Pilot Status Trigger or a wait created are marked',
		routing: {
			request: { method: 'GET', url: '/v1/webhooks' },
			send: { preSend: [checkListLimit, webhookNumberFilter] },
			output: { postReceive: [outputWebhooks] },
		},
	},
	fields: [
		...returnAllOrLimit,
		simplifyWebhookField,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add filter',
			default: {},
			options: [
				{ ...numberLocatorField, required: false, description: 'Only the webhooks of this number' },
			],
		},
		optionsCollection(revealSecretsOption),
	],
};
