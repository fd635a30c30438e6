import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	optionsCollection,
	sendingNumberLocator,
	toolMessageTextField,
	toolRecipientPhoneNumberField,
} from '../../descriptions/fields';
import { MODEL_INPUTS, modelInputSentence, settingsSentence } from '../../descriptions/tool';
import { acceptChecks, unreadableResponseError } from '../../errors/nodeErrors';
import { hookParameters } from '../../input/parameters';
import { LOCAL_NUMBER_HINT, localNumberCountryField } from '../../input/phoneNumber';
import { buildSendBody } from '../../messaging/body';
import type { OutgoingMessage } from '../../messaging/body';
import { MAX_BUTTONS, readOutgoingMessage } from '../../messaging/input';
import type { BinarySource } from '../../messaging/input';
import { SENT_MESSAGE_ID, sentMessageId, sentMessageOutput } from '../../messaging/output';
import { changesAccount, sendingNumberOfItem, withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { noteManualSend } from '../../routing/postReceive';

type Hook = IExecuteSingleFunctions;

const whenSendTo = (sendTo: string) => ({ show: { sendTo: [sendTo] } });
const whenType = (messageType: string) => ({ show: { messageType: [messageType] } });

const sendToField: INodeProperties = {
	displayName: 'Send To',
	name: 'sendTo',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Phone Number', value: 'phone', description: 'A WhatsApp contact' },
		{
			name: 'Group',
			value: 'group',
			description: 'A WhatsApp group the sending number belongs to (not on most Meta numbers)',
		},
		{
			name: 'Channel',
			value: 'channel',
			description: 'A WhatsApp channel the sending number administers (not on Meta numbers)',
		},
	],
	default: 'phone',
};

const destinationFields: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'recipientPhoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 11 99999-9999 or +55 11 99999-9999',
		description:
			'Who receives the message. Spaces, dashes and parentheses are removed; it is sent in international form (E.164).',
		hint: LOCAL_NUMBER_HINT,
		displayOptions: { ...whenSendTo('phone'), hide: { '@tool': [true] } },
	},
	{
		...toolRecipientPhoneNumberField,
		displayOptions: { show: { '@tool': [true], sendTo: ['phone'] } },
	},
	localNumberCountryField('recipientPhoneCountry', { displayOptions: whenSendTo('phone') }),

	{
		displayName: 'Group ID',
		name: 'groupId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 120363012345678901@g.us',
		description: 'The group’s WhatsApp ID, ending in @g.us',
		displayOptions: whenSendTo('group'),
	},
	{
		displayName: 'Channel ID',
		name: 'channelId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 120363012345678901@newsletter',
		description: 'The channel’s WhatsApp ID, ending in @newsletter',
		displayOptions: whenSendTo('channel'),
	},
];

const messageTypeField: INodeProperties = {
	displayName: 'Message Type',
	name: 'messageType',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Text',
			value: 'text',
			description:
				'Free text, with up to 3 buttons. On Meta numbers only within 24 hours of the contact’s last message.',
		},
		{
			name: 'Template',
			value: 'template',
			description: 'A template of the sending number, with its variables. Works at any time.',
		},
		{
			name: 'Media',
			value: 'media',
			description: 'An image, video, document or voice note. Needs a paid Pilot Status plan.',
		},
	],
	default: 'text',
};

const textFields: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Olá! Seu pedido foi confirmado.',
		description: 'The message. WhatsApp formatting works: *bold*, _italic_, ~strikethrough~.',
		displayOptions: { ...whenType('text'), hide: { '@tool': [true] } },
	},
	{
		...toolMessageTextField,
		displayOptions: { show: { '@tool': [true], messageType: ['text'] } },
	},
	{
		displayName: 'Buttons, Header and Footer',
		name: 'textOptions',
		type: 'collection',
		placeholder: 'Add buttons, header or footer',
		default: {},
		displayOptions: whenType('text'),
		options: [
			{
				displayName: 'Buttons',
				name: 'buttons',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Button' },
				default: {},
				description: `Up to ${MAX_BUTTONS} reply buttons. Not every WhatsApp provider shows buttons; test with your number.`,
				options: [
					{
						displayName: 'Button',
						name: 'button',
						values: [
							{
								displayName: 'Text',
								name: 'text',
								type: 'string',
								default: '',
								placeholder: 'e.g. Yes',
								description: 'What the button says',
							},
							{
								displayName: 'ID',
								name: 'id',
								type: 'string',
								default: '',
								placeholder: 'e.g. confirm',
								description:
									'What your workflow receives when the contact taps it (default: button_1, button_2, button_3)',
							},
						],
					},
				],
			},
			{
				displayName: 'Footer',
				name: 'footer',
				type: 'string',
				default: '',
				description: 'A small line under the message (only with buttons)',
			},
			{
				displayName: 'Header',
				name: 'header',
				type: 'string',
				default: '',
				description: 'A title above the message (only with buttons)',
			},
		],
	},
];

const templateFields: INodeProperties[] = [
	{
		displayName: 'Template',
		name: 'templateId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'A template of the sending number. On Meta numbers only approved templates send.',
		displayOptions: whenType('template'),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template...',
				typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
			},
			{
				displayName: 'By ID or Name',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. boas_vindas',
			},
		],
	},
	{
		displayName: 'Variables',
		name: 'variables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Variable' },
		default: {},
		placeholder: 'Add Variable',
		description: 'The values of the template’s variables: {{nome}} in the template is named nome',
		displayOptions: whenType('template'),
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. nome',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. Ana',
					},
				],
			},
		],
	},
];

const mediaFields: INodeProperties[] = [
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		options: [
			{ name: 'Image', value: 'image', description: 'JPEG or PNG, up to 5 MB' },
			{ name: 'Video', value: 'video', description: 'MP4, up to 16 MB' },
			{ name: 'Document', value: 'document', description: 'Any file, such as a PDF' },
			{
				name: 'Audio (Voice Note)',
				value: 'audio',
				description: 'Delivered as a voice note; no caption',
			},
		],
		default: 'image',
		displayOptions: whenType('media'),
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{
				name: 'URL',
				value: 'url',
				description: 'A public http(s) address Pilot Status downloads the file from',
			},
			{
				name: 'Binary File',
				value: 'binary',
				description:
					'A file an earlier node produced (up to 16 MB, images 5 MB). Not on Evolution GO numbers, which take URLs only.',
			},
		],
		default: 'url',
		displayOptions: whenType('media'),
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/catalogo.pdf',
		displayOptions: { show: { messageType: ['media'], mediaSource: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'mediaBinaryField',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input item’s binary field that holds the file',
		displayOptions: { show: { messageType: ['media'], mediaSource: ['binary'] } },
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'Text shown with the image, video or document',
		displayOptions: { show: { messageType: ['media'] }, hide: { mediaType: ['audio'] } },
	},
];

const sendOptions = optionsCollection(
	{
		displayName: 'Deliver At',
		name: 'deliverAt',
		type: 'dateTime',
		default: '',
		description:
			'Schedule the message for this time (in the workflow’s time zone) instead of sending it now. Until then Message → Cancel can stop it.',
	},
	{
		displayName: 'Labels',
		name: 'labels',
		type: 'string',
		default: '',
		placeholder: 'e.g. vip, onboarding',
		description:
			'Labels to tag the contact (or group) with in Pilot Status, separated by commas. New labels are created.',
	},
);

const sendNotice: INodeProperties = {
	displayName:
		'Sends a real WhatsApp message per item. QUEUED means accepted, not delivered: Message → Get or the trigger’s message events tell the outcome (Meta’s 24-hour window fails only there).',
	name: 'sendNotice',
	type: 'notice',
	default: '',
};

// The checked message of each item, from its preSend to its postReceive (n8n passes both the same
// per-item context object).
const messages = new WeakMap<object, OutgoingMessage>();

function binaryOf(hook: Hook): BinarySource {
	return async (field) => {
		if (!hook.getInputData().binary?.[field]) return undefined;
		const file = hook.getInputData().binary![field];
		const data = await hook.helpers.getBinaryDataBuffer(field);
		return { data, mimeType: file.mimeType, fileName: file.fileName };
	};
}

/** The body of the send, from the node's fields, checked as a whole before anything is sent. */
export async function messageInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { problems, message } = await readOutgoingMessage(
		hookParameters(this),
		binaryOf(this),
		this.getTimezone(),
	);
	acceptChecks(this.getNode(), this.getItemIndex(), ...problems.map((problem) => ({ problem })));
	messages.set(this, message);
	return { ...requestOptions, body: buildSendBody(message) };
}

export async function outputSentMessage(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const message = messages.get(this) as OutgoingMessage;
	const sendingNumber = sendingNumberOfItem(this);
	if (sentMessageId(response.body) === null) {
		// Thrown inside the item's send-once wrapper: marked as a change that may have happened, so
		// Retry On Fail hands this error back instead of sending the message again.
		throw unreadableResponseError(
			this.getNode(),
			response.body,
			{
				resource: 'message',
				operation: 'send',
				itemIndex: this.getItemIndex(),
				changes: true,
				sendingNumber,
			},
			SENT_MESSAGE_ID,
		);
	}
	return [
		{
			json: sentMessageOutput(response.body, message, sendingNumber),
			pairedItem: { item: this.getItemIndex() },
		},
	];
}

export const sendMessage: OperationDefinition = {
	option: {
		name: 'Send',
		value: 'send',
		action: 'Send a message',
		description: 'Send a WhatsApp text, template or media message to a contact, group or channel',
		routing: {
			request: { method: 'POST', url: '/v1/messages/send' },
			send: { preSend: [changesAccount, withSendingNumber, messageInBody] },
			output: { postReceive: [outputSentMessage, noteManualSend] },
		},
	},
	toolDescription: `Send a real WhatsApp message to a person through Pilot Status: it reaches their phone and may cost money, and every call sends another message, so call it once per message the user asked for. ${modelInputSentence(MODEL_INPUTS.recipientPhoneNumber)} ${modelInputSentence(MODEL_INPUTS.messageText)} ${settingsSentence('The sending number, the kind of message (text, template or media) and any template')} The answer says QUEUED: accepted, not yet delivered.`,
	fields: [
		sendNotice,
		sendingNumberLocator,
		sendToField,
		...destinationFields,
		messageTypeField,
		...textFields,
		...templateFields,
		...mediaFields,
		sendOptions,
	],
};
