import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PreSendAction,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkBaseUrl } from '../transport/baseUrl';
import { CREDENTIAL_TYPE } from '../constants';
import {
	acceptChecks,
	apiError,
	asNodeError,
	failedResponseError,
	isOwnError,
	isPassingRateLimit,
	isUsableAnswer,
	noCredentialError,
	RedirectAnswer,
	redirectError,
} from '../errors/nodeErrors';
import type { FailureContext } from '../errors/nodeErrors';
import { isPlainObject } from '../output/normalize';
import { hookParameters, numberIdOf, pairingTokenOf, webhookIdOf } from '../input/parameters';
import { sendOnce } from '../transport/replay';
import { RateLimited, rideOutRateLimits } from '../transport/rateLimit';
import { secretsOf } from '../errors/secrets';
import { transportError } from '../transport/failures';
import { holdToDeadline, startDeadline } from '../transport/deadline';
import { DEFAULT_TIMEOUT_MS } from '../transport/request';
import type { Deadline } from '../transport/deadline';
import {
	checkEvents,
	checkId,
	checkLimit,
	checkPhoneNumber,
	checkText,
	checkWebhookUrl,
} from '../input/validation';
import type { Checked } from '../input/validation';
import { DEFAULT_PHONE_COUNTRY, toE164PhoneNumber } from '../input/phoneNumber';
import { sendingNumberHeaders, sendingNumberOf } from '../messaging/sendingNumber';
import { checkMessageId } from '../messaging/input';

// Declarative routing hooks. The Operation dropdown of every resource carries the shared ones
// (see operations.ts): n8n applies a property's routing before the chosen option's, so they run
// first for every operation. Each operation's own hooks check its input and shape its request.

type Hook = IExecuteSingleFunctions;

interface ItemState {
	/** The checked ID the item's request is about, for messages and outputs after the request. */
	subject?: string;
	/** The operation changes the account; see FailureContext.changes. */
	changes?: boolean;
	/** See FailureContext.deletes. */
	deletes?: boolean;
	/** Ends the item's request deadline (see sendWithSafeguards) once its answer is in. */
	releaseDeadline?: () => void;
	/** See FailureContext.sendingNumber. */
	sendingNumber?: string;
	/** The item's last answer was a 429, which sendWithSafeguards waits out and sends again. */
	rateLimited?: IN8nHttpFullResponse;
}

// n8n passes one context object per item to every preSend and postReceive of that item. Looking a
// value up again would evaluate its expression again, and n8n's sandboxed expressions cost ~1 ms.
const itemStates = new WeakMap<object, ItemState>();

function stateOf(hook: object): ItemState {
	let state = itemStates.get(hook);
	if (!state) {
		state = {};
		itemStates.set(hook, state);
	}
	return state;
}

/** The request wrapper's `this` is a new object whose prototype is the item's hook context. */
function hookOf(context: IExecutePaginationFunctions): object {
	return Object.getPrototypeOf(context) as object;
}

export function subjectOf(hook: Hook): string | undefined {
	return itemStates.get(hook)?.subject;
}

/** Every check's value, or one error that names every field that needs a fix; nothing is sent. */
function accept<T extends Array<Checked<unknown>>>(hook: Hook, ...checks: T) {
	try {
		return acceptChecks(hook.getNode(), hook.getItemIndex(), ...checks);
	} catch (error) {
		throw withOtherItemsNote(hook, error as Error);
	}
}

const OTHER_ITEMS_NOTE =
	'Other items of this run may have been done (sent, created, changed) before this one failed: n8n stops the node and drops their output. Use Settings → On Error → Continue (or the error output) so every item comes out, done or failed, before you run the list again.';

/**
 * RoutingNode sends every item, then stops at the first failed one and drops the output of the
 * others (their new IDs, message IDs...). For a change run on several items without On Error →
 * Continue, the error says so where the user reads how to fix it.
 */
function withOtherItemsNote<T extends Error>(hook: Hook, error: T): T {
	const items = hook.getExecuteData()?.data?.main?.[0]?.length ?? 1;
	if (stateOf(hook).changes !== true || items < 2 || hook.continueOnFail()) return error;
	const described = error as T & { description?: string | null };
	if (!described.description?.includes(OTHER_ITEMS_NOTE)) {
		described.description = [described.description, OTHER_ITEMS_NOTE].filter(Boolean).join(' ');
	}
	return error;
}

// --- shared, on every Operation dropdown --------------------------------------------------------

/**
 * The routing of an operation that runs as its own code (the node's customOperations). n8n's engine
 * runs that code and never this; but callers that run a tool's routing directly, the AI Agent
 * before version 3 and the MCP Server Trigger (n8n-core's get-input-connection-data calls
 * RoutingNode), would send the operation to the API's root. It stops first, having sent nothing.
 */
export function refuseWhereOnlyRoutingRuns(operation: string) {
	return async function refuse(this: Hook): Promise<IHttpRequestOptions> {
		throw new NodeOperationError(
			this.getNode(),
			`${operation} cannot run here: this caller runs only the node's routing, not the code the operation runs as (the AI Agent before version 3 and the MCP Server Trigger do so). Nothing was sent. Use the AI Agent node at version 3 or later, or run it as a normal workflow step.`,
			{ itemIndex: this.getItemIndex() },
		);
	};
}

/** The credential is optional at node level (remote pairing runs without one): check it here. */
export async function requireCredential(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!this.getNode().credentials?.[CREDENTIAL_TYPE])
		throw noCredentialError(this.getNode(), this.getItemIndex());
	return requestOptions;
}

/**
 * Remote pairing runs without a credential, so its API host comes from the node's options. Like
 * the credential's own requests, it never follows a redirect and stops with the execution.
 */
export async function usePublicApiBase(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { apiBaseUrl } = this.getNodeParameter('options', {}) as IDataObject;
	const [base] = accept(this, checkBaseUrl(apiBaseUrl, 'API Base URL'));
	return {
		...requestOptions,
		baseURL: base.url,
		disableFollowRedirect: true,
		abortSignal: this.getExecutionCancelSignal(),
	};
}

/** What a failure of this item's request was about. */
function failureContext(hook: Hook, secrets?: string[]): FailureContext {
	const state = itemStates.get(hook);
	return {
		resource: hook.getNodeParameter('resource') as string,
		operation: hook.getNodeParameter('operation') as string,
		subject: state?.subject,
		changes: state?.changes,
		deletes: state?.deletes,
		itemIndex: hook.getItemIndex(),
		secrets,
		sendingNumber: state?.sendingNumber,
	};
}

/** First postReceive of every operation: non-2xx answers and unreadable bodies become errors. */
export async function throwOnApiError(
	this: Hook,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) {
	// Follow-up calls of the later hooks (pausing a new webhook) get deadlines of their own.
	itemStates.get(this)?.releaseDeadline?.();
	if (isUsableAnswer(response)) return items;
	if (isPassingRateLimit(response)) stateOf(this).rateLimited = response;
	const error = failedResponseError(
		this.getNode(),
		response,
		failureContext(this, await secretsOf(this)),
	);
	if (error) throw error;
	return items;
}

/**
 * Registered as the node's `requestOperations.pagination` (n8n's only hook around the HTTP call of
 * a declarative operation; there is no paging here). It sends the item's request once: when n8n's
 * Retry On Fail runs the node again, an item that already changed the account hands back its
 * earlier result (see replay.ts). It turns a failure without a whole HTTP answer, or a redirect,
 * into a message that names the API origin and never carries the request's headers (and with them
 * the key). The request ends by Settings → Request Options → Timeout (which RoutingNode puts in
 * `timeout`), however slowly the answer trickles in; a 429, a refusal with nothing done, is waited
 * out and sent again within that time.
 */
export async function sendWithSafeguards(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const send = async () => {
		// One deadline for the item's request and every try after a 429 (transport/rateLimit.ts).
		const deadline = startDeadline(
			requestData.options.timeout ?? DEFAULT_TIMEOUT_MS,
			this.getExecutionCancelSignal(),
		);
		// Public calls go through n8n's plain helper, which takes the signal from the request; the
		// credential's helper takes it from the item's context, which RoutingNode calls it on.
		requestData.options.abortSignal = deadline.signal;
		return await rideOutRateLimits(
			deadline,
			async () => await routedTry(this, requestData, deadline),
			async ({ answer }, rateLimit) => {
				const hook = hookOf(this) as Hook;
				return apiError(this.getNode(), answer.statusCode, answer.body, answer.headers, {
					...failureContext(hook, await secretsOf(hook)),
					rateLimit,
				});
			},
		);
	};
	if (itemStates.get(hookOf(this))?.changes !== true) return await send();
	const attempt = {
		executeData: this.getExecuteData(),
		node: this.getNode(),
		itemIndex: this.getItemIndex(),
	};
	try {
		return await sendOnce(attempt, send);
	} catch (error) {
		throw withOtherItemsNote(hookOf(this) as Hook, error as Error);
	}
}

/** One try of the item's request; a 429 (noted by throwOnApiError) comes back as RateLimited. */
async function routedTry(
	context: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	deadline: Deadline,
): Promise<INodeExecutionData[] | RateLimited> {
	const state = stateOf(hookOf(context));
	const release = holdToDeadline(hookOf(context), deadline);
	state.releaseDeadline = release;
	state.rateLimited = undefined;
	try {
		return await context.makeRoutingRequest(requestData);
	} catch (error) {
		if (state.rateLimited) return new RateLimited(state.rateLimited);
		throw await explainFailure(context, error, requestData.options.baseURL, deadline);
	} finally {
		release();
	}
}

async function explainFailure(
	context: IExecutePaginationFunctions,
	error: unknown,
	baseURL: unknown,
	deadline: Deadline,
): Promise<Error> {
	if (isOwnError(error)) return asNodeError(context.getNode(), error);
	const origin = await originOf(context, baseURL);
	if (error instanceof RedirectAnswer)
		return redirectError(context.getNode(), error.statusCode, origin, context.getItemIndex());
	const explained = transportError(
		context.getNode(),
		error,
		origin,
		failureContext(hookOf(context) as Hook),
		deadline,
	);
	return explained ?? asNodeError(context.getNode(), error, context.getItemIndex());
}

/** Public calls carry their origin; for the others the credential's authenticate sets it. */
async function originOf(context: IExecutePaginationFunctions, baseURL: unknown): Promise<string> {
	const base =
		typeof baseURL === 'string' ? baseURL : (await context.getCredentials(CREDENTIAL_TYPE)).baseUrl;
	return checkBaseUrl(base, 'Base URL').value?.origin ?? 'the Base URL';
}

// --- each operation's own -----------------------------------------------------------------------

/** Marks an operation that changes the account (see FailureContext.changes). */
export async function changesAccount(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const state = stateOf(this);
	state.changes = true;
	state.deletes = requestOptions.method === 'DELETE';
	return requestOptions;
}

function numberIdParameter(hook: Hook): string {
	const [id] = accept(hook, numberIdOf(hookParameters(hook)));
	stateOf(hook).subject = id;
	return id;
}

/** `/v1/numbers/<id><suffix>` with the ID checked and encoded, so it stays one path segment. */
export function numberPath(suffix = ''): PreSendAction {
	return async function (this: Hook, requestOptions: IHttpRequestOptions) {
		const id = numberIdParameter(this);
		return { ...requestOptions, url: `/v1/numbers/${encodeURIComponent(id)}${suffix}` };
	};
}

export function pairingTokenPath(suffix = ''): PreSendAction {
	return async function (this: Hook, requestOptions: IHttpRequestOptions) {
		const [token] = accept(this, pairingTokenOf(hookParameters(this)));
		return { ...requestOptions, url: `/v1/remote-pairing/${encodeURIComponent(token)}${suffix}` };
	};
}

/**
 * Name and phone of a new number (Create, Create Remote Pairing Link), both checked at once. Read
 * here rather than sent by routing: a routed field is evaluated twice more by RoutingNode.
 */
export async function newNumberInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const read = hookParameters(this);
	const body = isPlainObject(requestOptions.body) ? requestOptions.body : {};
	const typed = read('phoneNumber', '');
	const [name, cleaned] = accept(
		this,
		checkText(read('name', ''), 'Name'),
		checkPhoneNumber(typed, 'Phone Number'),
	);
	const country = read('phoneCountry', DEFAULT_PHONE_COUNTRY);
	const [number] = accept(
		this,
		toE164PhoneNumber(cleaned, String(typed), 'Phone Number', String(country)),
	);
	return { ...requestOptions, body: { ...body, name, number } };
}

/** Get Many: RoutingNode applies Limit after the call, so a bad value must be refused here. */
export async function checkListLimit(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!this.getNodeParameter('returnAll', false))
		accept(this, checkLimit(this.getNodeParameter('limit', 50)));
	return requestOptions;
}

// --- webhooks -----------------------------------------------------------------------------------

/** `/v1/webhooks/<id><suffix>` with the ID checked and encoded. */
export function webhookPath(suffix = ''): PreSendAction {
	return async function (this: Hook, requestOptions: IHttpRequestOptions) {
		const [id] = accept(this, webhookIdOf(hookParameters(this)));
		stateOf(this).subject = id;
		return { ...requestOptions, url: `/v1/webhooks/${encodeURIComponent(id)}${suffix}` };
	};
}

/** Get Many: one number's webhooks (the service also filters by the x-whatsapp-number-id header). */
export async function webhookNumberFilter(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const numberId = this.getNodeParameter('filters.numberId', '', { extractValue: true });
	if (numberId === undefined || numberId === '') return requestOptions;
	const [id] = accept(this, checkId(numberId, 'Number'));
	stateOf(this).subject = id;
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, 'x-whatsapp-number-id': id },
	};
}

/** Create: the number, the address and the events, all checked at once. */
export async function newWebhookInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const read = hookParameters(this);
	const { name: typedName } = this.getNodeParameter('options', {}) as IDataObject;
	const named = typeof typedName === 'string' && typedName.trim() !== '';
	const [numberId, url, events, name] = accept(
		this,
		numberIdOf(read, 'webhookNumberId'),
		checkWebhookUrl(read('url', ''), 'URL'),
		checkEvents(read('events', []), 'Events'),
		// A name is stored by the service and shown wherever the webhook is listed: no key in it.
		named ? checkText(typedName, 'Options → Name') : { value: undefined },
	);
	stateOf(this).subject = numberId;
	return {
		...requestOptions,
		body: { url, events, whatsappNumberId: numberId, ...(name ? { name } : {}) },
	};
}

/** Update: only the fields the user added; at least one. */
export async function webhookChangesInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const fields = this.getNodeParameter('updateFields', {}) as IDataObject;
	const body: IDataObject = {};
	const checks = [];
	if (fields.url !== undefined) {
		const url = checkWebhookUrl(fields.url, 'URL');
		checks.push(url);
		body.url = url.value;
	}
	if (fields.events !== undefined) {
		const events = checkEvents(fields.events, 'Events');
		checks.push(events);
		body.events = events.value;
	}
	if (fields.name !== undefined) {
		const name = checkText(fields.name, 'Name');
		checks.push(name);
		body.name = name.value;
	}
	if (fields.active !== undefined) body.active = fields.active === true;
	accept(this, ...checks);
	if (Object.keys(body).length === 0) {
		accept(this, {
			problem:
				'Update Fields is empty. Add the fields to change: Active (pause or resume), Events, Name or URL.',
		});
	}
	return { ...requestOptions, body };
}

// --- messages -----------------------------------------------------------------------------------

/** The Sending Number, when picked, as x-whatsapp-number-id (see messaging/sendingNumber.ts). */
export async function withSendingNumber(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const [numberId] = accept(this, sendingNumberOf(hookParameters(this)));
	if (numberId === undefined) return requestOptions;
	stateOf(this).sendingNumber = numberId;
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, ...sendingNumberHeaders(numberId) },
	};
}

/** The number a message call named (Sending Number), for the operation's output. */
export function sendingNumberOfItem(hook: Hook): string | undefined {
	return itemStates.get(hook)?.sendingNumber;
}

/** `/v1/messages/<id>`: the message ID, correlation ID or wamid, checked and encoded. */
export async function messagePath(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const read = hookParameters(this);
	const [id] = accept(this, checkMessageId(read(read.asTool ? 'toolMessageId' : 'messageId', '')));
	stateOf(this).subject = id;
	return { ...requestOptions, url: `/v1/messages/${encodeURIComponent(id)}` };
}
