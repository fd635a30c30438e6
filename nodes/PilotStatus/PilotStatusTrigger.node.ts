import { NodeConnectionTypes } from 'n8n-workflow';
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

import { numberOptions } from './methods/listSearch/searchNumbers';
import { CREDENTIAL_TYPE } from './constants';
import { answer, deliveryOf, namesAnotherNumber } from './pilotStatusWebhooks/deliveries';
import { EVENT_OPTIONS, wantsEvent } from './pilotStatusWebhooks/events';
import { isPlainObject, toE164 } from './output/normalize';
import { listNumbers } from './transport/request';
import { senderNumber } from './trigger/authenticity';
import { deliveryKey, isDuplicate } from './trigger/deduplication';
import { register, registrationIsIntact, storage, unregister } from './trigger/registration';
import { checkedSettings, chosenEvents, chosenNumberIds } from './trigger/settings';

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
		subtitle: '={{ [].concat($parameter["events"]).join(", ") }}',
		// n8n's node panel merges a trigger into its action node and shows the trigger's description
		// for both, so this one speaks for the whole integration.
		description:
			'Provision WhatsApp numbers, pair them, manage their keys and webhooks, and start workflows when a number connects or disconnects',
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
					'What to listen for. The health events (Blocked, Degraded, Shadowbanned) and Number Recovered are only sent to "all events" subscriptions, so choosing one subscribes to all events and the trigger keeps only the ones chosen.',
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
				const { registration } = storage(this);
				if (!registration) return false;
				return await registrationIsIntact(this, registration, checkedSettings(this));
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const settings = checkedSettings(this);
				const numberIds = await chosenNumberIds(this, settings);
				await register(this, storage(this), settings.events, numberIds);
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				await unregister(this, storage(this));
				return true;
			},
		},
	};

	// The trigger answers every call itself (answer()). Besides letting it say 400, 401 or 403, this
	// is what makes n8n 2.41 save the static data written here (its de-duplication memory): n8n saves
	// it only when the node wrote the response.
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const stored = storage(this);
		const registration = stored.registration;
		const sender = senderNumber(
			this.getQueryData() as IDataObject,
			registration?.secret,
			Object.keys(registration?.webhookIds ?? {}),
		);
		if (!sender) {
			return answer(this, 401, { error: 'Unknown sender: the secret in the URL does not match' });
		}
		const delivery = deliveryOf(this);
		const { body, event, data } = delivery;
		if (event === undefined) {
			return answer(this, 400, {
				error: 'Not a Pilot Status event: expected a JSON object with "event"',
			});
		}
		if (namesAnotherNumber(delivery, sender)) {
			return answer(this, 403, {
				error: 'This URL belongs to another number than the event names',
			});
		}
		if (!wantsEvent(chosenEvents(this), event)) {
			return answer(this, 200, { received: true, ignored: 'event not selected' });
		}
		const key = deliveryKey(event, data, body.createdAt, sender);
		const trigger = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		if (key && isDuplicate(trigger, stored, key)) {
			return answer(this, 200, { received: true, duplicate: true });
		}
		const output: IDataObject = {
			...body,
			...(isPlainObject(body.data)
				? { data: { ...data, ...('number' in data ? { number: toE164(data.number) } : {}) } }
				: {}),
			// The trigger's own fields win over fields of the same name in the body.
			event,
			numberId: sender,
			receivedAt: new Date().toISOString(),
		};
		return answer(this, 200, { received: true }, [this.helpers.returnJsonArray(output)]);
	}
}
