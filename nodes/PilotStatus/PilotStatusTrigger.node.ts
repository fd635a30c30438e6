import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './shared/constants';
import { asNodeError } from './shared/errors';
import { numberOptions } from './listSearch/searchNumbers';
import { listNumbers } from './shared/transport';
import { isAuthentic, newSecret, withSecret } from './trigger/authenticity';
import { EVENT_OPTIONS, wantsEvent } from './trigger/events';
import {
	createWebhook,
	deleteWebhooks,
	fingerprint,
	storage,
	webhookExists,
} from './trigger/registration';

const RECENT_EVENTS_KEPT = 200;

function chosenEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	return context.getNodeParameter('events', []) as string[];
}

async function chosenNumberIds(context: IHookFunctions): Promise<string[]> {
	if (context.getNodeParameter('numbers') === 'all') {
		return (await listNumbers.call(context)).map((number) => String(number.id));
	}
	const ids = context.getNodeParameter('numberIds', []) as string[];
	if (ids.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No numbers are selected', {
			description: 'Choose at least one number under "Numbers", or listen to all numbers.',
		});
	}
	return ids;
}

export class PilotStatusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pilot Status Trigger',
		name: 'pilotStatusTrigger',
		icon: {
			light: 'file:../../icons/pilotStatus.svg',
			dark: 'file:../../icons/pilotStatus.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow when a WhatsApp number connects, disconnects or is removed, and on other Pilot Status events',
		defaults: { name: 'Pilot Status Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_OPTIONS,
				default: ['number.connected'],
				required: true,
				description:
					'What to listen for. Health events and Number Recovered are only sent to "all events" subscriptions, so choosing one subscribes to all events and the trigger keeps only the ones chosen.',
			},
			{
				displayName: 'Numbers',
				name: 'numbers',
				type: 'options',
				options: [
					{
						name: 'All Numbers',
						value: 'all',
						description: 'Every number the account has when the workflow is activated',
					},
					{ name: 'Selected Numbers', value: 'selected' },
				],
				default: 'all',
			},
			{
				displayName: 'Number Names or IDs',
				name: 'numberIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getNumbers' },
				default: [],
				required: true,
				description:
					'The numbers to listen to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { numbers: ['selected'] } },
			},
			{
				displayName:
					'Pilot Status ties each webhook to one number, so the trigger registers one webhook per number when the workflow is activated and removes them when it is deactivated. Numbers added later are picked up on the next activation.',
				name: 'registrationNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	methods = {
		loadOptions: {
			async getNumbers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return numberOptions(await listNumbers.call(this));
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const stored = storage(this);
				const registration = stored.registration;
				if (!registration) return false;
				const url = withSecret(this.getNodeWebhookUrl('default') as string, registration.secret);
				const current = fingerprint(chosenEvents(this), await chosenNumberIds(this));
				let intact = registration.fingerprint === current;
				for (const webhookId of registration.webhookIds) {
					if (!intact) break;
					intact = await webhookExists.call(this, webhookId, url);
				}
				if (intact) return true;
				// Settings changed or a webhook vanished: start over so create() registers a clean set.
				await deleteWebhooks.call(this, registration.webhookIds);
				delete stored.registration;
				return false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const events = chosenEvents(this);
				const numberIds = await chosenNumberIds(this);
				const secret = newSecret();
				const url = withSecret(this.getNodeWebhookUrl('default') as string, secret);
				const webhookIds: string[] = [];
				try {
					for (const numberId of numberIds)
						webhookIds.push(await createWebhook.call(this, url, events, numberId));
				} catch (error) {
					// All or nothing: a half-registered trigger would miss events without saying so.
					await deleteWebhooks.call(this, webhookIds);
					throw asNodeError(this.getNode(), error);
				}
				storage(this).registration = {
					webhookIds,
					secret,
					fingerprint: fingerprint(events, numberIds),
				};
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const stored = storage(this);
				if (!stored.registration) return true;
				const left = await deleteWebhooks.call(this, stored.registration.webhookIds);
				if (left.length > 0) {
					stored.registration.webhookIds = left;
					return false;
				}
				delete stored.registration;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const stored = storage(this);
		if (!isAuthentic(this.getQueryData() as IDataObject, stored.registration?.secret)) {
			this.getResponseObject()
				.status(401)
				.json({ error: 'Unknown sender: the secret in the URL does not match' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData();
		const data = (body.data ?? {}) as IDataObject;
		if (typeof body.event !== 'string') {
			this.getResponseObject()
				.status(400)
				.json({ error: 'Not a Pilot Status event: "event" is missing' });
			return { noWebhookResponse: true };
		}
		if (!wantsEvent(chosenEvents(this), body.event)) {
			return { webhookResponse: { received: true, ignored: 'event not selected' } };
		}
		// The service may deliver an event more than once; its data.id identifies it.
		const eventId = typeof data.id === 'string' ? data.id : undefined;
		if (eventId) {
			const recent = stored.recentEventIds ?? [];
			if (recent.includes(eventId)) return { webhookResponse: { received: true, duplicate: true } };
			stored.recentEventIds = [...recent, eventId].slice(-RECENT_EVENTS_KEPT);
		}
		return {
			workflowData: [
				this.helpers.returnJsonArray({
					event: body.event,
					numberId: data.numberId ?? data.instanceId ?? null,
					receivedAt: new Date().toISOString(),
					...body,
				}),
			],
		};
	}
}
