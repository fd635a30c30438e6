import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { checkBaseUrl } from './baseUrl';
import type { ApiBase } from './baseUrl';
import { CREDENTIAL_TYPE } from '../constants';
import {
	apiError,
	asNodeError,
	failedResponseError,
	inputError,
	isOwnError,
	isPassingRateLimit,
	isUsableAnswer,
	listInAnswer,
	noCredentialError,
	RedirectAnswer,
	redirectError,
	unreadableResponseError,
} from '../errors/nodeErrors';
import type { FailureContext } from '../errors/nodeErrors';
import { secretsOf } from '../errors/secrets';
import { transportError } from './failures';
import { startDeadline, underDeadline } from './deadline';
import type { Deadline } from './deadline';
import { RateLimited, rideOutRateLimits } from './rateLimit';

// For the programmatic parts (number search, Wait for Connection, the trigger's webhook setup, the
// key operations): the same checks and messages as the declarative operations, on requests this
// code builds itself.

type Context =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

/**
 * No programmatic call may hang a workflow: a call gets this long, start to last byte, unless it
 * asks for less.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Settings → Request Options → Timeout, which n8n applies to the routed operations, for the custom ones too. */
export function requestTimeoutOf(context: IExecuteFunctions): number {
	const { timeout } = context.getNodeParameter('requestOptions', 0, {}) as { timeout?: unknown };
	return typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS;
}

export interface ApiCall {
	method: IHttpRequestMethods;
	path: string;
	/**
	 * A function is called again for each try, so that a body whose meaning depends on the time
	 * (a send's deliverAt) is still true when a 429 was waited out.
	 */
	body?: IDataObject | (() => IDataObject);
	qs?: IDataObject;
	/** Extra headers, such as the sending number's x-whatsapp-number-id (never the key's). */
	headers?: Record<string, string>;
	/**
	 * Statuses handed back instead of thrown, for callers that handle them (429 while polling). A
	 * 429 not listed here is waited out and sent again within the call's time (rateLimit.ts).
	 */
	passStatuses?: number[];
	/**
	 * The whole call, from sending to the answer's last byte, waits after 429s included;
	 * DEFAULT_TIMEOUT_MS when left out.
	 */
	timeoutMs?: number;
	failure: FailureContext;
}

function cancelSignalOf(context: Context) {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/**
 * Settings → Request Options → Proxy and Ignore SSL Issues, applied as RoutingNode applies them to
 * the routed operations, so the custom ones (Wait for Connection, the key operations, the list
 * searches) go the same way. The trigger has no such settings.
 */
function networkSettingsOf(context: Context, call: ApiCall): Partial<IHttpRequestOptions> {
	if (!('getInputData' in context) && !('getItemIndex' in context)) return {};
	const { proxy, allowUnauthorizedCerts } = (context as IExecuteFunctions).getNodeParameter(
		'requestOptions',
		0,
		{},
	) as { proxy?: unknown; allowUnauthorizedCerts?: unknown };
	const settings: Partial<IHttpRequestOptions> = {};
	if (allowUnauthorizedCerts === true) settings.skipSslCertificateValidation = true;
	if (typeof proxy === 'string' && proxy.trim() !== '') {
		let parsed: URL | undefined;
		try {
			parsed = new URL(proxy.trim());
		} catch {
			parsed = undefined;
		}
		if (!parsed?.hostname || !parsed.port) {
			throw inputError(
				context.getNode(),
				[
					'Settings → Request Options → Proxy is not a proxy address with a host and a port, e.g. http://myproxy:3128.',
				],
				call.failure.itemIndex,
			);
		}
		settings.proxy = {
			host: parsed.hostname,
			port: Number(parsed.port),
			protocol: parsed.protocol.replace(/:$/, ''),
			...(parsed.username
				? {
						auth: {
							username: decodeURIComponent(parsed.username),
							password: decodeURIComponent(parsed.password),
						},
					}
				: {}),
		};
	}
	return settings;
}

/** `base` is left out for credential calls: the credential's authenticate sets it. */
function requestOptions(
	context: Context,
	call: ApiCall,
	deadline: Deadline,
	base?: ApiBase,
): IHttpRequestOptions {
	return {
		...networkSettingsOf(context, call),
		...(base ? { baseURL: base.url } : {}),
		url: call.path,
		method: call.method,
		body: typeof call.body === 'function' ? call.body() : call.body,
		qs: call.qs,
		...(call.headers ? { headers: call.headers } : {}),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// The credential's authenticate sets this too; public calls carry a token in their path.
		disableFollowRedirect: true,
		// The HTTP client's own timeout only notices a silent connection; the signal ends the call.
		timeout: deadline.ms,
		abortSignal: deadline.signal,
	};
}

/** One try: the whole answer, whatever its status, or the transport failure explained. */
async function answerOf(
	context: Context,
	origin: () => Promise<string>,
	call: ApiCall,
	send: (deadline: Deadline) => Promise<unknown>,
	deadline: Deadline,
): Promise<IN8nHttpFullResponse> {
	const node = context.getNode();
	try {
		return (await send(deadline)) as IN8nHttpFullResponse;
	} catch (error) {
		if (isOwnError(error)) throw asNodeError(node, error);
		const explained = transportError(node, error, await origin(), call.failure, deadline);
		throw explained ?? asNodeError(node, error, call.failure.itemIndex);
	}
}

async function checked(
	context: Context,
	origin: () => Promise<string>,
	secrets: () => Promise<string[]>,
	call: ApiCall,
	send: (deadline: Deadline) => Promise<unknown>,
): Promise<IN8nHttpFullResponse> {
	const node = context.getNode();
	// One deadline for the call and every try after a 429 (transport/rateLimit.ts); a caller that
	// handles 429 itself (passStatuses) gets it at once.
	const deadline = startDeadline(call.timeoutMs ?? DEFAULT_TIMEOUT_MS, cancelSignalOf(context));
	const ridesOut = !call.passStatuses?.includes(429);
	const response = await rideOutRateLimits(
		deadline,
		async () => {
			const answer = await answerOf(context, origin, call, send, deadline);
			return ridesOut && isPassingRateLimit(answer) ? new RateLimited(answer) : answer;
		},
		async ({ answer }, rateLimit) =>
			apiError(node, answer.statusCode, answer.body, answer.headers, {
				...call.failure,
				secrets: await secrets(),
				rateLimit,
			}),
	);
	if (call.passStatuses?.includes(response.statusCode)) return response;
	if (isUsableAnswer(response)) return response;
	const error = failedResponseError(node, response, {
		...call.failure,
		deletes: call.method === 'DELETE',
		secrets: await secrets(),
	});
	if (error instanceof RedirectAnswer)
		throw redirectError(node, error.statusCode, await origin(), call.failure.itemIndex);
	if (error) throw error;
	return response;
}

/** A call with the node's Pilot Status credential. */
export async function pilotStatusRequest(
	this: Context,
	call: ApiCall,
): Promise<IN8nHttpFullResponse> {
	const node = this.getNode();
	if (!node.credentials?.[CREDENTIAL_TYPE]) {
		throw noCredentialError(node, call.failure.itemIndex);
	}
	// Only a failed call needs the origin and the secrets (for its message), so only then read the credential.
	const origin = async () =>
		checkBaseUrl((await this.getCredentials(CREDENTIAL_TYPE)).baseUrl, 'Base URL').value?.origin ??
		'the Base URL';
	return await checked(
		this,
		origin,
		async () => await secretsOf(this),
		call,
		async (deadline) =>
			await this.helpers.httpRequestWithAuthentication.call(
				underDeadline(this, deadline),
				CREDENTIAL_TYPE,
				requestOptions(this, call, deadline),
			),
	);
}

/** A call to the public remote pairing endpoints: the token in the path is the only credential. */
export async function publicPilotStatusRequest(
	this: IExecuteFunctions,
	baseUrl: unknown,
	call: ApiCall,
): Promise<IN8nHttpFullResponse> {
	const base = checkBaseUrl(baseUrl, 'API Base URL');
	if (base.problem !== undefined)
		throw inputError(this.getNode(), [base.problem], call.failure.itemIndex);
	return await checked(
		this,
		async () => base.value.origin,
		async () => [],
		call,
		async (deadline) =>
			await this.helpers.httpRequest(requestOptions(this, call, deadline, base.value)),
	);
}

/**
 * Every element of a list endpoint (the API has no paging): a bare array, or the one list a
 * wrapper object holds. Any other answer is unreadable, never an empty list.
 */
export async function requestList(
	this: Context,
	path: string,
	failure: FailureContext,
): Promise<IDataObject[]> {
	const { body } = await pilotStatusRequest.call(this, { method: 'GET', path, failure });
	const list = listInAnswer(body);
	if (!list) throw unreadableResponseError(this.getNode(), body, failure);
	return list;
}

/** Every number of the account. */
export async function listNumbers(this: Context): Promise<IDataObject[]> {
	return await requestList.call(this, '/v1/numbers', { resource: 'number' });
}
