import type { INodeProperties } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { isPlainObject } from '../../output/normalize';
import { checkId } from '../../input/validation';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { callOutput } from './output';
import { readCalls } from './requests';

const callIdField: INodeProperties = {
	displayName: 'Call ID',
	name: 'callId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. call_01HZX9K3 or wacid.ABGG...',
	description:
		'The Pilot Status call ID (call_…) or Meta’s (wacid…), from Get Many, or a call event the Pilot Status Trigger receives with All Events',
};

export const getCall: OperationDefinition = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a call',
		description: 'Get one call of the number: direction, status, contact, duration',
	},
	fields: [sendingNumberLocator, callIdField],
};

export const getCallRun = perItem(async (context, itemIndex, read) => {
	const [numberId, callId] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		checkId(read('callId', ''), 'Call ID'),
	);
	const call = { context, itemIndex, operation: 'get', numberId, subject: callId };
	const answer = await readCalls(call, `/v1/calls/${encodeURIComponent(callId)}`);
	const raw = isPlainObject(answer.call) ? answer.call : answer;
	return [{ json: callOutput(raw), pairedItem: { item: itemIndex } }];
});
