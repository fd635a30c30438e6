import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
} from 'n8n-workflow';

import { unreadableResponseError } from '../../errors/nodeErrors';
import { isPlainObject } from '../../output/normalize';
import { sendingNumberHeaders } from '../../messaging/sendingNumber';
import { sendOnce } from '../../transport/replay';
import { pilotStatusRequest, requestTimeoutOf } from '../../transport/request';

// Calls on a group of the sending number. A change (create, participants, pin) is sent once per
// item and run: under Retry On Fail an item that went through hands back its result, and one whose
// answer was lost is not sent again (it may have been made), as the other changes of the node.

export interface GroupCall {
	context: IExecuteFunctions;
	itemIndex: number;
	operation: string;
	numberId: string | undefined;
	/** The group the call is about, for messages. */
	subject?: string;
}

export function groupPath(groupId: string, suffix = ''): string {
	return `/v1/groups/${encodeURIComponent(groupId)}${suffix}`;
}

async function request(
	call: GroupCall,
	method: IHttpRequestMethods,
	path: string,
	body: IDataObject | undefined,
	changes: boolean,
): Promise<unknown> {
	const failure = {
		resource: 'group',
		operation: call.operation,
		itemIndex: call.itemIndex,
		subject: call.subject,
		sendingNumber: call.numberId,
		changes,
	};
	const { body: answer } = await pilotStatusRequest.call(call.context, {
		method,
		path,
		body,
		headers: sendingNumberHeaders(call.numberId),
		timeoutMs: requestTimeoutOf(call.context),
		failure,
	});
	if (!isPlainObject(answer) && !Array.isArray(answer))
		throw unreadableResponseError(call.context.getNode(), answer, failure);
	return answer;
}

/** A read: safe to repeat. */
export async function readGroup(call: GroupCall, path: string): Promise<unknown> {
	return await request(call, 'GET', path, undefined, false);
}

/** A change, sent once per item (see above); `output` shapes the answer into the item's JSON. */
export async function changeGroup(
	call: GroupCall,
	method: IHttpRequestMethods,
	path: string,
	body: IDataObject,
	output: (answer: unknown) => IDataObject,
): Promise<INodeExecutionData[]> {
	const { context, itemIndex } = call;
	const attempt = { executeData: context.getExecuteData(), node: context.getNode(), itemIndex };
	return await sendOnce(attempt, async () => {
		const answer = await request(call, method, path, body, true);
		return [{ json: output(answer), pairedItem: { item: itemIndex } }];
	});
}
