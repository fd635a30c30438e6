import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { searchConversations } from './methods/listSearch/searchConversations';
import { searchGroups } from './methods/listSearch/searchGroups';
import { searchNumbers } from './methods/listSearch/searchNumbers';
import { searchTemplates } from './methods/listSearch/searchTemplates';
import { searchWebhooks } from './methods/listSearch/searchWebhooks';
import { accountResource } from './resources/account';
import { analyticsResource } from './resources/analytics';
import { apiKeyResource } from './resources/apiKey';
import { callOperations, callResource } from './resources/call';
import { channelResource } from './resources/channel';
import { contactResource } from './resources/contact';
import { checkPhoneNumbers } from './resources/contact/checkNumber';
import { conversationOperations, conversationResource } from './resources/conversation';
import { groupOperations, groupResource } from './resources/group';
import { mediaResource } from './resources/media';
import { downloadMediaWith } from './resources/media/download';
import { fromMediaApi } from './trigger/media';
import { messageResource } from './resources/message';
import { cancelScheduledMessages } from './resources/message/cancel';
import { sendMessages } from './resources/message/send';
import { numberResource } from './resources/number';
import { regenerateApiKeys } from './resources/apiKey/regenerate';
import { rotateOwnKeyOnce } from './resources/apiKey/rotateOwnKey';
import { remotePairingResource } from './resources/remotePairing';
import { templateResource } from './resources/template';
import { webhookResource } from './resources/webhook';
import { CREDENTIAL_TYPE } from './constants';
import { nodeProperties } from './routing/operations';
import { requestOptionsSetting } from './descriptions/requestOptions';
import { resumeOnEvent, resumeWebhooks } from './waiting/waitForWebhook';
import {
	resumeOnResponse,
	sendAndWaitForResponse,
	SEND_AND_WAIT_OPERATION,
} from './waiting/sendAndWait';
import { waitForNumberConnection, waitForPairingConnection } from './waiting/waitForConnection';

export class PilotStatus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pilot Status',
		name: 'pilotStatus',
		icon: {
			light: 'file:../../icons/pilotStatus.svg',
			dark: 'file:../../icons/pilotStatus.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Provision WhatsApp numbers, pair them, send messages, manage their keys and webhooks, and start workflows when a number connects or disconnects',
		defaults: { name: 'Pilot Status' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				// Not "required": RoutingNode refuses to run a hidden required credential, and remote
				// pairing runs without one. Operations that need it check in requireCredential.
				required: false,
				displayOptions: { hide: { resource: ['remotePairing'] } },
			},
		],
		// No baseURL here: the credential's authenticate sets it, and public remote pairing calls take
		// it from their options (usePublicApiOrigin).
		requestDefaults: {
			headers: { Accept: 'application/json' },
			ignoreHttpStatusErrors: true,
		},
		webhooks: resumeWebhooks,

		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Analytics', value: 'analytics' },
					{ name: 'API Key', value: 'apiKey' },
					{ name: 'Call', value: 'call' },
					{ name: 'Channel', value: 'channel' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Group', value: 'group' },
					{ name: 'Media', value: 'media' },
					{ name: 'Message', value: 'message' },
					{ name: 'Number', value: 'number' },
					{ name: 'Remote Pairing', value: 'remotePairing' },
					{ name: 'Template', value: 'template' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'number',
			},
			...nodeProperties([
				numberResource,
				apiKeyResource,
				messageResource,
				accountResource,
				analyticsResource,
				callResource,
				channelResource,
				contactResource,
				conversationResource,
				groupResource,
				mediaResource,
				remotePairingResource,
				templateResource,
				webhookResource,
			]),
			requestOptionsSetting,
		],
	};

	methods = {
		listSearch: {
			searchConversations,
			searchGroups,
			searchNumbers,
			searchTemplates,
			searchWebhooks,
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getNodeParameter('operation', '') === SEND_AND_WAIT_OPERATION) {
			return await resumeOnResponse.call(this);
		}
		return await resumeOnEvent.call(this);
	}

	// Operations that are more than one request per item run as code beside the routing: waiting is
	// a loop of status checks, and the key operations need the outcome of every item of the run.
	customOperations = {
		apiKey: { regenerate: regenerateApiKeys, rotateOwnKey: rotateOwnKeyOnce },
		call: callOperations,
		contact: { checkNumber: checkPhoneNumbers },
		conversation: conversationOperations,
		group: groupOperations,
		media: { download: downloadMediaWith(fromMediaApi) },
		message: {
			cancel: cancelScheduledMessages,
			send: sendMessages,
			sendAndWait: sendAndWaitForResponse,
		},
		number: { waitForConnection: waitForNumberConnection },
		remotePairing: { waitForConnection: waitForPairingConnection },
	};
}
