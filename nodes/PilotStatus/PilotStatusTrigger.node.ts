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

import { numberOptions } from './listSearch/searchNumbers';
import { CREDENTIAL_TYPE } from './shared/constants';
import { toE164 } from './shared/normalize';
import { listNumbers } from './shared/transport';
import { senderNumber } from './trigger/authenticity';
import { deliveryKey, isDuplicate } from './trigger/deduplication';
import { EVENT_OPTIONS, wantsEvent } from './shared/events';
import {
	chosenNumberIds,
	fingerprint,
	register,
	registeredUrl,
	storage,
	unregister,
	webhookIsIntact,
} from './trigger/registration';

function chosenEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	return context.getNodeParameter('events', []) as string[];
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The trigger answers every call itself. Besides letting it say 400 or 401, this is what makes
 * n8n 2.41 save the static data written here (its de-duplication memory): n8n saves it only when
 * the node wrote the response.
 */
function answer(
	context: IWebhookFunctions,
	status: number,
	body: IDataObject,
	workflowData?: IWebhookResponseData['workflowData'],
): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
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
				const numberIds = await chosenNumberIds(this);
				if (registration.fingerprint !== fingerprint(chosenEvents(this), numberIds)) return false;
				for (const numberId of numberIds) {
					const webhookId = registration.webhookIds[numberId];
					const url = registeredUrl(this, registration.secret, numberId);
					if (!webhookId || !(await webhookIsIntact.call(this, webhookId, url))) return false;
				}
				return true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				await register(this, storage(this), chosenEvents(this), await chosenNumberIds(this));
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				await unregister(this, storage(this));
				return true;
			},
		},
	};

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
		const body: unknown = this.getBodyData();
		if (!isPlainObject(body) || typeof body.event !== 'string') {
			return answer(this, 400, {
				error: 'Not a Pilot Status event: expected a JSON object with "event"',
			});
		}
		const data = isPlainObject(body.data) ? body.data : {};
		const named = data.numberId ?? data.instanceId;
		if (named !== undefined && named !== null && String(named) !== sender) {
			return answer(this, 403, {
				error: 'This URL belongs to another number than the event names',
			});
		}
		if (!wantsEvent(chosenEvents(this), body.event)) {
			return answer(this, 200, { received: true, ignored: 'event not selected' });
		}
		const key = deliveryKey(body.event, data);
		const trigger = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		if (key && isDuplicate(trigger, stored, key)) {
			return answer(this, 200, { received: true, duplicate: true });
		}
		const event: IDataObject = {
			...body,
			...(isPlainObject(body.data)
				? { data: { ...data, ...('number' in data ? { number: toE164(data.number) } : {}) } }
				: {}),
			// The trigger's own fields win over fields of the same name in the body.
			event: body.event,
			numberId: sender,
			receivedAt: new Date().toISOString(),
		};
		return answer(this, 200, { received: true }, [this.helpers.returnJsonArray(event)]);
	}
}
