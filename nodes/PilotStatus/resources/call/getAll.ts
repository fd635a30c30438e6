import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import { instantOf } from '../../messaging/input';
import { quote } from '../../input/validation';
import type { Checked } from '../../input/validation';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, limitOf, perItem, sendingNumberOf } from '../conversation/items';
import { callOutput } from './output';
import { readCalls, unreadableCalls } from './requests';
import type { CallRequest } from './requests';

/** The service's largest page (limit 1–100). */
const MAX_PAGE = 100;
/** A Return All that never ends (a cursor that never moves) stops here. */
const MAX_PAGES = 500;

const beforeField: INodeProperties = {
	displayName: 'Before',
	name: 'callsBefore',
	type: 'dateTime',
	default: '',
	description: 'Only calls that started before this time. Empty: from the newest call.',
};

export const getManyCalls: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many calls',
		description: 'List the number’s WhatsApp calls, newest first',
	},
	fields: [sendingNumberLocator, ...returnAllOrLimit, beforeField],
};

function beforeOf(value: unknown, timeZone: string): Checked<string | undefined> {
	if (value === undefined || value === null || String(value).trim() === '')
		return { value: undefined };
	const at = instantOf(value, timeZone);
	return Number.isFinite(at)
		? { value: new Date(at).toISOString() }
		: {
				problem: `Before ${quote(String(value))} is not a date and time. Pick one, or map an ISO 8601 time such as 2026-06-20T10:00:00-03:00.`,
			};
}

function callsIn(call: CallRequest, body: IDataObject): IDataObject[] {
	if (!Array.isArray(body.calls)) throw unreadableCalls(call, body);
	return (body.calls as unknown[]).filter(
		(row): row is IDataObject => typeof row === 'object' && row !== null && !Array.isArray(row),
	);
}

/**
 * Pages back through the `before` cursor (the createdAt of the last call read) until `limit`
 * calls are in (all with undefined), a page comes back short, or the cursor stops moving.
 */
async function readCallPages(
	call: CallRequest,
	limit: number | undefined,
	before: string | undefined,
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	let cursor = before;
	for (let page = 0; page < MAX_PAGES; page++) {
		const size = Math.min(MAX_PAGE, limit === undefined ? MAX_PAGE : limit - rows.length);
		const found = callsIn(
			call,
			await readCalls(call, '/v1/calls', { limit: size, before: cursor }),
		);
		rows.push(...found);
		const next = found[found.length - 1]?.createdAt;
		if (found.length < size || typeof next !== 'string' || next === cursor) break;
		if (limit !== undefined && rows.length >= limit) break;
		cursor = next;
	}
	return limit === undefined ? rows : rows.slice(0, limit);
}

export const getManyCallsRun = perItem(async (context, itemIndex, read) => {
	const [numberId, limit, before] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		limitOf(read),
		beforeOf(read('callsBefore', ''), context.getTimezone()),
	);
	const call = { context, itemIndex, operation: 'getAll', numberId };
	const calls = await readCallPages(call, limit, before);
	return calls.map((raw) => ({ json: callOutput(raw), pairedItem: { item: itemIndex } }));
});
