import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
} from 'n8n-workflow';

import { unreadableResponseError } from '../../errors/nodeErrors';
import type { FailureContext } from '../../errors/nodeErrors';
import { sendingNumberHeaders } from '../../messaging/sendingNumber';
import { isPlainObject } from '../../output/normalize';
import { sendOnce } from '../../transport/replay';
import { pilotStatusRequest, requestTimeoutOf } from '../../transport/request';

// Calls on the sending number's behalf (its key, or the tenant key with x-whatsapp-number-id). A
// change (calling settings, a permission request, which is a WhatsApp message) is sent once per
// item and run, also under Retry On Fail, as the node's other changes.

export interface CallRequest {
	context: IExecuteFunctions;
	itemIndex: number;
	operation: string;
	numberId: string | undefined;
	/** The call the request is about, for messages. */
	subject?: string;
}

function failureOf(call: CallRequest, changes: boolean): FailureContext {
	return {
		resource: 'call',
		operation: call.operation,
		itemIndex: call.itemIndex,
		subject: call.subject,
		sendingNumber: call.numberId,
		changes,
	};
}

async function request(
	call: CallRequest,
	method: IHttpRequestMethods,
	path: string,
	options: { qs?: IDataObject; body?: IDataObject },
	changes: boolean,
): Promise<IDataObject> {
	const failure = failureOf(call, changes);
	const { body } = await pilotStatusRequest.call(call.context, {
		method,
		path,
		...options,
		headers: sendingNumberHeaders(call.numberId),
		timeoutMs: requestTimeoutOf(call.context),
		failure,
	});
	if (!isPlainObject(body) && !Array.isArray(body))
		throw unreadableResponseError(call.context.getNode(), body, failure);
	return (Array.isArray(body) ? { calls: body } : body) as IDataObject;
}

/** A read: safe to repeat. */
export async function readCalls(
	call: CallRequest,
	path: string,
	qs?: IDataObject,
): Promise<IDataObject> {
	return await request(call, 'GET', path, { qs }, false);
}

/** A change, sent once per item (see above); `output` shapes the answer into the item's JSON. */
export async function changeCalls(
	call: CallRequest,
	method: IHttpRequestMethods,
	path: string,
	body: IDataObject,
	output: (answer: IDataObject) => IDataObject,
): Promise<INodeExecutionData[]> {
	const { context, itemIndex } = call;
	const attempt = { executeData: context.getExecuteData(), node: context.getNode(), itemIndex };
	return await sendOnce(attempt, async () => {
		const answer = await request(call, method, path, { body }, true);
		return [{ json: output(answer), pairedItem: { item: itemIndex } }];
	});
}

export function unreadableCalls(call: CallRequest, body: unknown): Error {
	return unreadableResponseError(call.context.getNode(), body, failureOf(call, false));
}
