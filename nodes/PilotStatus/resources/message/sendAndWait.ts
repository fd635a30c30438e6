import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection, sendingNumberLocator } from '../../descriptions/fields';
import { LOCAL_NUMBER_HINT, localNumberCountryField } from '../../input/phoneNumber';
import type { OperationDefinition } from '../../routing/operations';

// The fields of Message → Send and Wait for Response (a custom operation: see
// waiting/sendAndWait.ts). Every text the contact reads is a field with an English default, so a
// workflow can speak the customer's language.

const whenVia = (responseVia: string) => ({ show: { responseVia: [responseVia] } });
const whenApproval = (approvalType: string, responseVia = 'reply') => ({
	show: { responseType: ['approval'], approvalType: [approvalType], responseVia: [responseVia] },
});

const notice: INodeProperties = {
	displayName:
		'Sends a real WhatsApp message, then waits (holding no worker) for the contact’s answer. A WhatsApp Reply arrives through a temporary Pilot Status webhook: n8n must be reachable from the internet.',
	name: 'sendAndWaitNotice',
	type: 'notice',
	default: '',
};

const recipientFields: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'recipientPhoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 11 99999-9999 or +55 11 99999-9999',
		description:
			'The contact who is asked. Spaces, dashes and parentheses are removed; it is sent in international form (E.164), and only this number’s answer counts.',
		hint: LOCAL_NUMBER_HINT,
	},
	localNumberCountryField('recipientPhoneCountry'),
];

const messageField: INodeProperties = {
	displayName: 'Message',
	name: 'message',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	placeholder: 'e.g. Posso confirmar seu pedido #123?',
	description:
		'What the contact is asked. How to answer (below) is added after it. WhatsApp formatting works: *bold*, _italic_.',
};

const responseFields: INodeProperties[] = [
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The contact approves or declines',
			},
			{
				name: 'Free Text',
				value: 'freeText',
				description: 'The contact answers in their own words',
			},
		],
		default: 'approval',
	},
	{
		displayName: 'Response Via',
		name: 'responseVia',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'WhatsApp Reply',
				value: 'reply',
				description:
					'The contact replies in the chat. Only their replies to this message (or unquoted messages, see Options) count.',
			},
			{
				name: 'Link',
				value: 'link',
				description:
					'The message carries a link to a page with the choices; only a choice made on that page counts, never a mere visit (link previews)',
			},
		],
		default: 'reply',
	},
	{
		displayName: 'Type of Approval',
		name: 'approvalType',
		type: 'options',
		options: [
			{ name: 'Approve and Decline', value: 'double' },
			{ name: 'Approve Only', value: 'single' },
		],
		default: 'double',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Approve Label',
		name: 'approveLabel',
		type: 'string',
		default: 'Approve',
		description:
			'The approving choice: a reply with this text (any case) or 1 approves; also the button’s text',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Decline Label',
		name: 'declineLabel',
		type: 'string',
		default: 'Decline',
		description:
			'The declining choice: a reply with this text (any case) or 2 declines; also the button’s text',
		displayOptions: { show: { responseType: ['approval'], approvalType: ['double'] } },
	},
	{
		displayName: 'How to Answer',
		name: 'approvalInstructions',
		type: 'string',
		default: 'Reply 1 to approve or 2 to decline.',
		description: 'Added after the message; say it in the contact’s language',
		displayOptions: whenApproval('double'),
	},
	{
		displayName: 'How to Answer',
		name: 'approveOnlyInstructions',
		type: 'string',
		default: 'Reply 1 to approve.',
		description: 'Added after the message; say it in the contact’s language',
		displayOptions: whenApproval('single'),
	},
	{
		displayName: 'How to Answer',
		name: 'freeTextInstructions',
		type: 'string',
		default: 'Reply to this message with your answer.',
		description: 'Added after the message; say it in the contact’s language',
		displayOptions: { show: { responseType: ['freeText'], responseVia: ['reply'] } },
	},
	{
		displayName: 'Link Text',
		name: 'linkText',
		type: 'string',
		default: 'Open this link to respond:',
		description: 'Added after the message, followed by the link',
		displayOptions: whenVia('link'),
	},
];

const limitFields: INodeProperties[] = [
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'boolean',
		default: false,
		description:
			'Whether to stop waiting after a while. Without a limit the execution (and the temporary webhook) waits until the contact answers.',
	},
	{
		displayName: 'Limit Type',
		name: 'limitType',
		type: 'options',
		default: 'afterTimeInterval',
		options: [
			{
				name: 'After Time Interval',
				value: 'afterTimeInterval',
				description: 'Waits for a certain amount of time',
			},
			{
				name: 'At Specified Time',
				value: 'atSpecifiedTime',
				description: 'Waits until the set date and time to continue',
			},
		],
		displayOptions: { show: { limitWaitTime: [true] } },
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description: 'The time to wait',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		default: 'hours',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		description: 'Unit of the interval value',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Max Date and Time',
		name: 'maxDateAndTime',
		type: 'dateTime',
		default: '',
		description: 'Continue execution after the specified date and time',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['atSpecifiedTime'] } },
	},
];

const options = optionsCollection(
	{
		displayName: 'Add Buttons',
		name: 'addButtons',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the choices as reply buttons too (Approval with WhatsApp Reply). Not every WhatsApp provider shows buttons; the typed answers work either way.',
	},
	{
		displayName: 'Only Quoted Replies',
		name: 'onlyQuotedReplies',
		type: 'boolean',
		default: false,
		description:
			'Whether only replies that quote this message count (WhatsApp Reply). Turn on when the same number may have several open questions to the same contact; by default an unquoted message from the contact counts too.',
	},
	{
		displayName: 'Page Button Label',
		name: 'submitLabel',
		type: 'string',
		default: 'Send',
		description: 'The button under the answer box on the link’s page (Free Text with Link)',
	},
	{
		displayName: 'Page Thank-You Text',
		name: 'recordedText',
		type: 'string',
		default: 'Thank you, your response was recorded.',
		description: 'What the link’s page says once the contact has answered',
	},
);

/** A custom operation (see PilotStatus.node.ts customOperations): it sends, then waits. */
export const sendAndWaitOperation: OperationDefinition = {
	option: {
		name: 'Send and Wait for Response',
		value: 'sendAndWait',
		action: 'Send message and wait for response',
		description:
			'Ask a contact on WhatsApp to approve, decline or answer, and continue with their answer',
	},
	toolDescription:
		'Not available to AI agents: sending and waiting puts the whole execution to wait.',
	fields: [
		notice,
		sendingNumberLocator,
		...recipientFields,
		messageField,
		...responseFields,
		...limitFields,
		options,
	],
};
