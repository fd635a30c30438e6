import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { settingsSentence } from '../../descriptions/tool';
import { acceptChecks, asNodeError } from '../../errors/nodeErrors';
import { itemParameters } from '../../input/parameters';
import { checkMessageIds } from '../../messaging/input';
import { cancelOutput } from '../../messaging/output';
import type { CancelCall } from '../../messaging/output';
import { sendingNumberHeaders, sendingNumberOf } from '../../messaging/sendingNumber';
import type { OperationDefinition } from '../../routing/operations';
import { pilotStatusRequest, requestTimeoutOf } from '../../transport/request';

/** The API takes 1 to 100 IDs per call. */
export const CANCEL_BATCH = 100;

export const cancelMessages: OperationDefinition = {
	option: {
		name: 'Cancel',
		value: 'cancel',
		action: 'Cancel scheduled messages',
		description:
			'Stop messages scheduled with Deliver At that have not gone out yet; they become CANCELED',
	},
	toolDescription: `Cancel WhatsApp messages that were scheduled for later and have not been sent yet; messages already sent cannot be taken back. ${settingsSentence('The message IDs')}`,
	fields: [
		sendingNumberLocator,
		{
			displayName: 'Message IDs',
			name: 'messageIds',
			type: 'string',
			default: '={{ $json.id }}',
			required: true,
			placeholder: 'e.g. msg_01HZX9K3, msg_01HZX9K4',
			description:
				'The IDs from Send’s output, separated by commas, or an expression that gives a list. More than 100 are sent 100 per call.',
			hint: 'One input item per message? Aggregate the ids into one item first (Aggregate node), so they go 100 per call.',
		},
	],
};

function batches(ids: string[]): string[][] {
	const list: string[][] = [];
	for (let start = 0; start < ids.length; start += CANCEL_BATCH)
		list.push(ids.slice(start, start + CANCEL_BATCH));
	return list;
}

/**
 * One output item per input item, over as many calls as its IDs need. Cancelling is safe to repeat
 * (an ID already cancelled is only reported as not cancelled), so a failed call is not remembered
 * for Retry On Fail; the message says which IDs were handled before it.
 */
async function cancelItem(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const read = itemParameters(context, itemIndex);
	const [numberId, ids] = acceptChecks(
		context.getNode(),
		itemIndex,
		sendingNumberOf(read),
		checkMessageIds(read('messageIds', '')),
	);
	const calls: CancelCall[] = [];
	for (const batch of batches(ids)) {
		try {
			const { body } = await pilotStatusRequest.call(context, {
				method: 'DELETE',
				path: '/v1/messages/cancel',
				body: { messageIds: batch },
				headers: sendingNumberHeaders(numberId),
				timeoutMs: requestTimeoutOf(context),
				failure: { resource: 'message', operation: 'cancel', itemIndex, sendingNumber: numberId },
			});
			calls.push({ ids: batch, answer: body });
		} catch (error) {
			const done = calls.reduce((sum, call) => sum + call.ids.length, 0);
			if (done > 0 && error instanceof Error) {
				error.message += ` The first ${done} of the ${ids.length} IDs were handled before this failure; running Cancel again for all of them is safe.`;
			}
			throw asNodeError(context.getNode(), error, itemIndex);
		}
	}
	return { json: cancelOutput(calls), pairedItem: { item: itemIndex } };
}

export async function cancelScheduledMessages(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			output.push(await cancelItem(this, itemIndex));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			output.push({
				json: { error: (error as Error).message } as IDataObject,
				pairedItem: { item: itemIndex },
				error: error as INodeExecutionData['error'],
			});
		}
	}
	return [output];
}
