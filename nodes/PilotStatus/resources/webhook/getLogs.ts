import {
	optionsCollection,
	returnAllOrLimit,
	toolWebhookIdField,
	webhookLocator,
} from '../../descriptions/fields';
import { EVENT_OPTIONS } from '../../pilotStatusWebhooks/events';
import { checkListLimit, webhookPath } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { outputDeliveryLogs } from '../../routing/postReceive';

export const getDeliveryLogs: OperationDefinition = {
	option: {
		name: 'Get Delivery Logs',
		value: 'getLogs',
		action: 'Get delivery logs of a webhook',
		description:
			'What Pilot Status tried to deliver to a webhook, newest first: event, status code, time, attempt',
		routing: {
			// The service keeps the last 50 deliveries and sends up to `limit` (at most 50) of them.
			request: { method: 'GET', qs: { limit: 50 } },
			send: { preSend: [checkListLimit, webhookPath('/logs')] },
			output: { postReceive: [outputDeliveryLogs] },
		},
	},
	fields: [
		webhookLocator,
		toolWebhookIdField,
		...returnAllOrLimit,
		optionsCollection({
			displayName: 'Event',
			name: 'event',
			type: 'options',
			options: EVENT_OPTIONS.filter((option) => option.value !== '*'),
			default: 'number.connected',
			description: 'Only deliveries of this event',
			routing: { send: { type: 'query', property: 'event' } },
		}),
	],
};
