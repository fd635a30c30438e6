import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../constants';
import { errorCodeOf, redactSecrets, serverText } from './redact';
import { looksLikePhoneNumber, problemsOf } from '../input/validation';
import type { Checked } from '../input/validation';

type NodeApiErrorOptions = NonNullable<ConstructorParameters<typeof NodeApiError>[2]>;

/** What the failed call was about, so that its message can be specific and safe. */
export interface FailureContext {
	resource: string;
	/** The ID the call was about, e.g. the number ID of a Get. */
	subject?: string;
	/** The node's operation, for answers whose meaning depends on it (a 409 on Connect). */
	operation?: string;
	itemIndex?: number;
	/**
	 * The operation changes the account (creates, connects, deletes, regenerates). Its messages never
	 * suggest Retry On Fail (n8n repeats every item of the run), and say when a change may have
	 * happened although the answer was lost.
	 */
	changes?: boolean;
	/**
	 * The request deletes something. The docs show no body for a delete's answer ("200, body not
	 * seen"), so a 2xx without one (a 204, say) means it was done.
	 */
	deletes?: boolean;
	/** Values that must never appear in a message: the credential's key and key ID. */
	secrets?: string[];
	/** The number a message call named in x-whatsapp-number-id (Sending Number), if any. */
	sendingNumber?: string;
	/** A 429 the node waited out as long as the item's deadline allowed (transport/rateLimit.ts). */
	rateLimit?: RateLimitRideOut;
}

/** How long the node rode out 429s before giving up on an item. */
export interface RateLimitRideOut {
	/** 429 answers to this item's request in a row. */
	refusals: number;
	/** The wait the next try would have needed. */
	nextWaitMs: number;
	/** The item's whole time limit (Settings → Request Options → Timeout). */
	timeoutMs: number;
	/**
	 * The next wait would pass the Timeout, Retry-After asked for more than the node waits at once,
	 * or the execution was stopped during a wait.
	 */
	stoppedBy: 'timeout' | 'retryAfter' | 'cancelled';
}

interface Explanation {
	message: string;
	description: string;
}

// Errors this package created. Wrappers pass them through untouched instead of re-reading them,
// so that no error is ever classified by words in its text.
const ownErrors = new WeakSet<Error>();

export function isOwnError(error: unknown): boolean {
	return error instanceof Error && ownErrors.has(error);
}

/**
 * A NodeApiError that keeps the message it is given. NodeApiError replaces any message that merely
 * contains a Node error code (ECONNREFUSED, ENOENT, ETIMEDOUT...) with a generic text of its own, so
 * words the service echoes could otherwise rewrite what the user is told.
 */
export function ownApiError(
	node: INode,
	response: JsonObject,
	options: NodeApiErrorOptions & { message: string },
): NodeApiError {
	const error = new NodeApiError(node, response, options);
	error.message = options.message;
	error.messages = [];
	ownErrors.add(error);
	return error;
}

/**
 * Input that fails a check before anything is sent. A NodeApiError without an HTTP code: RoutingNode
 * passes a NodeApiError through as it is, but re-wraps any other error as a NodeApiError with
 * httpCode 'none', which the editor shows under "From Pilot Status" as if the service had said it.
 */
export function inputError(node: INode, problems: string[], itemIndex?: number): NodeApiError {
	// "Nothing was sent" in the message too: an AI agent sees only the message.
	const message =
		problems.length === 1
			? `${problems[0]} Nothing was sent.`
			: `${problems.length} fields need a fix: ${problems.join(' ')} Nothing was sent.`;
	return inputErrorWith(
		node,
		message,
		'Fix the field (or the expression that fills it) and run again.',
		itemIndex,
	);
}

type Values<T extends Array<Checked<unknown>>> = {
	[K in keyof T]: T[K] extends Checked<infer V> ? V : never;
};

/** Every check's value, or one error that names every field of the item that needs a fix. */
export function acceptChecks<T extends Array<Checked<unknown>>>(
	node: INode,
	itemIndex: number | undefined,
	...checks: T
): Values<T> {
	const problems = problemsOf(...checks);
	if (problems.length > 0) throw inputError(node, problems, itemIndex);
	return checks.map((check) => check.value) as Values<T>;
}

/** A check that fails before sending, with its own description (see inputError). */
export function inputErrorWith(
	node: INode,
	message: string,
	description: string,
	itemIndex?: number,
): NodeApiError {
	return ownApiError(node, {}, { message, description, itemIndex });
}

export function retryAfterSeconds(headers: IDataObject | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
	const date = Date.parse(String(value));
	return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

const UNCHANGED = 'Nothing was changed.';
const UNSENT = 'Nothing was sent.';
export const MAY_HAVE_CHANGED =
	'The change may or may not have been made: check (for example with Get Many) before running it again.';

/**
 * A send whose answer was lost: no message ID came back, so Message → Get cannot look it up, and
 * the API has no idempotency key that would make a second send safe.
 */
export const MAY_HAVE_BEEN_SENT =
	'The message may or may not have gone out, so the node does not send it again (also not under Retry On Fail). Without Pilot Status’s answer there is no message ID to look up: before sending it again, check the Pilot Status Trigger’s message.sent events or the message logs in the Pilot Status dashboard.';

/** What a failure after which the change may have happened says about it. */
export function outcomeUnknownText(context: FailureContext): string {
	return context.resource === 'message' ? MAY_HAVE_BEEN_SENT : MAY_HAVE_CHANGED;
}

function mayHaveChanged(context: FailureContext): string {
	return context.changes ? outcomeUnknownText(context) : 'Nothing was changed; try again later.';
}

/**
 * Failures of an operation that changes the account after which the change may have been made (a
 * server error, a lost or unreadable answer). Retry On Fail must not send these again.
 */
const outcomesUnknown = new WeakSet<Error>();

export function markOutcomeUnknown<T extends Error>(error: T, context: FailureContext): T {
	if (context.changes) outcomesUnknown.add(error);
	return error;
}

export function isOutcomeUnknown(error: unknown): boolean {
	return error instanceof Error && outcomesUnknown.has(error);
}

function retryAdvice(context: FailureContext): string {
	if (context.resource === 'message' && context.changes) {
		return 'Turn on Settings → Retry On Fail with a wait of 5000 ms or more: a refused message was not sent, the items already sent are not sent again, and a message whose outcome is unknown is never repeated. For many messages, send fewer at a time (Settings → Request Options → Batching).';
	}
	return context.changes
		? 'Send fewer items at a time (Settings → Request Options → Batching), and use Settings → On Error → Continue (or the error output) to run only the failed items again later.'
		: 'Send fewer items at a time (Settings → Request Options → Batching), or turn on Settings → Retry On Fail with a wait of 5000 ms or more: this operation changes nothing, so repeating it is safe.';
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/**
 * A 429: the node already waited and asked again as long as the item's Timeout allowed (see
 * transport/rateLimit.ts), so the fix is fewer requests at a time, or more time per item.
 */
function rateLimited(headers: IDataObject | undefined, context: FailureContext): Explanation {
	const wait = retryAfterSeconds(headers);
	const after = wait !== undefined ? `${Math.ceil(wait)} s` : 'a minute';
	const rideOut = context.rateLimit;
	if (!rideOut) {
		return {
			message: `Pilot Status is rate limiting requests (429 Too Many Requests). ${UNCHANGED} Wait ${after} and run it again.`,
			description: retryAdvice(context),
		};
	}
	const refused =
		rideOut.refusals === 1 ? 'was refused once' : `was refused ${rideOut.refusals} times`;
	if (rideOut.stoppedBy === 'cancelled') {
		return {
			message: `Pilot Status is rate limiting requests (429 Too Many Requests). ${UNCHANGED} The execution was stopped while the node waited to ask again.`,
			description: 'Run the workflow again if it was stopped by mistake.',
		};
	}
	if (rideOut.stoppedBy === 'retryAfter') {
		return {
			message: `Pilot Status is rate limiting requests (429 Too Many Requests). ${UNCHANGED} The request ${refused} and Retry-After asks to wait ${after}, longer than the node waits by itself. Wait ${after} and run it again.`,
			description: retryAdvice(context),
		};
	}
	const pace =
		context.resource === 'message' && context.changes
			? 'Pace the sends (Message → Send → Options → Pace) or send fewer at a time (Settings → Request Options → Batching)'
			: 'Send fewer items at a time (Settings → Request Options → Batching)';
	return {
		message: `Pilot Status is rate limiting requests (429 Too Many Requests). ${UNCHANGED} The request ${refused}; the next wait (${seconds(rideOut.nextWaitMs)}) would pass this item's Timeout (${seconds(rideOut.timeoutMs)}). ${pace}, or raise Settings → Request Options → Timeout, and run it again.`,
		description: `The node waits out a rate limit by itself (at least a second between tries, longer each time, as long as Retry-After asks) within each item's Timeout. ${retryAdvice(context)}`,
	};
}

function notFound(code: string | undefined, text: string, context: FailureContext): Explanation {
	const id =
		context.subject === undefined ? undefined : redactSecrets(context.subject, context.secrets);
	const messageNotFound = messageNotFoundExplanation(code, id, context);
	if (messageNotFound) return messageNotFound;
	if (context.resource === 'remotePairing') {
		return {
			message: `The remote pairing link is invalid, has expired, or was used up by its number connecting (404). ${UNCHANGED} Check the number (Number → Get Status with the link's numberId) before creating a new link.`,
			description:
				'Pairing links live 24 hours and stop working once their number has connected (Get Status of the number then says OPEN). If it is not connected, create a new link with Number → Create Remote Pairing Link.',
		};
	}
	// The code, when there is one, says what is missing: Webhook → Create can miss its number.
	if (
		code === 'WEBHOOK_NOT_FOUND' ||
		(code !== 'NUMBER_NOT_FOUND' && context.resource === 'webhook')
	) {
		return {
			message: `Webhook${id ? ` "${id}"` : ''} was not found (404${code ? ` ${code}` : ''}). ${UNCHANGED}`,
			description:
				'It was deleted, or it belongs to a number this key cannot see. Pick the webhook from the list.',
		};
	}
	if (
		code === 'NUMBER_NOT_FOUND' ||
		context.resource === 'number' ||
		context.resource === 'apiKey'
	) {
		const phoneHint = looksLikePhoneNumber(id)
			? ` "${id}" looks like a phone number: use the number's ID (like num_01HZX...) from the list or from Get Many.`
			: '';
		return {
			message: `There is no number${id ? ` with ID "${id}"` : ''} in this Pilot Status account (404). ${UNCHANGED}${phoneHint}`,
			description:
				'Pick the number from the list, or check the ID you mapped into the field. Deleted numbers cannot be brought back.',
		};
	}
	return {
		message: `Pilot Status could not find what this operation asked for (404)${text ? `: ${text}` : ''}.`,
		description: `Check the Base URL in the credential; it should be ${DEFAULT_BASE_URL}.`,
	};
}

/**
 * Pilot Status answers every refusal with a JSON body (`{ error, code? }`). A 4xx without one comes
 * from something else at the Base URL (a web server, n8n itself, a proxy): whatever the operation,
 * say that, not what the status would mean from Pilot Status (a "missing number" on Get Many).
 * 429 and 5xx keep their own advice: proxies and gateways send those too.
 */
function notPilotStatus(body: unknown): Explanation {
	return {
		message: `Nothing that answers like Pilot Status is at this Base URL: the answer was ${bodyKind(body)}, not Pilot Status's JSON. ${UNCHANGED}`,
		description: `Check the Base URL in the Pilot Status credential (normally ${DEFAULT_BASE_URL}); for the Remote Pairing operations, Options → API Base URL.`,
	};
}

/** A proxy or the service refusing the request's size: a file sent from n8n rides in the body. */
function tooLarge(): Explanation {
	return {
		message: `The request was too large for the server (413). ${UNCHANGED} Send large files by URL (Media Source → URL) instead of from a binary field.`,
		description:
			'A file from an n8n binary field travels inside the request as base64, a third larger than the file. Put the file where Pilot Status can fetch it and give its URL.',
	};
}

function isJsonAnswer(body: unknown): boolean {
	return typeof body === 'object' && body !== null;
}

function bodyKind(body: unknown, missing = 'the expected list'): string {
	if (isEmptyBody(body)) return 'an empty body';
	if (typeof body === 'string' && /<html|<!doctype/i.test(body)) return 'an HTML page';
	return typeof body === 'object' ? `JSON without ${missing}` : 'malformed JSON';
}

/** Message → Get's ID, and templates the sending number does not have. */
function messageNotFoundExplanation(
	code: string | undefined,
	id: string | undefined,
	context: FailureContext,
): Explanation | undefined {
	if (context.resource !== 'message' || code === 'NUMBER_NOT_FOUND') return undefined;
	if (context.operation === 'get') {
		return {
			message: `There is no message${id ? ` "${id}"` : ''} that this key can see (404). ${UNCHANGED}`,
			description:
				'Use the id or correlationId from Send’s output (or the wamid). A message sent from another number is visible only with that number’s key, or with the tenant key and that number as Sending Number.',
		};
	}
	return undefined;
}

/**
 * A send refused because its media was a base64 data URI where the number takes URLs only
 * (Evolution GO). No Pilot Status document gives this refusal a code, so it is told by what the
 * service says: its text or code names base64, a data URI, or a URL-only rule.
 */
function refusesBase64Media(code: string | undefined, text: string): boolean {
	return /base64|data[\s:-]?uri|url[\s_-]?(?:only|required)/i.test(`${code ?? ''} ${text}`);
}

/** The refusals documented for sending, each with its fix. */
function messageRefusal(
	statusCode: number,
	code: string | undefined,
	text: string,
	context: FailureContext,
): Explanation | undefined {
	const said = text ? `: ${text}` : '';
	if (code === 'TEMPLATE_NOT_FOUND') {
		return {
			message: `The sending number has no such template (${statusCode} TEMPLATE_NOT_FOUND). ${UNSENT}`,
			description:
				'Pick the template From List: it lists the templates of the sending number (the credential’s number, or the Sending Number). A template belongs to one number; on Meta numbers it must be approved.',
		};
	}
	if (statusCode === 402 && code === 'SUBSCRIPTION_REQUIRED_FOR_MEDIA') {
		return {
			message: `Media messages need an active paid Pilot Status subscription (402 SUBSCRIPTION_REQUIRED_FOR_MEDIA). ${UNSENT}`,
			description:
				'Subscribe in the Pilot Status dashboard, or send Text or a Template instead of Media.',
		};
	}
	if (code === 'MISSING_TEMPLATE_VARIABLES') {
		return {
			message: `The template needs variables this message did not give (${statusCode} MISSING_TEMPLATE_VARIABLES)${said}. ${UNSENT}`,
			description:
				'Under Variables, add every variable the template uses, named as in the template ({{nome}} is named nome). Template → From List shows the sending number’s templates.',
		};
	}
	if (code === 'NOT_SUPPORTED_FOR_META') {
		return {
			message: `The sending number is a Meta (WhatsApp Cloud API) number, which cannot send to groups or channels (${statusCode} NOT_SUPPORTED_FOR_META). ${UNSENT}`,
			description:
				'Send To a phone number, or send from a Pilot Status (QR code) number, which can send to groups and channels.',
		};
	}
	if (code === 'META_GROUPS_NOT_ELIGIBLE') {
		return {
			message: `The sending Meta number may not use groups (${statusCode} META_GROUPS_NOT_ELIGIBLE): only approved Official Business Accounts with groups enabled can. ${UNSENT}`,
			description:
				'Send To a phone number, or send to the group from a Pilot Status (QR code) number.',
		};
	}
	if (code === 'WHATSAPP_INSTANCE_NOT_CONNECTED') {
		return {
			message: `The sending number is not connected to WhatsApp (${statusCode} WHATSAPP_INSTANCE_NOT_CONNECTED). ${UNSENT}`,
			description:
				'Pair it again (Number → Connect, or Create Remote Pairing Link, then Wait for Connection) and send once Number → Get Status says OPEN.',
		};
	}
	if (statusCode === 400 && refusesBase64Media(code, text)) {
		return {
			message: `The sending number’s WhatsApp provider takes media only from a URL, not a file sent with the message (${statusCode}${code ? ` ${code}` : ''})${said}. ${UNSENT}`,
			description:
				'Evolution GO numbers need a public http(s) address: put the file where Pilot Status can download it and choose Media Source → URL.',
		};
	}
	if (context.resource === 'message' && statusCode === 400) {
		return {
			message: `Pilot Status rejected the message (400${code ? ` ${code}` : ''})${said}. ${UNSENT}`,
			description:
				'Check the fields of this node: a phone number with country and area code (+5511999999999), a group ID ending in @g.us, a channel ID ending in @newsletter, a public http(s) Media URL. Evolution GO numbers take media only from a URL, not from an n8n binary file.',
		};
	}
	return undefined;
}

/**
 * Resources whose endpoints are a number's own: called with that number's key, or with the tenant
 * key and the number as Sending Number (x-whatsapp-number-id).
 */
const NUMBER_SCOPED_RESOURCES = new Set([
	'message',
	'template',
	'contact',
	'channel',
	'analytics',
	'conversation',
	'group',
	'media',
	'call',
]);

/** Variable names a TEMPLATE_EXAMPLES_REQUIRED answer lists under details.missing. */
function missingExamples(body: unknown): string[] {
	const details = isJsonAnswer(body) ? (body as IDataObject).details : undefined;
	const missing = isJsonAnswer(details) ? (details as IDataObject).missing : undefined;
	return Array.isArray(missing)
		? missing.filter((name): name is string => typeof name === 'string' && /^\w{1,40}$/.test(name))
		: [];
}

/** The documented refusals of templates, Check Number, channels and analytics, each with its fix. */
function numberDataRefusal(
	statusCode: number,
	code: string | undefined,
	text: string,
	body: unknown,
	context: FailureContext,
): Explanation | undefined {
	const said = text ? `: ${text}` : '';
	const { resource } = context;
	if (code === 'TEMPLATE_EXAMPLES_REQUIRED') {
		const missing = missingExamples(body);
		return {
			message: `Pilot Status needs an example for every variable of the template (${statusCode} TEMPLATE_EXAMPLES_REQUIRED)${missing.length ? `; missing: ${missing.join(', ')}` : ''}. ${UNCHANGED}`,
			description:
				'Under Examples, add each variable of the header, body and URL buttons ({{nome}} is named nome) with a sample value.',
		};
	}
	if (code === 'META_TEMPLATE_SUBMIT_FAILED') {
		return {
			message: `Meta did not accept the template for review (${statusCode} META_TEMPLATE_SUBMIT_FAILED)${said}.`,
			description:
				'Meta’s rules apply on Meta numbers: a name not used before in the WhatsApp Business Account, a category that fits the text, examples that look like real values, no variables at the start or end of the body. Change the template and create it again.',
		};
	}
	if (resource === 'template' && code === 'TEMPLATE_NOT_FOUND') {
		return {
			message: `The number has no such template (${statusCode} TEMPLATE_NOT_FOUND). ${UNCHANGED}`,
			description:
				'Pick the template From List: it lists the templates of the credential’s number, or of the Sending Number with the tenant key. A template belongs to one number.',
		};
	}
	if (resource === 'template' && statusCode === 409) {
		return {
			message: `The number already has a template with this name (409)${said}. ${UNCHANGED}`,
			description:
				'Give the new template another name, or change the existing one with Template → Update.',
		};
	}
	if (resource === 'template' && statusCode === 400 && code !== 'NUMBER_NOT_FOUND') {
		return {
			message: `Pilot Status rejected the template (400${code ? ` ${code}` : ''})${said}. ${UNCHANGED}`,
			description:
				'Template rules: body up to 1024 characters, not starting or ending with a variable; header text up to 60 characters with at most one variable; footer up to 60 characters without variables; at most 10 buttons (2 URL, 1 phone number, 1 copy code); the category cannot change after creation.',
		};
	}
	if (code === 'NOT_SUPPORTED_FOR_META' && (resource === 'contact' || resource === 'channel')) {
		return {
			message: `The number is a Meta (WhatsApp Cloud API) number, which cannot ${resource === 'contact' ? 'check whether phone numbers are on WhatsApp' : 'have WhatsApp channels'} (${statusCode} NOT_SUPPORTED_FOR_META). ${UNCHANGED}`,
			description:
				'Use a Pilot Status (QR code) number as the credential’s number or Sending Number.',
		};
	}
	if (code === 'EVOLUTION_API_KEY_MISSING') {
		return {
			message: `Pilot Status cannot check numbers at the moment: its WhatsApp provider is not set up on its side (${statusCode} EVOLUTION_API_KEY_MISSING). ${UNCHANGED}`,
			description:
				'Nothing in the workflow can fix this; tell Pilot Status support, and try later.',
		};
	}
	if (code === 'WHATSAPP_INSTANCE_NOT_CONNECTED' && resource !== 'message') {
		return {
			message: `The number is not connected to WhatsApp (${statusCode} WHATSAPP_INSTANCE_NOT_CONNECTED). ${UNCHANGED}`,
			description:
				'Pair it again (Number → Connect, or Create Remote Pairing Link, then Wait for Connection) and run this once Number → Get Status says OPEN.',
		};
	}
	if (resource === 'analytics' && statusCode === 409) {
		return {
			message: `The key is not linked to a WhatsApp number, so there are no statistics to show (409${code ? ` ${code}` : ''}). ${UNCHANGED}`,
			description:
				'Use a credential with a number’s own key, or the tenant key with the Sending Number picked.',
		};
	}
	return undefined;
}

/** The documented refusals of conversation reads, groups and media downloads, each with its fix. */
function chatRefusal(
	statusCode: number,
	code: string | undefined,
	text: string,
	context: FailureContext,
): Explanation | undefined {
	const { resource } = context;
	if (resource !== 'conversation' && resource !== 'group' && resource !== 'media') return undefined;
	const said = text ? `: ${text}` : '';
	if (code === 'NOT_SUPPORTED_FOR_META') {
		return {
			message: `The number is a Meta (WhatsApp Cloud API) number; Pilot Status has groups only on its own (QR code) numbers (${statusCode} NOT_SUPPORTED_FOR_META). ${UNCHANGED}`,
			description:
				'Use a Pilot Status (QR code) number: the credential’s number, or the Sending Number with the tenant key.',
		};
	}
	if (code === 'META_GROUPS_NOT_ELIGIBLE') {
		return {
			message: `The Meta number may not use groups (${statusCode} META_GROUPS_NOT_ELIGIBLE): only approved Official Business Accounts with groups enabled can. ${UNCHANGED}`,
			description:
				'Use a Pilot Status (QR code) number for groups, or have the WhatsApp Business Account approved as an Official Business Account with groups enabled.',
		};
	}
	if (code === 'INVALID_DATE_RANGE') {
		return {
			message: `Pilot Status did not accept the dates (${statusCode} INVALID_DATE_RANGE)${said}. ${UNCHANGED}`,
			description:
				'Under Filters, From must be before To, both dates and times (ISO 8601, e.g. 2026-06-20T10:00:00-03:00).',
		};
	}
	if (code === 'NUMBER_NOT_FOUND' && statusCode === 400) {
		return {
			message: `The key is not bound to a WhatsApp number, so there are no messages to read (400 NUMBER_NOT_FOUND). ${UNCHANGED}`,
			description:
				'Use a credential with a number’s own key, or the tenant key with the Sending Number picked.',
		};
	}
	if (resource === 'group' && (code === 'GROUP_NOT_FOUND' || (statusCode === 404 && !code))) {
		return {
			message: `The number is in no such group (404${code ? ` ${code}` : ''}). ${UNCHANGED}`,
			description:
				'Pick the group From List: it lists the groups of the credential’s number, or of the Sending Number. A group ID ends with @g.us.',
		};
	}
	if (resource === 'group' && code === 'MESSAGE_NOT_FOUND') {
		return {
			message: `The group has no such message to pin (${statusCode} MESSAGE_NOT_FOUND). ${UNCHANGED}`,
			description:
				'Map the message ID from Conversation → Get Group Messages (id or externalMessageId), or from the Pilot Status Trigger’s message.group event (messageId).',
		};
	}
	if (resource === 'media' && statusCode === 404) {
		return {
			message: `Pilot Status has no such media file for this number, or it has expired (404)${said}. ${UNCHANGED}`,
			description:
				'Meta keeps a received file only for a short time: download it soon after the message arrives (the Pilot Status Trigger’s Download Media does it at once). The Media ID and Phone Number ID come from the same message, and the number must be the one that received it.',
		};
	}
	if (resource === 'media' && statusCode === 400) {
		return {
			message: `Pilot Status could not fetch the file from Meta (400${code ? ` ${code}` : ''})${said}. ${UNCHANGED}`,
			description:
				'Download through the API works only for Meta (WhatsApp Cloud API) numbers with their Meta access token set in Pilot Status, and needs the Phone Number ID (phoneNumberId) of the message’s event. Files of Pilot Status (QR code) numbers are at the message’s media URL instead.',
		};
	}
	return undefined;
}

/** The documented refusals of extra numbers (subscription) and calls, each with its fix. */
function accountOrCallRefusal(
	statusCode: number,
	code: string | undefined,
	text: string,
	context: FailureContext,
): Explanation | undefined {
	// These codes mean what they say here only where Account and Call operations sent the request.
	if (context.resource !== 'account' && context.resource !== 'call') return undefined;
	const said = text ? `: ${text}` : '';
	if (code === 'CONFIRMATION_REQUIRED') {
		return {
			message: `Pilot Status wants a confirmation before charging: the purchase moves the account from Free to On Demand, which bills the free number too (409 CONFIRMATION_REQUIRED). ${UNCHANGED}`,
			description:
				'Check the price with Account → Get Extra Numbers Cost, then run Add Extra Numbers with Confirm Charge on.',
		};
	}
	if (code === 'NUMBER_LIMIT_EXCEEDED') {
		return {
			message: `Fewer slots would remain than numbers are connected (409 NUMBER_LIMIT_EXCEEDED). ${UNCHANGED}`,
			description:
				'Remove fewer slots, or delete numbers first (Number → Delete frees its slot by itself).',
		};
	}
	if (context.resource === 'account' && statusCode === 400) {
		return {
			message: `Pilot Status rejected the input (400${code ? ` ${code}` : ''})${said}. ${UNCHANGED}`,
			description:
				'Branding: https addresses, colors like #1fd286, Company Name up to 60 and Subtitle up to 120 characters. Checkout: a top-up needs an amount above 0. Extra numbers: a whole quantity of 1 or more.',
		};
	}
	if (context.resource !== 'call') return undefined;
	if (code === 'FEATURE_NOT_SUPPORTED' || code === 'NOT_SUPPORTED_FOR_META') {
		return {
			message: `The number cannot make or receive WhatsApp calls through Pilot Status (${statusCode} ${code}). ${UNCHANGED}`,
			description:
				'Calls work on Meta (WhatsApp Cloud API) numbers (and, per Pilot Status’s guide, on its web numbers of the EVO_GO kind): use such a number as the credential’s number or Sending Number.',
		};
	}
	if (code === 'CALL_NOT_FOUND' || statusCode === 404) {
		return {
			message: `The number has no such call (404${code ? ` ${code}` : ''}). ${UNCHANGED}`,
			description:
				'Use a call’s id (call_…) or its Meta id (wacid…) from Call → Get Many (or a call event the Pilot Status Trigger receives with All Events), with the number that had the call.',
		};
	}
	if (code === 'META_CALL_PERMISSION_REQUEST_LIMIT') {
		return {
			message: `Meta limits how often a contact can be asked for call permission, and this one was asked too often (${statusCode} META_CALL_PERMISSION_REQUEST_LIMIT). No request was sent.`,
			description:
				'Wait before asking again: Call → Get Permission shows the limits (send_call_permission_request) and when they reset.',
		};
	}
	if (/138015/.test(`${code ?? ''} ${text}`)) {
		return {
			message: `Meta does not let this number use calling yet: numbers with a messaging limit below 2,000 a day cannot (${statusCode}${code ? ` ${code}` : ''})${said}. ${UNCHANGED}`,
			description:
				'Raise the number’s messaging limit with Meta (quality and volume), then turn calling on again.',
		};
	}
	if (statusCode === 400) {
		return {
			message: `Pilot Status rejected the call request (400${code ? ` ${code}` : ''})${said}. ${UNCHANGED}`,
			description:
				'Phone numbers need + and the country code. A permission request goes out only inside the 24-hour window after the contact’s last message. Calling settings take Enabled/Disabled values; Call Hours replaces the whole stored object.',
		};
	}
	return undefined;
}

/** 403 TENANT_SCOPE_NOT_ALLOWED: the two ways out, depending on whether a Sending Number was sent. */
function tenantKeyRefused(context: FailureContext): Explanation {
	const where =
		'API Key → Get Many (with Reveal Keys) or API Key → Regenerate gives a number’s key; so does the Pilot Status dashboard → API Keys.';
	if (!NUMBER_SCOPED_RESOURCES.has(context.resource)) {
		return {
			message: `This endpoint needs a number-scoped API key, but the credential holds the tenant key (403 TENANT_SCOPE_NOT_ALLOWED). ${UNCHANGED}`,
			description: `Use a credential with the key of that number (one key per number). ${where}`,
		};
	}
	if (context.sendingNumber) {
		return {
			message: `Pilot Status does not let the tenant key act for the Sending Number "${context.sendingNumber}" (403 TENANT_SCOPE_NOT_ALLOWED). ${UNSENT}`,
			description: `Use a credential holding that number’s own key (then leave Sending Number empty). ${where}`,
		};
	}
	return {
		message: `This needs a number-scoped API key or a Sending Number, but the credential holds the tenant key and no Sending Number was picked (403 TENANT_SCOPE_NOT_ALLOWED). ${UNSENT}`,
		description: `Pick the Sending Number (sent as x-whatsapp-number-id; works where Pilot Status lets the tenant key act for a number), or use a credential holding that number’s own key. ${where}`,
	};
}

function forbidden(code: string | undefined, said: string, context: FailureContext): Explanation {
	if (code === 'NUMBER_SCOPE_NOT_ALLOWED') {
		return {
			message: `This operation needs the tenant API key, but the credential holds a number-scoped key (403 NUMBER_SCOPE_NOT_ALLOWED). ${UNCHANGED}`,
			description:
				'Put the tenant key from the Pilot Status dashboard → Profile → API tab into the credential. Number-scoped keys (dashboard → API Keys) only work for one number’s messages.',
		};
	}
	if (code === 'TENANT_SCOPE_NOT_ALLOWED') return tenantKeyRefused(context);
	return {
		message: `Pilot Status refused this operation (403${code ? ` ${code}` : ''}). ${UNCHANGED}`,
		description: `The key in the credential is valid but not allowed to do this.${said} Management operations need the tenant key from dashboard → Profile → API tab.`,
	};
}

/** Turns a non-2xx answer into words a workflow builder (or an AI agent) can act on. */
export function explainApiFailure(
	statusCode: number,
	body: unknown,
	headers: IDataObject | undefined,
	context: FailureContext,
): Explanation {
	if (statusCode === 413) return tooLarge();
	if (statusCode < 500 && statusCode !== 429 && !isJsonAnswer(body)) return notPilotStatus(body);
	const code = errorCodeOf(body, context.secrets);
	const text = serverText(body, context.secrets);
	const said = text ? ` The service said: "${text}".` : '';

	const refusal =
		numberDataRefusal(statusCode, code, text, body, context) ??
		chatRefusal(statusCode, code, text, context) ??
		accountOrCallRefusal(statusCode, code, text, context) ??
		messageRefusal(statusCode, code, text, context);
	if (refusal) return refusal;
	if (statusCode === 400 && code === 'NUMBER_REQUIRED') {
		return {
			message: `Pilot Status needs the number this webhook belongs to (400 NUMBER_REQUIRED). ${UNCHANGED} Pick the number in the Number field.`,
			description: 'Every webhook belongs to exactly one number, chosen when it is created.',
		};
	}
	if (statusCode === 400 && code === 'NUMBER_MISMATCH') {
		return {
			message: `The number does not match the credential’s number-scoped key (400 NUMBER_MISMATCH). ${UNCHANGED} Pick that key’s own number, or use the tenant key.`,
			description:
				'A number-scoped key can only manage the webhooks of its own number. The tenant key (dashboard → Profile → API tab) can manage every number’s.',
		};
	}
	if (statusCode === 400) {
		return {
			message: `Pilot Status rejected the input (400${code ? ` ${code}` : ''})${text ? `: ${text}` : ''}. ${UNCHANGED}`,
			description:
				context.resource === 'webhook'
					? 'Check the fields of this node: the URL must be a full http(s) address Pilot Status can reach, and at least one event must be chosen.'
					: 'Check the fields of this node. Phone numbers need country and area code, e.g. +5511999999999; names cannot be empty.',
		};
	}
	if (statusCode === 401 && context.resource === 'remotePairing') {
		return {
			message: `Pilot Status did not accept the pairing link (401). ${UNCHANGED} Create a new link with Number → Create Remote Pairing Link.`,
			description:
				'Remote pairing uses no API key: the token in the link is the key. Check that the whole link or token was mapped.',
		};
	}
	if (statusCode === 401) {
		return {
			message: `Pilot Status did not accept the API key (401 Unauthorized). ${UNCHANGED} Update the key in the Pilot Status credential.`,
			description:
				'Open the Pilot Status credential and check the key and the "Authenticate With" choice. A key stops working as soon as it is regenerated or rotated; paste the new one.',
		};
	}
	if (statusCode === 403) return forbidden(code, said, context);
	if (statusCode === 404) return notFound(code, text, context);
	if (statusCode === 409 && !code && context.operation === 'connect') {
		return {
			message: `The number is already connected (409): there is nothing to pair. ${UNCHANGED}`,
			description:
				'A QR code is only issued while the number is disconnected. Get Status shows the current state; when it is CLOSED, Connect gives a fresh QR code.',
		};
	}
	if (statusCode === 409) {
		return {
			message: `Pilot Status refused the operation (409${code ? ` ${code}` : ''})${text ? `: ${text}` : ''}. ${UNCHANGED}`,
			description: 'The account is not in a state that allows this operation yet.',
		};
	}
	if (statusCode === 429) return rateLimited(headers, context);
	if (statusCode >= 500) {
		return {
			message: `Pilot Status had a server error (${statusCode}). ${mayHaveChanged(context)}`,
			description: `Usually temporary.${said}`,
		};
	}
	return {
		message: `Pilot Status answered with HTTP ${statusCode}${code ? ` ${code}` : ''}.`,
		description: text || 'No details were given.',
	};
}

export function apiError(
	node: INode,
	statusCode: number,
	body: unknown,
	headers: IDataObject | undefined,
	context: FailureContext,
): NodeApiError {
	const { message, description } = explainApiFailure(statusCode, body, headers, context);
	// Only cleaned fields go into the error: n8n keeps and shows what it is given.
	const response: JsonObject = {
		statusCode,
		code: errorCodeOf(body, context.secrets) ?? null,
		error: serverText(body, context.secrets),
	};
	const error = ownApiError(node, response, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex: context.itemIndex,
	});
	return statusCode >= 500 ? markOutcomeUnknown(error, context) : error;
}

/** A 3xx answer, which is never followed: the key must not travel to wherever it points. */
export function redirectError(
	node: INode,
	statusCode: number,
	origin: string,
	itemIndex?: number,
): NodeApiError {
	return ownApiError(
		node,
		{ statusCode },
		{
			message: `Pilot Status at ${origin} answered with a redirect (${statusCode}), which the node does not follow: the API key was not sent anywhere else. ${UNCHANGED}`,
			description: `Set the Base URL to the API's own address, ${DEFAULT_BASE_URL}. A redirect usually means http:// instead of https://, a wrong host, or a proxy in between.`,
			httpCode: String(statusCode),
			itemIndex,
		},
	);
}

function isEmptyBody(body: unknown): boolean {
	return body === undefined || body === null || body === '';
}

/**
 * The list in a list answer: a bare array (what the docs show), or the one array an object wraps
 * (the delivery logs' wrapper is not documented). undefined for anything else, which the caller
 * reports as unreadable: an empty list would read as "nothing found".
 */
export function listInAnswer(body: unknown): IDataObject[] | undefined {
	if (Array.isArray(body)) return body as IDataObject[];
	const arrays =
		body && typeof body === 'object'
			? Object.values(body).filter((value) => Array.isArray(value))
			: [];
	return arrays.length === 1 ? (arrays[0] as IDataObject[]) : undefined;
}

/**
 * A 2xx answer whose body is not the JSON the operation reads: a proxy page, a cut-off body, or
 * JSON without `missing` (what the operation needs from it, e.g. the message's id).
 */
export function unreadableResponseError(
	node: INode,
	body: unknown,
	context: FailureContext,
	missing?: string,
): NodeApiError {
	const kind = bodyKind(body, missing);
	const changed = context.changes ? ` ${mayHaveChanged(context)}` : '';
	const error = ownApiError(
		node,
		{ error: kind },
		{
			message: `Pilot Status sent a response the node cannot read (${kind}).${changed}`,
			description: `Expected JSON. A proxy or a wrong Base URL in the credential usually causes this; it should be ${DEFAULT_BASE_URL}.`,
			httpCode: 'none',
			itemIndex: context.itemIndex,
		},
	);
	return markOutcomeUnknown(error, context);
}

/** An answer with a 3xx status: thrown by the answer checks, turned into redirectError by whoever knows the origin. */
export class RedirectAnswer extends Error {
	constructor(readonly statusCode: number) {
		super(`redirect ${statusCode}`);
	}
}

/**
 * 429 codes of limits that no wait within a run lifts: Meta lets a contact be asked for call
 * permission a few times a day. Waiting them out would only hold the item until its Timeout.
 */
const LASTING_LIMITS = ['META_CALL_PERMISSION_REQUEST_LIMIT'];

/** A 429 the node may wait out and send again (transport/rateLimit.ts): a refusal for now. */
export function isPassingRateLimit(answer: { statusCode: number; body: unknown }): boolean {
	return answer.statusCode === 429 && !LASTING_LIMITS.includes(errorCodeOf(answer.body) ?? '');
}

/** A 2xx answer with a JSON body: the common case, checked without reading the credential. */
export function isUsableAnswer(response: { statusCode: number; body: unknown }): boolean {
	return (
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		typeof response.body === 'object' &&
		response.body !== null
	);
}

/**
 * The error for an answer the caller cannot use (non-2xx, or a body that is not JSON), or
 * undefined when it is fine. Declarative operations and programmatic calls both use it.
 */
export function failedResponseError(
	node: INode,
	response: { statusCode: number; body: unknown; headers?: IDataObject },
	context: FailureContext,
): Error | undefined {
	if (response.statusCode >= 300 && response.statusCode < 400) {
		return new RedirectAnswer(response.statusCode);
	}
	if (response.statusCode >= 400 || response.statusCode < 200) {
		return apiError(node, response.statusCode, response.body, response.headers, context);
	}
	if (typeof response.body !== 'object' || response.body === null) {
		if (context.deletes && isEmptyBody(response.body)) return undefined;
		return unreadableResponseError(node, response.body, context);
	}
	return undefined;
}

/** The credential is optional at node level (remote pairing runs without one), so say so early. */
export function noCredentialError(node: INode, itemIndex?: number): NodeApiError {
	return inputErrorWith(
		node,
		'No Pilot Status credential is selected. Nothing was sent.',
		'Choose or create a "Pilot Status API" credential in this node. It needs the tenant key from the Pilot Status dashboard → Profile → API tab.',
		itemIndex,
	);
}

/** For catch blocks that re-throw: n8n errors pass through as they are, anything else is wrapped. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	// Only the message: as the cause, an HTTP client's error would carry the request's headers (the
	// key) into what n8n saves of the execution.
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}
