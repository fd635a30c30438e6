import type { INodeProperties } from 'n8n-workflow';

import {
	optionsCollection,
	revealSecretsOption,
	toolNumberIdField,
	webhookNumberLocator,
} from '../../descriptions/fields';
import { NAMED_EVENT_OPTIONS } from '../../pilotStatusWebhooks/events';
import { changesAccount, newWebhookInBody } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { outputWebhook, pauseIfAsked } from '../../routing/postReceive';
import { MODEL_INPUTS, modelInputSentence, settingsSentence } from '../../descriptions/tool';

export const webhookUrlField: INodeProperties = {
	displayName: 'URL',
	name: 'url',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://example.com/hooks/pilot-status',
	description: 'Where Pilot Status delivers the events (an https address in production)',
};

export const webhookEventsField: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	options: NAMED_EVENT_OPTIONS,
	default: ['number.connected'],
	required: true,
	description:
		'What the webhook receives. Health events (number blocked, degraded, shadowbanned, recovered) come only with All Events.',
};

export const createWebhook: OperationDefinition = {
	option: {
		name: 'Create',
		value: 'create',
		action: 'Create a webhook',
		description: 'Have Pilot Status deliver a number’s events to an address',
		routing: {
			request: { method: 'POST', url: '/v1/webhooks' },
			send: { preSend: [changesAccount, newWebhookInBody] },
			output: { postReceive: [outputWebhook, pauseIfAsked] },
		},
	},
	toolDescription: `Create a webhook so that Pilot Status sends one WhatsApp number's events to an address; this adds a webhook every time it runs. ${modelInputSentence(MODEL_INPUTS.numberId)} ${settingsSentence('The address and the events')}`,
	fields: [
		webhookNumberLocator,
		toolNumberIdField,
		webhookUrlField,
		webhookEventsField,
		optionsCollection(
			{
				displayName: 'Active',
				name: 'active',
				type: 'boolean',
				default: true,
				description: 'Whether Pilot Status starts delivering at once (off creates it paused)',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. CRM sync',
				description: 'How the webhook is labelled in Pilot Status (default: the address’s host)',
			},
			revealSecretsOption,
		),
	],
};
