import { sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
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
import {
	acceptChecks,
	asNodeError,
	inputError,
	inputErrorWith,
	isOutcomeUnknown,
	unreadableResponseError,
} from '../../errors/nodeErrors';
import type { FailureContext } from '../../errors/nodeErrors';
import { itemParameters } from '../../input/parameters';
import { LOCAL_NUMBER_HINT, localNumberCountryField } from '../../input/phoneNumber';
import type { Checked } from '../../input/validation';
import { buildSendBody, destinationOutput } from '../../messaging/body';
import type { OutgoingMessage } from '../../messaging/body';
import { runInFlight } from '../../messaging/inFlight';
import { MAX_BUTTONS, readOutgoingMessage, withFileData } from '../../messaging/input';
import type { BinarySource } from '../../messaging/input';
import {
	SENT_MESSAGE_ID,
	sentMessageId,
	sentMessageOutput,
	skippedMessageOutput,
} from '../../messaging/output';
import {
	MAX_PER_MINUTE,
	MAX_SPAN_MINUTES,
	checkSpan,
	deliverAtFor,
	paceOf,
	samePace,
	slotOf,
	startOf,
} from '../../messaging/pacing';
import type { Pace } from '../../messaging/pacing';
import { sendingNumberHeaders, sendingNumberOf } from '../../messaging/sendingNumber';
import type { OperationDefinition } from '../../routing/operations';
import { noteManualSend } from '../../routing/postReceive';
import { sendOnce } from '../../transport/replay';
import { pilotStatusRequest } from '../../transport/request';
import { batches, checkBatch, checkOutput } from '../contact/checkNumber';

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

const notForTool = { hide: { '@tool': [true] } };

const sendOptions = optionsCollection(
	{
		displayName: 'Deliver At',
		name: 'deliverAt',
		type: 'dateTime',
		default: '',
		description:
			'Schedule the message for this time (in the workflow’s time zone) instead of sending it now. Until then Message → Cancel can stop it. With a pace, the time the run’s first message goes (the first item’s value).',
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
	{
		displayName: 'Pace: Messages per Minute',
		name: 'messagesPerMinute',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_PER_MINUTE, numberPrecision: 2 },
		default: 20,
		description: `Spread the run’s messages at this rate (up to ${MAX_PER_MINUTE}): every message is accepted at once and Pilot Status sends each at its time (Deliver At), so the execution ends at once and no n8n worker waits. The first goes a few seconds after the run starts (or at Deliver At), then one every 60/N seconds. Pilot Status’s anti-ban advice: warm a new number up with a low rate and raise it gradually, send only to contacts who opted in, and vary your templates; about 3% of recipients reporting spam can get a number restricted, and a slow pace does not make unwanted messages safe.`,
		displayOptions: notForTool,
	},
	{
		displayName: 'Pace: Spread Over (Minutes)',
		name: 'spreadOverMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_SPAN_MINUTES },
		default: 60,
		description: `Spread the run’s messages evenly over this many minutes (up to ${MAX_SPAN_MINUTES}, 7 days): every message is accepted at once and Pilot Status sends each at its time, so no n8n worker waits. Use it or Messages per Minute, not both. The service’s anti-ban advice (warm up, ~3% spam reports) applies as for Messages per Minute.`,
		displayOptions: notForTool,
	},
	{
		displayName: 'Skip Numbers Not on WhatsApp',
		name: 'skipNotOnWhatsApp',
		type: 'boolean',
		default: false,
		description:
			'Whether to check the phone numbers first (as Contact → Check Number, 20 per call) and send nothing to those without WhatsApp: their items come out with status SKIPPED, not as errors. Groups and channels are not checked. A Brazilian mobile counts as on WhatsApp when its account exists with or without the ninth digit (accounts from before the ninth digit). Not on Meta numbers, which cannot check numbers.',
	},
);

const sendNotice: INodeProperties = {
	displayName:
		'Sends a real WhatsApp message per item. QUEUED means accepted, not delivered: Message → Get or the trigger’s message events tell the outcome (Meta’s 24-hour window fails only there).',
	name: 'sendNotice',
	type: 'notice',
	default: '',
};

export const sendMessage: OperationDefinition = {
	option: {
		name: 'Send',
		value: 'send',
		action: 'Send a message',
		description: 'Send a WhatsApp text, template or media message to a contact, group or channel',
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

// --- the run ------------------------------------------------------------------------------------
// Send is a custom operation (PilotStatus.node.ts customOperations): it sees the run as a whole.
// Every item is read and checked before the first message goes; numbers are checked for WhatsApp
// when asked; the messages go a few at a time, in order, each file read at its turn; a pace gives
// each message its deliverAt. An item that ended stays ended under Retry On Fail (sendOnce).

type Outcome = INodeExecutionData | Error;

interface Planned {
	itemIndex: number;
	numberId?: string;
	message: OutgoingMessage;
	/** The item's Options (Skip Numbers Not on WhatsApp is the item's; the pace must be the run's). */
	options: IDataObject;
}

interface RunSettings {
	pace?: Pace;
	/** The first item's Options, which every item's pace must match. */
	options: IDataObject;
}

/** What Settings → Request Options → Timeout leaves unset means for a routed call in n8n, kept for Send. */
const SEND_TIMEOUT_MS = 300_000;

function sendTimeoutOf(context: IExecuteFunctions): number {
	const { timeout } = context.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	return typeof timeout === 'number' && timeout > 0 ? timeout : SEND_TIMEOUT_MS;
}

/** The run's pace, from the first item's Options (a pace is about the run, not an item). */
function runSettingsOf(context: IExecuteFunctions): Checked<RunSettings> {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const pace = paceOf(options);
	if (pace.problem !== undefined) return pace;
	return { value: { pace: pace.value, options } };
}

function binaryOf(context: IExecuteFunctions, itemIndex: number): BinarySource {
	return async (field) => {
		if (!context.getInputData()[itemIndex]?.binary?.[field]) return undefined;
		const { mimeType, fileName, bytes } = context.helpers.assertBinaryData(itemIndex, field);
		return { mimeType, fileName, bytes: typeof bytes === 'number' ? bytes : undefined };
	};
}

/** The item's checked message and sending number; its file is not read yet. */
async function planOf(context: IExecuteFunctions, itemIndex: number): Promise<Planned> {
	const read = itemParameters(context, itemIndex);
	const numberId = sendingNumberOf(read);
	const { problems, message, options } = await readOutgoingMessage(
		read,
		binaryOf(context, itemIndex),
		context.getTimezone(),
	);
	const [sendingNumber] = acceptChecks(
		context.getNode(),
		itemIndex,
		numberId,
		...problems.map((problem) => ({ problem })),
	);
	return { itemIndex, numberId: sendingNumber, message, options };
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	return {
		json: { error: error.message },
		pairedItem: { item: itemIndex },
		error: error as INodeExecutionData['error'],
	};
}

// --- Skip Numbers Not on WhatsApp ---------------------------------------------------------------

const SKIP_FIELD = 'Skip Numbers Not on WhatsApp';

/** A phone destination in E.164 (BSUIDs, groups and channels are not checked). */
function checkedPhone(plan: Planned): string | undefined {
	const { destination } = plan.message;
	return destination.kind === 'phone' && destination.phoneNumber.startsWith('+')
		? destination.phoneNumber
		: undefined;
}

function checkFailed(context: IExecuteFunctions, error: Error, itemIndex: number): Error {
	return inputErrorWith(
		context.getNode(),
		`${SKIP_FIELD} could not check the phone number, so nothing was sent for this item: ${error.message}`,
		`${SKIP_FIELD} checks every phone number before sending. Fix what the check says and run again, or turn the option off to send without checking (Meta numbers cannot check numbers).`,
		itemIndex,
	);
}

/** The items that turned Skip Numbers Not on WhatsApp on, by sending number and phone. */
function plansToCheck(plans: Planned[]): Map<string | undefined, Map<string, Planned[]>> {
	const byNumber = new Map<string | undefined, Map<string, Planned[]>>();
	for (const plan of plans) {
		const phone = checkedPhone(plan);
		if (plan.options.skipNotOnWhatsApp !== true || phone === undefined) continue;
		const byPhone = byNumber.get(plan.numberId) ?? new Map<string, Planned[]>();
		byPhone.set(phone, [...(byPhone.get(phone) ?? []), plan]);
		byNumber.set(plan.numberId, byPhone);
	}
	return byNumber;
}

/**
 * Checks the phone numbers of the items that ask for it, 20 per call per sending number, each
 * number once; returns each item's check, or the error of the call that should have checked it.
 */
async function whatsappChecks(
	context: IExecuteFunctions,
	plans: Planned[],
): Promise<Map<number, IDataObject | Error>> {
	const checks = new Map<number, IDataObject | Error>();
	const calls: Array<{ numberId?: string; phones: string[]; byPhone: Map<string, Planned[]> }> = [];
	for (const [numberId, byPhone] of plansToCheck(plans)) {
		for (const batch of batches([...byPhone.keys()]))
			calls.push({ numberId, phones: batch, byPhone });
	}
	await runInFlight(calls.length, {
		work: async (index) => {
			const { numberId, phones, byPhone } = calls[index];
			const covered = phones.flatMap((phone) => byPhone.get(phone) ?? []);
			const failure: FailureContext = {
				resource: 'contact',
				operation: 'checkNumber',
				itemIndex: covered[0].itemIndex,
				sendingNumber: numberId,
			};
			try {
				const results = await checkBatch(context, numberId, phones, failure);
				for (const plan of covered) {
					const e164 = checkedPhone(plan) as string;
					const result = results.get(e164);
					const check = checkOutput({ typed: e164, e164 }, result);
					// No answer for the number is no proof it lacks WhatsApp: it is sent, as unchecked.
					checks.set(plan.itemIndex, result === undefined ? { ...check, onWhatsApp: null } : check);
				}
			} catch (error) {
				for (const plan of covered)
					checks.set(plan.itemIndex, checkFailed(context, error as Error, plan.itemIndex));
			}
		},
	});
	return checks;
}

// --- sending ------------------------------------------------------------------------------------

interface Slot {
	/** When the message should go (ms), or undefined: at once, or at its own Deliver At. */
	at?: number;
}

/** Each message's time under the pace: the first at the run's start (its Deliver At, or in a moment). */
function slotsOf(pace: Pace | undefined, plans: Planned[], now: number): Slot[] {
	if (pace === undefined) return plans.map(() => ({}));
	const start = startOf(plans[0]?.message.deliverAt, now);
	return plans.map((_plan, position) => ({ at: slotOf(pace, plans.length, start, position) }));
}

/** The message with its file read in, just before it goes (files are read at their turn). */
async function withFileRead(context: IExecuteFunctions, plan: Planned): Promise<OutgoingMessage> {
	const { itemIndex } = plan;
	const [message] = acceptChecks(
		context.getNode(),
		itemIndex,
		await withFileData(
			plan.message,
			async (field) => await context.helpers.getBinaryDataBuffer(itemIndex, field),
		),
	);
	return message;
}

/** When the message is due: the pace's time (which replaces the item's own Deliver At), else its Deliver At. */
function dueAt(plan: Planned, slot: Slot): number | undefined {
	return slot.at ?? (plan.message.deliverAt ? Date.parse(plan.message.deliverAt) : undefined);
}

/**
 * The message with its time as of this try. A time that has come since the items were checked (a
 * long run, a slow check, a 429 waited out) is no longer a time: the message goes at once, which is
 * when it was due, rather than being refused as in the past. A time still ahead is kept, so a wait
 * does not move the later messages of a paced run: only those whose time passed meanwhile go at once.
 */
function timedForTry(message: OutgoingMessage, due: number | undefined): OutgoingMessage {
	if (due === undefined) return message;
	return { ...message, deliverAt: deliverAtFor(due, Date.now()) };
}

type ItemsAction = (this: unknown, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

/** One item's send, at most once per run (also under Retry On Fail). */
async function sendPlanned(
	context: IExecuteFunctions,
	plan: Planned,
	slot: Slot,
	whatsappCheck: IDataObject | undefined,
): Promise<INodeExecutionData> {
	const { itemIndex, numberId } = plan;
	const node = context.getNode();
	const attempt = { executeData: context.getExecuteData(), node, itemIndex };
	const [item] = await sendOnce(attempt, async () => {
		const read = await withFileRead(context, plan);
		const due = dueAt(plan, slot);
		// The body is built again on every try (a 429 waited out), and the output tells the last one.
		let message = read;
		const bodyForTry = () => {
			message = timedForTry(read, due);
			return buildSendBody(message);
		};
		const failure: FailureContext = {
			resource: 'message',
			operation: 'send',
			itemIndex,
			changes: true,
			sendingNumber: numberId,
		};
		const { body } = await pilotStatusRequest.call(context, {
			method: 'POST',
			path: '/v1/messages/send',
			body: bodyForTry,
			headers: sendingNumberHeaders(numberId),
			timeoutMs: sendTimeoutOf(context),
			failure,
		});
		// Without the message's id the send cannot be followed, and the answer is not the documented
		// one: the message may have gone out, so it is not sent again (see sendOnce).
		if (sentMessageId(body) === null)
			throw unreadableResponseError(node, body, failure, SENT_MESSAGE_ID);
		const json = {
			...sentMessageOutput(body, message, numberId),
			...(whatsappCheck ? { whatsappCheck } : {}),
		};
		return await (noteManualSend as unknown as ItemsAction).call(context, [
			{ json, pairedItem: { item: itemIndex } },
		]);
	});
	return item;
}

/** Request Options → Batching, as RoutingNode applies it: a pause before each batch after the first. */
function batchPause(context: IExecuteFunctions): (position: number) => Promise<void> {
	const { batching } = context.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const batch = ((batching as IDataObject | undefined)?.batch ?? {}) as IDataObject;
	const size = typeof batch.batchSize === 'number' && batch.batchSize > 0 ? batch.batchSize : 1;
	const interval = typeof batch.batchInterval === 'number' ? batch.batchInterval : 0;
	return async (position) => {
		if (position > 0 && interval > 0 && position % size === 0) await sleep(interval);
	};
}

const counted = (count: number, one: string, many: string) =>
	`${count} ${count === 1 ? one : many}`;

const STOPPED_NOTE = (sent: number, unsent: number) =>
	`${counted(sent, 'other message was', 'other messages were')} sent${unsent > 0 ? ` and ${counted(unsent, 'item was', 'items were')} not sent (the run stopped at this failure)` : ''}: n8n drops the output of a node that fails. Use Settings → On Error → Continue (or the error output) so every item comes out, sent or failed; Retry On Fail never sends the sent ones again.`;

const LOST_TOO_NOTE = (items: string[]) =>
	`The answer for ${items.join(', ')} was lost as well: ${items.length === 1 ? 'that message' : 'those messages'} may or may not have gone out, and ${items.length === 1 ? 'is' : 'are'} not sent again (also not under Retry On Fail). Check the Pilot Status Trigger’s message.sent events or the dashboard’s message logs before sending ${items.length === 1 ? 'it' : 'them'} again.`;

/**
 * A failure's own description, before a run added what else it did: under Retry On Fail a send
 * whose outcome is unknown hands back the same error object on every try.
 */
const ownDescriptions = new WeakMap<Error, string | null | undefined>();

/** The run's first failure (in item order), saying what else the run did. */
function runFailure(
	context: IExecuteFunctions,
	outcomes: Array<Outcome | undefined>,
	plans: Planned[],
): Error {
	const failed = outcomes.find((outcome) => outcome instanceof Error) as Error;
	const error = asNodeError(context.getNode(), failed);
	if (!ownDescriptions.has(error)) ownDescriptions.set(error, error.description);
	const others = outcomes.filter((outcome) => outcome !== failed);
	const sent = others.filter(
		(outcome) => outcome && !(outcome instanceof Error) && outcome.json.id,
	);
	const skipped = others.filter(
		(outcome) => outcome && !(outcome instanceof Error) && !outcome.json.id,
	);
	const lost = plans.filter(
		(plan) => outcomes[plan.itemIndex] !== failed && isOutcomeUnknown(outcomes[plan.itemIndex]),
	);
	const unsent = others.length - sent.length - skipped.length - lost.length;
	const lostItems = lost.map(
		(plan) =>
			`item index ${plan.itemIndex} (${String(destinationOutput(plan.message.destination).destination)})`,
	);
	error.description = [
		ownDescriptions.get(error),
		lost.length > 0 ? LOST_TOO_NOTE(lostItems) : undefined,
		sent.length > 0 || lost.length > 0 ? STOPPED_NOTE(sent.length, unsent) : undefined,
	]
		.filter(Boolean)
		.join(' ');
	return error;
}

/**
 * Message → Send for the whole run. Bad input anywhere stops the run before the first message goes
 * (with On Error → Continue, bad items come out as errors and the others are sent). Once sending,
 * a failure stops further sends (those in flight finish) and fails the node, unless On Error →
 * Continue makes it an error item.
 */
export async function sendMessages(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const count = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	const outcomes: Array<Outcome | undefined> = new Array(count).fill(undefined);
	const fail = (error: unknown, itemIndex: number) => {
		const nodeError = asNodeError(this.getNode(), error, itemIndex);
		if (!continueOnFail) throw nodeError;
		outcomes[itemIndex] = nodeError;
	};

	const settings = runSettingsOf(this);
	const runProblem = (problem: string) => {
		for (let itemIndex = 0; itemIndex < count; itemIndex++)
			if (outcomes[itemIndex] === undefined)
				fail(inputError(this.getNode(), [problem], itemIndex), itemIndex);
	};
	if (settings.problem !== undefined) runProblem(settings.problem);

	const plans: Planned[] = [];
	for (let itemIndex = 0; itemIndex < count && settings.value; itemIndex++) {
		try {
			plans.push(await planOf(this, itemIndex));
		} catch (error) {
			fail(error, itemIndex);
		}
	}

	if (settings.value !== undefined) {
		const one = samePace(settings.value.options, plans);
		if (one.problem !== undefined) runProblem(one.problem);
	}

	const checks = await whatsappChecks(
		this,
		plans.filter((plan) => outcomes[plan.itemIndex] === undefined),
	);
	for (const plan of plans) {
		const check = checks.get(plan.itemIndex);
		if (check instanceof Error) fail(check, plan.itemIndex);
		else if (check && check.onWhatsApp === false)
			outcomes[plan.itemIndex] = {
				json: skippedMessageOutput(plan.message, plan.numberId, check),
				pairedItem: { item: plan.itemIndex },
			};
	}

	const toSend = plans.filter((plan) => outcomes[plan.itemIndex] === undefined);
	const pace = settings.value?.pace;
	if (pace !== undefined) {
		const span = checkSpan(pace, toSend.length);
		if (span.problem !== undefined) runProblem(span.problem);
	}
	const sending = toSend.filter((plan) => outcomes[plan.itemIndex] === undefined);
	const slots = slotsOf(pace, sending, Date.now());
	let stopped = false;
	await runInFlight(sending.length, {
		mayStart: () => !stopped && !this.getExecutionCancelSignal()?.aborted,
		beforeStart: batchPause(this),
		work: async (position) => {
			const plan = sending[position];
			try {
				outcomes[plan.itemIndex] = await sendPlanned(
					this,
					plan,
					slots[position],
					checks.get(plan.itemIndex) as IDataObject | undefined,
				);
			} catch (error) {
				outcomes[plan.itemIndex] = asNodeError(this.getNode(), error, plan.itemIndex);
				if (!continueOnFail) stopped = true;
			}
		},
	});
	if (stopped) throw runFailure(this, outcomes, plans);
	const output = outcomes.map((outcome, itemIndex) =>
		outcome instanceof Error ? errorItem(outcome, itemIndex) : outcome,
	);
	// Only a stopped execution leaves items unsent: n8n discards this run's output then anyway.
	return [output.filter((item): item is INodeExecutionData => item !== undefined)];
}
