import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';

import { apiOrigin, CREDENTIAL_TYPE } from './constants';
import { failedResponseError, noCredentialError, transportError } from './errors';
import type { FailureContext } from './errors';

// For the programmatic parts (number search, Wait for Connection, the trigger's webhook setup):
// the same error mapping as the declarative operations, on requests this code builds itself.

type Context = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface ApiCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/** Statuses handed back instead of thrown, for callers that handle them (429 while polling). */
	passStatuses?: number[];
	failure: FailureContext;
}

/** `origin` is left out for credential calls: the credential's authenticate sets it. */
function requestOptions(call: ApiCall, origin?: string): IHttpRequestOptions {
	return {
		...(origin ? { baseURL: origin } : {}),
		url: call.path,
		method: call.method,
		body: call.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
}

async function checked(
	node: INode,
	origin: () => Promise<string>,
	call: ApiCall,
	send: () => Promise<unknown>,
): Promise<IN8nHttpFullResponse> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await send()) as IN8nHttpFullResponse;
	} catch (error) {
		throw transportError(node, error, await origin(), call.failure.itemIndex) ?? error;
	}
	if (call.passStatuses?.includes(response.statusCode)) return response;
	const error = failedResponseError(node, response, call.failure);
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
	// Only a failed connection needs the origin (for its message), so only then read the credential.
	const origin = async () => apiOrigin((await this.getCredentials(CREDENTIAL_TYPE)).baseUrl);
	return checked(node, origin, call, () =>
		this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, requestOptions(call)),
	);
}

/** A call to the public remote pairing endpoints: the token in the path is the only credential. */
export async function publicPilotStatusRequest(
	this: IExecuteFunctions,
	baseUrl: unknown,
	call: ApiCall,
): Promise<IN8nHttpFullResponse> {
	const origin = apiOrigin(baseUrl);
	return checked(
		this.getNode(),
		async () => origin,
		call,
		() => this.helpers.httpRequest(requestOptions(call, origin)),
	);
}

/** Every number of the account (the API has no paging). */
export async function listNumbers(this: Context): Promise<IDataObject[]> {
	const { body } = await pilotStatusRequest.call(this, {
		method: 'GET',
		path: '/v1/numbers',
		failure: { resource: 'number' },
	});
	return Array.isArray(body) ? (body as IDataObject[]) : [];
}
