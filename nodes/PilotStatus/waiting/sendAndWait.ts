import { WAIT_INDEFINITELY } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { answer, deliveryOf, namesAnotherNumber } from '../pilotStatusWebhooks/deliveries';
import { webhookIdIn } from '../pilotStatusWebhooks/webhookApi';
import { asNodeError, inputError, unreadableResponseError } from '../errors/nodeErrors';
import { isPlainObject, toE164 } from '../output/normalize';
import { itemParameters } from '../input/parameters';
import { checkId } from '../input/validation';
import type { ParameterReader } from '../input/parameters';
import { pilotStatusRequest, requestTimeoutOf } from '../transport/request';
import { sendOnce } from '../transport/replay';
import { buildSendBody } from '../messaging/body';
import type { MessageButton, OutgoingMessage } from '../messaging/body';
import { readOutgoingMessage } from '../messaging/input';
import type { MessageFieldNames } from '../messaging/input';
import {
	messageStatusOutput,
	SENT_MESSAGE_ID,
	sentMessageId,
	sentMessageOutput,
} from '../messaging/output';
import { sendingNumberHeaders, sendingNumberOf } from '../messaging/sendingNumber';
import { MAX_GIVE_UP_AFTER_MINUTES } from './giveUpAfter';
import {
	callerOf,
	cleanUp,
	prepareResume,
	registeredUrl,
	removeOwnWebhook,
	refuseToolOrSeveralItems,
	resumeUrlOf,
	sendRidingOutRateLimits,
	STARTED_KEY,
	waitingEntry,
	waitSecret,
	WEBHOOK_ID_KEY,
	webhookName,
} from './temporaryWebhook';

// Message → Send and Wait for Response. The message goes out once (sendOnce), then the execution
// waits as n8n's own send-and-wait nodes do (putExecutionToWait: no worker held, kept in the
// database, resumed by any main or webhook process). The answer comes back one of two ways:
// - WhatsApp Reply: a temporary Pilot Status webhook on the sending number (message.received and
//   message.reply) calls this execution's resume URL with a secret; only a reply from the
//   destination, to this message (or unquoted, see isOurReply), that is a valid answer resumes;
// - Link: the message carries a link to a page with the choices; only the page's POST counts, so
//   a link-preview bot's GET never answers (n8n PR #13792's problem).

export const SEND_AND_WAIT_OPERATION = 'sendAndWait';

/** Where the waiting stack entry carries the message waited on to webhook(). */
const DETAILS_KEY = 'pilotStatusSendAndWait';
/** The number part of the resume URL when the credential's own key names the sending number. */
const OWN_NUMBER = 'own';
/** The resume answers Pilot Status within this, message lookup included. */
const LOOKUP_TIMEOUT_MS = 5_000;
const APPROVE_ID = 'approve';
const DECLINE_ID = 'decline';
const REPLY_EVENTS = ['message.received', 'message.reply'];

type ResponseType = 'approval' | 'freeText';
type ResponseVia = 'reply' | 'link';

interface Choices {
	approveLabel: string;
	/** Undefined for Approve Only. */
	declineLabel?: string;
}

interface Plan {
	numberId?: string;
	message: OutgoingMessage;
	responseType: ResponseType;
	via: ResponseVia;
	deadline: Date;
}

/** What the resume needs to know about the message (stored with the waiting execution). */
interface Waited {
	messageId: string | null;
	to: string;
	numberId: string | null;
}

// --- reading the fields -------------------------------------------------------------------------

function textOf(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function choicesOf(read: ParameterReader): Choices {
	const approveLabel = textOf(read('approveLabel', 'Approve')) || 'Approve';
	if (read('approvalType', 'double') === 'single') return { approveLabel };
	return { approveLabel, declineLabel: textOf(read('declineLabel', 'Decline')) || 'Decline' };
}

const UNIT_MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: 24 * 60 };

/** Limit Wait Time, as n8n's send-and-wait nodes offer it: after an interval, or at a time. */
function deadlineOf(read: ParameterReader, now: number, problems: string[]): Date {
	if (read('limitWaitTime', false) !== true) return WAIT_INDEFINITELY;
	if (read('limitType', 'afterTimeInterval') === 'atSpecifiedTime') {
		const value = read('maxDateAndTime', '');
		const at = new Date(
			typeof value === 'object' && value && 'toISO' in value
				? String((value as { toISO: () => string }).toISO())
				: textOf(value),
		).getTime();
		if (!Number.isFinite(at)) {
			problems.push('Max Date and Time is not a date and time. Pick one, or map an ISO 8601 time.');
		} else if (at <= now) {
			problems.push(
				`Max Date and Time ${new Date(at).toISOString()} is in the past. Pick a time in the future, or turn off Limit Wait Time.`,
			);
		} else if (at > now + MAX_GIVE_UP_AFTER_MINUTES * 60_000) {
			problems.push('Max Date and Time is more than a year away. Pick a time within a year.');
		} else return new Date(at);
		return WAIT_INDEFINITELY;
	}
	const amount = read('resumeAmount', 1);
	const minutes = Number(amount) * (UNIT_MINUTES[String(read('resumeUnit', 'hours'))] ?? 60);
	if (typeof amount !== 'number' || !(minutes > 0) || minutes > MAX_GIVE_UP_AFTER_MINUTES) {
		problems.push(
			`Amount is ${String(amount)}; use a positive number of at most a year in the chosen unit.`,
		);
		return WAIT_INDEFINITELY;
	}
	return new Date(now + minutes * 60_000);
}

/** What the contact reads: the message and how to answer it. */
function composedText(
	read: ParameterReader,
	plan: Omit<Plan, 'message' | 'deadline'>,
	link: string,
) {
	const message = textOf(read('message', ''));
	if (plan.via === 'link') return `${message}\n\n${textOf(read('linkText', ''))} ${link}`.trim();
	const instructions =
		plan.responseType === 'freeText'
			? read('freeTextInstructions', '')
			: read('approvalType', 'double') === 'single'
				? read('approveOnlyInstructions', '')
				: read('approvalInstructions', '');
	return `${message}\n\n${textOf(instructions)}`.trim();
}

function buttonsOf(read: ParameterReader, plan: Omit<Plan, 'message' | 'deadline'>) {
	const options = read('options', {}) as IDataObject;
	if (plan.via !== 'reply' || plan.responseType !== 'approval' || options.addButtons !== true)
		return undefined;
	const choices = choicesOf(read);
	const buttons: MessageButton[] = [{ id: APPROVE_ID, text: choices.approveLabel }];
	if (choices.declineLabel) buttons.push({ id: DECLINE_ID, text: choices.declineLabel });
	return { button: buttons };
}

const MESSAGE_FIELD = 'Message';

/** This operation's names for what Send calls Phone Number, Text and the buttons. */
function fieldNames(plan: Omit<Plan, 'message' | 'deadline'>): MessageFieldNames {
	return {
		phoneNumber: 'To',
		text: MESSAGE_FIELD,
		textAdds: plan.via === 'link' ? 'the Link Text and the link' : 'the How to Answer text',
		button: (index) => (index === 0 ? 'Approve Label' : 'Decline Label'),
	};
}

/**
 * Every field checked before anything is sent or registered; every problem named at once. The
 * destination and text go through Send's own checks (messaging/input.ts).
 */
async function planOf(context: IExecuteFunctions, link: string, now: number): Promise<Plan> {
	const read = itemParameters(context, 0);
	const problems: string[] = [];
	const number = sendingNumberOf(read);
	if (number.problem !== undefined) problems.push(number.problem);
	if (textOf(read('message', '')) === '') {
		problems.push(`${MESSAGE_FIELD} is empty. Enter what the contact is asked.`);
	}
	const responseType = read('responseType', 'approval') === 'freeText' ? 'freeText' : 'approval';
	const via = read('responseVia', 'reply') === 'link' ? 'link' : 'reply';
	const deadline = deadlineOf(read, now, problems);
	const shape = { responseType, via } as const;
	const text = composedText(read, shape, link);
	const buttons = buttonsOf(read, shape);
	// Send's reader, told that this is a text message to a phone number.
	const fixed: IDataObject = {
		sendTo: 'phone',
		messageType: 'text',
		text,
		textOptions: buttons ? { buttons } : {},
		options: {},
	};
	const asText = Object.assign(
		(name: string, fallback?: unknown, options?: object) =>
			name in fixed ? fixed[name] : read(name, fallback, options),
		{ asTool: read.asTool },
	);
	const { problems: messageProblems, message } = await readOutgoingMessage(
		asText,
		async () => undefined,
		context.getTimezone(),
		now,
		fieldNames(shape),
	);
	// An empty Message is named above, with what to enter.
	const emptyText = `${MESSAGE_FIELD} is empty. Enter the message to send.`;
	problems.push(...messageProblems.filter((problem) => problem !== emptyText));
	if (problems.length > 0) throw inputError(context.getNode(), problems, 0);
	return { numberId: number.value, message, responseType, via, deadline };
}

// --- outcomes -----------------------------------------------------------------------------------

interface Answer {
	approved?: boolean;
	text?: string;
	from: string | null;
	replyMessageId: string | null;
	via: 'whatsappReply' | 'link';
}

/**
 * The node's output: n8n's send-and-wait shape (`data.approved` or `data.text`) plus the fields a
 * workflow needs to act on it. A timeout has the same fields, with responded false.
 */
function outcome(
	responseType: ResponseType,
	waited: Waited,
	sent: IDataObject,
	reply: Answer | undefined,
): INodeExecutionData {
	const value =
		responseType === 'approval'
			? { approved: reply ? reply.approved === true : null }
			: { text: reply ? (reply.text ?? '') : null };
	return {
		json: {
			responded: reply !== undefined,
			timedOut: reply === undefined,
			...value,
			from: reply?.from ?? null,
			respondedAt: reply ? new Date().toISOString() : null,
			respondedVia: reply?.via ?? null,
			replyMessageId: reply?.replyMessageId ?? null,
			messageId: waited.messageId,
			correlationId: sent.correlationId ?? null,
			to: waited.to,
			sendingNumberId: waited.numberId,
			data: reply ? value : {},
		},
		pairedItem: { item: 0 },
	};
}

// --- execute: register, send once, wait ---------------------------------------------------------

/** One start per run of the node, also across Retry On Fail tries, so a link already sent stays valid. */
const starts = new WeakMap<object, string>();

function startOf(context: IExecuteFunctions): string {
	const executeData = context.getExecuteData();
	const started = starts.get(executeData) ?? String(Date.now());
	starts.set(executeData, started);
	return started;
}

/** The number a registration answer names (a number-scoped key's own, when none was picked). */
function registeredNumberOf(body: unknown): string | null {
	const webhook = isPlainObject(body) && isPlainObject(body.webhook) ? body.webhook : body;
	if (!isPlainObject(webhook)) return null;
	const ids = webhook.whatsappNumberIds;
	const id = Array.isArray(ids) && ids.length === 1 ? ids[0] : webhook.whatsappNumberId;
	return typeof id === 'string' && checkId(id, 'number').problem === undefined ? id : null;
}

async function registerReplyWebhook(
	context: IExecuteFunctions,
	plan: Plan,
	url: string,
): Promise<{ webhookId?: string; numberId: string | null }> {
	const registered = await sendRidingOutRateLimits(context, {
		method: 'POST',
		path: '/v1/webhooks',
		headers: sendingNumberHeaders(plan.numberId),
		body: {
			url,
			name: webhookName('Send and Wait', context.getExecutionId(), plan.deadline),
			events: REPLY_EVENTS,
			...(plan.numberId ? { whatsappNumberId: plan.numberId } : {}),
		},
		failure: {
			resource: 'webhook',
			subject: plan.numberId,
			itemIndex: 0,
			changes: true,
			sendingNumber: plan.numberId,
		},
	});
	return {
		webhookId: webhookIdIn(registered.body),
		numberId: plan.numberId ?? registeredNumberOf(registered.body),
	};
}

async function sendMessage(context: IExecuteFunctions, plan: Plan): Promise<IDataObject> {
	const node = context.getNode();
	const [sent] = await sendOnce(
		{ executeData: context.getExecuteData(), node, itemIndex: 0 },
		async () => {
			const failure = {
				resource: 'message',
				itemIndex: 0,
				changes: true,
				sendingNumber: plan.numberId,
			};
			const { body } = await pilotStatusRequest.call(context, {
				method: 'POST',
				path: '/v1/messages/send',
				body: buildSendBody(plan.message),
				headers: sendingNumberHeaders(plan.numberId),
				timeoutMs: requestTimeoutOf(context),
				failure,
			});
			// Without the message's id no quoting reply could be matched, and the answer is not the
			// documented one: the message may have gone out, so it is not sent again.
			if (sentMessageId(body) === null) {
				throw unreadableResponseError(node, body, failure, SENT_MESSAGE_ID);
			}
			return [{ json: sentMessageOutput(body, plan.message, plan.numberId) }];
		},
	);
	return sent.json;
}

export async function sendAndWaitForResponse(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	refuseToolOrSeveralItems(this, {
		asTool: {
			message:
				'Send and Wait for Response cannot run as an AI tool: it would put the agent’s whole execution to wait. Nothing was sent.',
			fix: 'Use Message → Send as a tool, or send and wait in a normal workflow step.',
		},
		manyItems: (count) => ({
			message: `Send and Wait for Response asks one contact per execution, but this node received ${count} items. Nothing was sent.`,
			fix: 'Start one execution per contact (e.g. Loop Over Items with a sub-workflow, or Execute Once if one message is meant).',
		}),
	});
	const started = startOf(this);
	const now = Date.now();
	const sendingNumber = sendingNumberOf(itemParameters(this, 0)).value;
	const urlNumber = sendingNumber ?? OWN_NUMBER;
	const secret = await waitSecret(this, this.getExecutionId(), urlNumber, started);
	const url = registeredUrl(resumeUrlOf(this), urlNumber, started, secret);
	const plan = await planOf(this, url, now);

	let webhookId: string | undefined;
	let eventNumberId: string | null = null;
	try {
		if (plan.via === 'reply') {
			// Leftovers of this execution go first, so that Retry On Fail never leaves a second
			// webhook; the webhook exists before the message, so no reply can come before it.
			await cleanUp(this);
			({ webhookId, numberId: eventNumberId } = await registerReplyWebhook(this, plan, url));
		}
		const sent = await sendMessage(this, plan);
		const destination = plan.message.destination;
		const waited: Waited = {
			messageId: typeof sent.id === 'string' ? sent.id : null,
			to: destination.kind === 'phone' ? destination.phoneNumber : '',
			numberId: plan.numberId ?? null,
		};
		const timedOut = outcome(plan.responseType, waited, sent, undefined);
		prepareResume(this.getExecuteData(), timedOut, undefined, {
			webhookId,
			started,
			details: {
				[DETAILS_KEY]: { ...waited, eventNumberId, correlationId: sent.correlationId ?? null },
			},
		});
		await this.putExecutionToWait(plan.deadline);
		return [[timedOut]];
	} catch (error) {
		// No wait follows: a webhook left behind would call a finished execution. Also when the
		// registration's answer was lost: the webhook may exist, and is found by its URL.
		if (plan.via === 'reply') await removeOwnWebhook(this, webhookId);
		throw asNodeError(this.getNode(), error, 0);
	}
}

// --- webhook: the answer arrives ----------------------------------------------------------------

type Stored = Waited & { correlationId?: unknown; eventNumberId: string | null };

function waitedOf(metadata: IDataObject): Stored | undefined {
	const details = metadata[DETAILS_KEY];
	if (!isPlainObject(details) || typeof details.to !== 'string') return undefined;
	return {
		messageId: typeof details.messageId === 'string' ? details.messageId : null,
		to: details.to,
		numberId: typeof details.numberId === 'string' ? details.numberId : null,
		correlationId: details.correlationId,
		eventNumberId: typeof details.eventNumberId === 'string' ? details.eventNumberId : null,
	};
}

function normalized(value: unknown): string {
	return textOf(value)
		.toLowerCase()
		.replace(/^[\s*_~"'“”]+|[\s.!*_~"'“”]+$/g, '');
}

/** The ID of a tapped button, wherever the event carries it (the docs show no schema for it). */
function buttonIdOf(data: IDataObject): string | undefined {
	const nested = (key: string) =>
		isPlainObject(data[key]) ? (data[key] as IDataObject).id : undefined;
	const interactive = isPlainObject(data.interactive) ? data.interactive : {};
	const buttonReply = isPlainObject(interactive.button_reply) ? interactive.button_reply : {};
	const id =
		data.buttonId ??
		data.selectedButtonId ??
		data.buttonReplyId ??
		nested('button') ??
		nested('buttonReply') ??
		buttonReply.id;
	return typeof id === 'string' ? id : undefined;
}

/** An approval: "1"/"2", a choice's label (any case), or a tapped button. Anything else is not one. */
function approvalIn(data: IDataObject, choices: Choices): boolean | undefined {
	const button = buttonIdOf(data);
	if (button === APPROVE_ID) return true;
	if (button === DECLINE_ID && choices.declineLabel) return false;
	const said = normalized(data.content ?? data.text ?? data.body);
	if (said === '1' || said === normalized(choices.approveLabel)) return true;
	if (choices.declineLabel && (said === '2' || said === normalized(choices.declineLabel)))
		return false;
	return undefined;
}

/** Statuses of a message that reached WhatsApp, and so has a provider ID a reply can quote. */
const WENT_OUT = new Set(['SENT', 'DELIVERED', 'READ']);

/**
 * The provider ID (wamid, key.id) of our message, which a quoting reply names: null when the
 * message has not gone out (nothing can quote it yet), undefined when it went out but Pilot Status
 * does not name that ID (its documented "rendered" status shape has no externalMessageId).
 */
async function providerIdOf(
	context: IWebhookFunctions,
	waited: Waited,
): Promise<string | null | undefined> {
	if (!waited.messageId) return undefined;
	const { body } = await pilotStatusRequest.call(context, {
		method: 'GET',
		path: `/v1/messages/${encodeURIComponent(waited.messageId)}`,
		headers: sendingNumberHeaders(waited.numberId ?? undefined),
		timeoutMs: LOOKUP_TIMEOUT_MS,
		failure: { resource: 'message', subject: waited.messageId },
	});
	const status = messageStatusOutput(body);
	const id = textOf(status.externalMessageId);
	if (id !== '') return id;
	return WENT_OUT.has(String(status.status)) ? undefined : null;
}

/**
 * Whether a message from the contact answers our message. A quoting reply must quote it (by our
 * internal ID or the provider's, learned from Pilot Status). An unquoted message counts, as most
 * people answer without swiping to reply, unless Options → Only Quoted Replies is on: this
 * webhook exists only from just before the send until the answer, and only the destination's
 * messages reach this point; what it cannot tell apart is two open questions from the same number
 * to the same contact, which is what that option is for.
 * When our message went out but Pilot Status names no provider ID for it, a quote cannot be
 * compared, so a quoting reply counts as an unquoted one (else every swipe-to-reply answer would
 * be ignored for good); with Only Quoted Replies on, only a quote of Pilot Status's own ID matches.
 */
async function isOurReply(
	context: IWebhookFunctions,
	data: IDataObject,
	waited: Waited,
): Promise<boolean> {
	const quoted = textOf(data.quotedMessageId);
	if (quoted !== '') {
		if (quoted === waited.messageId) return true;
		const providerId = await providerIdOf(context, waited);
		if (providerId !== undefined) return quoted === providerId;
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return options.onlyQuotedReplies !== true;
}

async function onReply(
	context: IWebhookFunctions,
	waited: Stored,
	webhookId: unknown,
): Promise<IWebhookResponseData> {
	const delivery = deliveryOf(context);
	const ignore = (why: string) => answer(context, 200, { received: true, ignored: why });
	// A number-scoped key can list its webhook's URL, so without this its holder could deliver
	// another number's events through it. The number is the picked one, else the registration's.
	const numberId = waited.numberId ?? waited.eventNumberId;
	if (numberId !== null && namesAnotherNumber(delivery, numberId)) {
		return answer(context, 403, {
			error: 'This URL waits for another number than the event names',
		});
	}
	const { data } = delivery;
	if (!REPLY_EVENTS.includes(String(delivery.event)) || data.fromMe === true)
		return ignore('not a message from a contact');
	if (toE164(data.from) !== waited.to) return ignore('another contact');
	if (!(await isOurReply(context, data, waited))) return ignore('a reply to another message');

	const responseType = context.getNodeParameter('responseType', 'approval') as ResponseType;
	let reply: Answer;
	const base = {
		from: waited.to,
		replyMessageId: textOf(data.messageId) || null,
		via: 'whatsappReply' as const,
	};
	if (responseType === 'approval') {
		const approved = approvalIn(data, choicesOf(webhookReader(context)));
		if (approved === undefined) return ignore('not one of the choices; still waiting');
		reply = { ...base, approved };
	} else {
		const text = textOf(data.content ?? data.text ?? data.body);
		if (text === '') return ignore('no text; still waiting');
		reply = { ...base, text };
	}
	// Pilot Status asks receivers to answer quickly: the cleanup (which never throws) runs after.
	void removeOwnWebhook(context, webhookId);
	return resume(context, responseType, waited, reply, { received: true, resumed: true });
}

function resume(
	context: IWebhookFunctions,
	responseType: ResponseType,
	waited: Waited & { correlationId?: unknown },
	reply: Answer,
	response: IDataObject | undefined,
): IWebhookResponseData {
	const entry = waitingEntry(context)!;
	const sent: IDataObject = { correlationId: textOf(waited.correlationId) || null };
	const item = outcome(responseType, waited, sent, reply);
	prepareResume(entry, item, undefined);
	return { webhookResponse: response, workflowData: [[item]] };
}

function webhookReader(context: IWebhookFunctions): ParameterReader {
	return Object.assign(
		(name: string, fallback?: unknown) => context.getNodeParameter(name, fallback),
		{ asTool: false },
	);
}

// --- the approval link's page -------------------------------------------------------------------

function escapeHtml(value: string): string {
	return value.replace(
		/[&<>"']/g,
		(char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
	);
}

function page(title: string, body: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}p{white-space:pre-wrap}form{display:inline}button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem .3rem 0 0;border-radius:.4rem;border:1px solid #1fa463;background:#1fa463;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#1fa463}textarea{width:100%;min-height:6rem;font:inherit}</style></head><body>${body}</body></html>`;
}

function sendPage(context: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	const response = context.getResponseObject();
	response.status(status);
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	// The choices are never cached or shared: the link carries this wait's secret.
	response.setHeader('Cache-Control', 'no-store');
	response.setHeader('Referrer-Policy', 'no-referrer');
	response.send(html);
	return { noWebhookResponse: true };
}

/** The page a GET shows: the question and the choices, each a POST (which alone answers). */
function choicesPage(context: IWebhookFunctions, responseType: ResponseType): string {
	const read = webhookReader(context);
	const message = escapeHtml(textOf(read('message', '')));
	if (responseType === 'freeText') {
		const submit = escapeHtml(textOf((read('options', {}) as IDataObject).submitLabel) || 'Send');
		return page(
			message.slice(0, 60),
			`<p>${message}</p><form method="post"><textarea name="text" required></textarea><br><button type="submit">${submit}</button></form>`,
		);
	}
	const choices = choicesOf(read);
	const button = (choice: string, label: string, style = '') =>
		`<form method="post"><input type="hidden" name="choice" value="${choice}"><button type="submit"${style}>${escapeHtml(label)}</button></form>`;
	return page(
		message.slice(0, 60),
		`<p>${message}</p>${button(APPROVE_ID, choices.approveLabel)}${
			choices.declineLabel ? button(DECLINE_ID, choices.declineLabel, ' class="secondary"') : ''
		}`,
	);
}

/** The page's form fields: n8n parses a form body; a raw one is read here. */
function formOf(context: IWebhookFunctions): IDataObject {
	const body: unknown = context.getBodyData();
	if (isPlainObject(body)) return body;
	if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
	return {};
}

function onLink(context: IWebhookFunctions, waited: Waited): IWebhookResponseData {
	const method = context.getRequestObject().method;
	const responseType = context.getNodeParameter('responseType', 'approval') as ResponseType;
	// A GET, HEAD or anything but the page's POST only shows the choices: link-preview bots and
	// mail scanners open links, and must never answer.
	if (method !== 'POST') return sendPage(context, 200, choicesPage(context, responseType));
	const form = formOf(context);
	const base = { from: null, replyMessageId: null, via: 'link' as const };
	let reply: Answer;
	if (responseType === 'approval') {
		const choices = choicesOf(webhookReader(context));
		const choice = textOf(form.choice);
		if (choice !== APPROVE_ID && !(choice === DECLINE_ID && choices.declineLabel)) {
			return sendPage(context, 400, choicesPage(context, responseType));
		}
		reply = { ...base, approved: choice === APPROVE_ID };
	} else {
		const text = textOf(form.text);
		if (text === '') return sendPage(context, 400, choicesPage(context, responseType));
		reply = { ...base, text };
	}
	const thanks =
		textOf((context.getNodeParameter('options', {}) as IDataObject).recordedText) ||
		'Thank you, your response was recorded.';
	const result = resume(context, responseType, waited, reply, undefined);
	sendPage(context, 200, page(thanks, `<p>${escapeHtml(thanks)}</p>`));
	return { noWebhookResponse: true, workflowData: result.workflowData };
}

/**
 * Called by n8n for every call to the resume URL while this node waits. An answer without
 * workflowData keeps the execution waiting, so forged, foreign and irrelevant calls change
 * nothing. It never throws: n8n would resume the execution with an error.
 */
export async function resumeOnResponse(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const viaLink = this.getNodeParameter('responseVia', 'reply') === 'link';
	try {
		const caller = await callerOf(this);
		if (!caller) {
			return viaLink
				? sendPage(this, 401, page('Unknown link', '<p>This link is not valid.</p>'))
				: answer(this, 401, { error: 'Unknown sender: the secret in the URL does not match' });
		}
		const entry = waitingEntry(this);
		if (!entry) throw new Error('The waiting execution’s data is not available');
		const metadata = (entry.metadata ?? {}) as IDataObject;
		const waited = waitedOf(metadata);
		if (!waited) throw new Error('The waiting execution does not name its message');
		if (STARTED_KEY in metadata && metadata[STARTED_KEY] !== caller.started) {
			// An earlier round of this node in the same execution (a loop): not this question.
			return viaLink
				? sendPage(this, 410, page('Expired', '<p>This link is no longer valid.</p>'))
				: answer(this, 200, { received: true, ignored: 'an earlier wait of this node' });
		}
		if (viaLink) return onLink(this, waited);
		if (this.getRequestObject().method !== 'POST') {
			return answer(this, 405, { error: 'Pilot Status events are POSTed' });
		}
		return await onReply(this, waited, metadata[WEBHOOK_ID_KEY]);
	} catch {
		// Keep waiting; the service retries failed deliveries, a person tries the page again.
		return answer(this, 503, { error: 'The wait could not process this call; try again' });
	}
}
