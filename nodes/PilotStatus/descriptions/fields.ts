import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BASE_URL, ID_PATTERN } from '../constants';
import { MODEL_INPUTS } from './tool';
import type { ModelInput } from './tool';

/** The "Options" collection (Add option) of an operation. */
export function optionsCollection(...options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** A Number field without display rules, for collections and other resources. */
export const numberLocatorField: INodeProperties = {
	displayName: 'Number',
	name: 'numberId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The WhatsApp number to work on. By ID takes the ID Pilot Status gave the number (like num_01HZX9K3), not its phone number.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a number...',
			typeOptions: { searchListMethod: 'searchNumbers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. num_01HZX9K3',
			validation: [
				{
					type: 'regex',
					properties: {
						// Empty is "required"'s to report; the format message would only repeat it.
						regex: `^$|${ID_PATTERN}`,
						errorMessage:
							'Number: not a Pilot Status ID (like num_01HZX9K3). A phone number? Pick it From List, or map its id from Number → Get Many.',
					},
				},
			],
		},
	],
};

/**
 * The Number field of every number operation (and API Key → Regenerate), declared once: one
 * declaration per name keeps RoutingNode from evaluating a mapped ID once per declaration. Left
 * empty, the steps that follow Create or Connect take the previous step's number (numberIdOf);
 * Delete and Regenerate never do. As an AI tool the model fills toolNumberId instead.
 */
export const numberLocator: INodeProperties = {
	...numberLocatorField,
	required: false,
	description:
		'The WhatsApp number to work on: its ID (like num_01HZX9K3), not its phone number. Left empty, Get, Get Status, Connect and Wait for Connection use the previous step’s number (its numberId, else its id); Delete and Regenerate always need it chosen.',
	hint: 'Empty: the previous step’s number (numberId, else id), so after Create or Connect it can stay empty. Delete and Regenerate need it chosen.',
	displayOptions: { hide: { '@tool': [true] } },
};

/**
 * A field as an AI agent's tool sees it: filled by the model, with the hint it needs (a number's
 * ID is not its phone number). The default is what the editor's "Let the model define this
 * parameter" writes (its marker makes the editor show it so), with our hint; the user can still
 * type a fixed value. Shown only on the Tool variant, so the normal node neither shows nor
 * evaluates it; the field it replaces is hidden there.
 */
function modelFilledField(
	{ parameter, key, hint }: ModelInput,
	displayName: string,
	description: string,
): INodeProperties {
	const quoted = hint.replace(/[\\']/g, '\\$&');
	return {
		displayName,
		name: parameter,
		type: 'string',
		default: `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${key}', '${quoted}', 'string') }}`,
		description,
		displayOptions: { show: { '@tool': [true] } },
	};
}

export const toolNumberIdField = modelFilledField(
	MODEL_INPUTS.numberId,
	'Number ID',
	'The ID of the number, filled by the AI agent by default',
);

export const toolPairingLinkField = modelFilledField(
	MODEL_INPUTS.pairingLink,
	'Pairing Link or Token',
	'The link or its token, filled by the AI agent by default',
);

export const toolRecipientPhoneNumberField = modelFilledField(
	MODEL_INPUTS.recipientPhoneNumber,
	'Phone Number',
	'The number to send to, filled by the AI agent by default',
);

export const toolMessageTextField = modelFilledField(
	MODEL_INPUTS.messageText,
	'Text',
	'The message, written by the AI agent by default',
);

export const toolMessageIdField = modelFilledField(
	MODEL_INPUTS.messageId,
	'Message ID',
	'The ID of the message, filled by the AI agent by default',
);

/**
 * Message operations: the number that sends, sent as x-whatsapp-number-id. Only the tenant key
 * needs it; a number's own key names its number.
 */
export const sendingNumberLocator: INodeProperties = {
	...numberLocatorField,
	displayName: 'Sending Number',
	name: 'sendingNumberId',
	required: false,
	description:
		'The WhatsApp number this acts for (it sends the messages; the templates, channels, checks and statistics are its own), when the credential holds the tenant key. Sent as the x-whatsapp-number-id header.',
	hint: 'Leave empty when the credential holds this number’s own key (API Key → Get Many or Regenerate gives it). Pick it when the credential holds the tenant key.',
};

export const toolWebhookIdField = modelFilledField(
	MODEL_INPUTS.webhookId,
	'Webhook ID',
	'The ID of the webhook, filled by the AI agent by default',
);

export const pairingLinkField: INodeProperties = {
	displayName: 'Pairing Link or Token',
	name: 'pairingLink',
	type: 'string',
	required: true,
	// The steps after Create Remote Pairing Link take its token as they are.
	default: '={{ $json.token }}',
	placeholder: 'e.g. https://pilotstatus.com.br/connect/rp_01HZX9K3',
	description:
		'The token from Create Remote Pairing Link, or the whole link; the token is taken from its end',
	// As an AI tool the model fills toolPairingLink instead.
	displayOptions: { hide: { '@tool': [true] } },
};

export const qrCodeBinaryField: INodeProperties = {
	displayName: 'Put QR Code in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field that receives the QR code PNG',
};

export const includeQrCodeBase64Option: INodeProperties = {
	displayName: 'Include QR Code as Base64',
	name: 'includeQrCodeBase64',
	type: 'boolean',
	default: false,
	description:
		'Whether to also put the QR code in the JSON as a data URI (qrCodeBase64). Off by default: the file is already in the binary field.',
};

export const linkToApiKeyOption: INodeProperties = {
	displayName: 'Link to API Key',
	name: 'linkToApiKey',
	type: 'boolean',
	default: true,
	description:
		'Whether to point the calling number-scoped key at the new number. The service does this by default; it has no effect with the tenant key.',
	routing: { send: { type: 'body', property: 'linkToApiKey' } },
};

/** Public remote pairing calls run without a credential, so they take the API host here. */
export const apiBaseUrlOption: INodeProperties = {
	displayName: 'API Base URL',
	name: 'apiBaseUrl',
	type: 'string',
	default: DEFAULT_BASE_URL,
	description: 'Change only to reach a test server such as the project sandbox',
};

/** Return All / Limit, as n8n's Get Many operations offer. The API returns the whole list at once. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
		routing: { output: { maxResults: '={{ $value }}' } },
	},
];

export const stopWhenDisconnectedOption: INodeProperties = {
	displayName: 'Stop When Disconnected',
	name: 'stopWhenDisconnected',
	type: 'boolean',
	default: false,
	description:
		'Whether to end the wait as soon as a number that started pairing falls back to CLOSED (QR code expired, customer cancelled) instead of waiting for the timeout. A remote pairing link nobody has opened yet does not count.',
};

/** Number → Wait for Connection only: remote pairing links have no number ID to subscribe with. */
export const resumeWhenField: INodeProperties = {
	displayName: 'Resume When',
	name: 'resumeWhen',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Pilot Status Notifies (Webhook)',
			value: 'webhook',
			description:
				'Puts the execution to wait, holding no worker, until Pilot Status calls it back. Survives restarts. Needs an n8n that Pilot Status can reach (N8N_WEBHOOK_URL).',
		},
		{
			name: 'Poll Every Few Seconds',
			value: 'polling',
			description:
				'Asks for the state every few seconds, inside the running execution. Works anywhere, also on an n8n the internet cannot reach.',
		},
	],
	default: 'polling',
	hint: 'Polling works anywhere. On an n8n that Pilot Status can reach (N8N_WEBHOOK_URL), choose Pilot Status Notifies: nothing runs while the customer pairs.',
};

/** Poll interval, timeout and what a wait that ends without a connection does. */
export const waitFields: INodeProperties[] = [
	{
		displayName: 'Poll Every (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 0.5 },
		default: 5,
		description: 'How often to ask for the connection state',
		displayOptions: { hide: { resumeWhen: ['webhook'] } },
	},
	{
		displayName: 'Give Up After (Minutes)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0.01 },
		default: 10,
		description:
			'How long to wait for the customer to scan the QR code. With Pilot Status Notifies, n8n checks waiting executions once a minute, so the wait may end up to a minute later.',
	},
	{
		displayName: 'If Not Connected',
		name: 'ifNotConnected',
		type: 'options',
		options: [
			{
				name: 'Fail the Item',
				value: 'fail',
				description: 'Stop with an error that says the number did not connect',
			},
			{
				name: 'Output a Not-Connected Item',
				value: 'output',
				description:
					'Output connected: false and the reason, so the workflow can send a reminder or a new QR code',
			},
		],
		default: 'fail',
	},
];

/** Webhook → Get and Get Many: the same, for webhooks. */
export const simplifyWebhookField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplifyWebhook',
	type: 'boolean',
	default: true,
	description:
		'Whether to return only the ID, name, URL, number, events, whether it is active and who created it, instead of every field',
};

/** Simplify, as n8n's own nodes offer it where an answer has more than 10 fields. */
export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return only the ID, name, number, provider, state and isFullyConnected instead of every field the service sends',
};

/** Connect: what a QR code can and cannot do (its life is short and undocumented). */
export const qrCodeLifetimeNotice: INodeProperties = {
	displayName:
		'The QR code expires after about a minute: show it to a customer who is present. For anyone else, use Number → Create Remote Pairing Link.',
	name: 'qrCodeLifetimeNotice',
	type: 'notice',
	default: '',
};

/** Create: the two things to know before running it, in one notice. */
export const createNumberNotice: INodeProperties = {
	displayName:
		'Pin this output while you build: every run provisions a number. Its QR code expires after about a minute; for a customer who is not present, use Create Remote Pairing Link.',
	name: 'createNumberNotice',
	type: 'notice',
	default: '',
};

/** Create Remote Pairing Link provisions a number each time it runs. */
export const pinWhileBuildingNotice: INodeProperties = {
	displayName: 'Pin this output while you build: every run provisions a number.',
	name: 'pinWhileBuildingNotice',
	type: 'notice',
	default: '',
};

/** Remote pairing hides the credential; say why, and where requests go instead. */
export const noCredentialNotice: INodeProperties = {
	displayName: `Runs without a credential (the link's token is the key), against Options → API Base URL (${DEFAULT_BASE_URL}), never a pasted link's host.`,
	name: 'noCredentialNotice',
	type: 'notice',
	default: '',
};

/**
 * Webhook → Create's number; see numberIdOf for why it has a name of its own. As an AI tool the
 * model fills toolNumberId instead.
 */
export const webhookNumberLocator: INodeProperties = {
	...numberLocator,
	name: 'webhookNumberId',
	description: 'The number whose events the webhook receives (a webhook belongs to one number)',
};

/** As an AI tool the model fills toolWebhookId instead. */
export const webhookLocator: INodeProperties = {
	displayName: 'Webhook',
	name: 'webhookId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The webhook to work on. By ID takes the ID Pilot Status gave it (like wh_01HZX9K3).',
	displayOptions: { hide: { '@tool': [true] } },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a webhook...',
			typeOptions: { searchListMethod: 'searchWebhooks', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. wh_01HZX9K3',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: ID_PATTERN,
						errorMessage:
							'Webhook: not a Pilot Status ID. Use letters, digits and _ - . :, e.g. wh_01HZX9K3',
					},
				},
			],
		},
	],
};

/**
 * Webhook URLs carry secrets in their query (the trigger's and Wait for Connection's). Not on the
 * AI tool, whose output goes to the model provider; output.ts ignores it there too.
 */
export const revealSecretsOption: INodeProperties = {
	displayName: 'Reveal Secrets in URLs',
	name: 'revealSecrets',
	type: 'boolean',
	default: false,
	description:
		'Whether to output webhook URLs with the values of their secret and signature parameters. Off: they read "…". Anyone holding such a URL can send events to the workflow behind it. Not available when the node runs as an AI tool.',
	displayOptions: { hide: { '@tool': [true] } },
};
