import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { numberOptions } from './methods/listSearch/searchNumbers';
import { CREDENTIAL_TYPE } from './constants';
import { answer, deliveryOf, namesAnotherNumber } from './pilotStatusWebhooks/deliveries';
import { ALL_EVENTS, EVENT_OPTIONS, wantsEvent } from './pilotStatusWebhooks/events';
import {
	isMessageEvent,
	isOwnMessage,
	MESSAGE_EVENTS,
	messageEventOutput,
} from './pilotStatusWebhooks/messageEvents';
import type { MediaInfo } from './pilotStatusWebhooks/messageEvents';
import { isPlainObject, toE164 } from './output/normalize';
import { listNumbers } from './transport/request';
import { senderNumber } from './trigger/authenticity';
import { deliveryKey, isDuplicate, memoryKey } from './trigger/deduplication';
import { register, registrationIsIntact, storage, unregister } from './trigger/registration';
import { downloadMedia } from './trigger/media';
import type { MediaSettings } from './trigger/media';
import {
	checkedMessageSettings,
	checkedSettings,
	chosenEvents,
	chosenNumberIds,
} from './trigger/settings';

/** The message options show when a message event (or All Events) is chosen. */
const forMessageEvents = { show: { events: [ALL_EVENTS, ...MESSAGE_EVENTS] } };
const forMediaDownload = { show: { ...forMessageEvents.show, downloadMedia: [true] } };

/** The number's own fields win over fields of the same name in the body, as for every event. */
function numberEventOutput(body: IDataObject, data: IDataObject, event: string, sender: string) {
	return {
		...body,
		...(isPlainObject(body.data)
			? { data: { ...data, ...('number' in data ? { number: toE164(data.number) } : {}) } }
			: {}),
		event,
		numberId: sender,
	};
}

/** The item with the message's file in `binary`, or with `mediaError` saying why not. */
async function withMedia(
	context: IWebhookFunctions,
	json: IDataObject,
	numberId: string,
	settings: MediaSettings,
): Promise<INodeExecutionData> {
	const result = await downloadMedia(context, json.media as MediaInfo, numberId, settings);
	if ('error' in result) return { json: { ...json, mediaError: result.error } };
	return { json, binary: { [settings.binaryProperty]: result.binary } };
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
		subtitle: '={{ [].concat($parameter["events"]).join(", ") }}',
		// n8n's node panel merges a trigger into its action node and shows the trigger's description
		// for both, so this one speaks for the whole integration.
		description:
			'Provision WhatsApp numbers, pair them, send messages, manage their keys and webhooks, and start workflows when a number connects or disconnects',
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
				displayName: 'Ignore Own Messages',
				name: 'ignoreOwnMessages',
				type: 'boolean',
				default: true,
				description:
					'Whether to drop the messages the number itself sends when the provider reports them as received (fromMe). On by default, so that a workflow that replies does not answer its own replies. Message Sent, Delivered, Read and Failed always arrive.',
				displayOptions: forMessageEvents,
			},
			{
				displayName: 'Download Media',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the file of an image, video, audio, document or sticker message into the item. A download that fails never drops the message: the item says why in mediaError.',
				displayOptions: forMessageEvents,
			},
			{
				displayName: 'Put Media in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The binary field of the item that receives the file',
				displayOptions: forMediaDownload,
			},
			{
				displayName: 'Allowed Media Hosts',
				name: 'allowedMediaHosts',
				type: 'string',
				default: '',
				placeholder: 'media.example.com, *.s3.amazonaws.com',
				description:
					'Hosts that media links may point to, separated by commas (host, host:port or *.domain). Empty: only the host of the credential’s Base URL. Anyone who learns a webhook URL can post events, so the trigger never fetches an address just because an event names it. Meta media is always fetched through the Pilot Status API with the credential.',
				displayOptions: forMediaDownload,
			},
			{
				displayName: 'Max Media Size (MB)',
				name: 'maxMediaSizeMb',
				type: 'number',
				typeOptions: { minValue: 0.001, maxValue: 100 },
				default: 16,
				description:
					'Larger files are not downloaded (the item says so in mediaError); the download stops as soon as it passes this size',
				displayOptions: forMediaDownload,
			},
			{
				displayName: 'Media Download Timeout (Seconds)',
				name: 'mediaTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 30,
				description: 'The longest a download may take, start to last byte',
				displayOptions: forMediaDownload,
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
		const trigger = memoryKey(
			this.getWorkflow().id ?? '',
			this.getNode().id,
			registration?.secret ?? '',
		);
		if (key && isDuplicate(trigger, stored, key)) {
			return answer(this, 200, { received: true, duplicate: true });
		}
		const receivedAt = new Date().toISOString();
		if (!isMessageEvent(event)) {
			const output = { ...numberEventOutput(body, data, event, sender), receivedAt };
			return answer(this, 200, { received: true }, [this.helpers.returnJsonArray(output)]);
		}
		const settings = checkedMessageSettings(this);
		if (settings.ignoreOwnMessages && isOwnMessage(event, data)) {
			return answer(this, 200, { received: true, ignored: 'own message' });
		}
		const json: IDataObject = { ...messageEventOutput(event, data, body, sender), receivedAt };
		if (!settings.media || json.media === null) {
			return answer(this, 200, { received: true }, [[{ json }]]);
		}
		// Answered before the download: the service retries slow answers, and a retry is one more run.
		answer(this, 200, { received: true });
		return {
			noWebhookResponse: true,
			workflowData: [[await withMedia(this, json, sender, settings.media)]],
		};
	}
}
