import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ParameterReader } from '../../input/parameters';
import { quote } from '../../input/validation';
import type { Checked } from '../../input/validation';
import { instantOf } from '../../messaging/input';
import { accepted, limitOf, perItem, readPages, sendingNumberOf } from './items';
import { pageItems } from './output';

// A read of stored messages or conversations: Sending Number, Return All / Limit, optional dates,
// all checked before the first page is asked for.

export interface DateRange {
	startDate?: string;
	endDate?: string;
}

function instant(value: unknown, field: string, timeZone: string): Checked<string | undefined> {
	if (value === undefined || value === null || String(value).trim() === '')
		return { value: undefined };
	const at = instantOf(value, timeZone);
	if (!Number.isFinite(at))
		return {
			problem: `Filters → ${field} ${quote(String(value))} is not a date and time. Pick one, or map an ISO 8601 time such as 2026-06-20T10:00:00-03:00.`,
		};
	return { value: new Date(at).toISOString() };
}

/** From and To as ISO times; From after To is refused here (the service would answer INVALID_DATE_RANGE). */
export function dateRangeOf(filters: IDataObject, timeZone: string): Checked<DateRange> {
	const start = instant(filters.startDate, 'From', timeZone);
	const end = instant(filters.endDate, 'To', timeZone);
	if (start.problem !== undefined || end.problem !== undefined)
		return { problem: [start.problem, end.problem].filter(Boolean).join(' ') };
	if (start.value && end.value && start.value > end.value)
		return {
			problem: `Filters → From (${start.value}) is after To (${end.value}). Swap them, or remove one.`,
		};
	return {
		value: {
			...(start.value ? { startDate: start.value } : {}),
			...(end.value ? { endDate: end.value } : {}),
		},
	};
}

export interface ReadDefinition {
	resource: string;
	operation: string;
	path: string;
	shape: (raw: IDataObject) => IDataObject;
	/** The name of the operation's filters collection, if it has dates. */
	filters?: string;
	/**
	 * Which rows to keep, from the filters the service has no parameter for: checked with the other
	 * fields, before the first page is asked for.
	 */
	keep?: (filters: IDataObject) => Checked<RowFilter | undefined>;
}

export type RowFilter = (row: IDataObject) => boolean;

async function readItem(
	definition: ReadDefinition,
	context: IExecuteFunctions,
	itemIndex: number,
	read: ParameterReader,
): Promise<INodeExecutionData[]> {
	const filters = (definition.filters ? read(definition.filters, {}) : {}) as IDataObject;
	const [numberId, limit, range, keep] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		limitOf(read),
		dateRangeOf(filters, context.getTimezone()),
		definition.keep?.(filters) ?? { value: undefined },
	);
	const call = {
		context,
		itemIndex,
		numberId,
		failure: {
			resource: definition.resource,
			operation: definition.operation,
			itemIndex,
			sendingNumber: numberId,
		},
	};
	const page = await readPages(call, definition.path, range as IDataObject, limit, keep);
	return pageItems(page, definition.shape, itemIndex);
}

export function readOperation(definition: ReadDefinition) {
	return perItem(
		async (context, itemIndex, read) => await readItem(definition, context, itemIndex, read),
	);
}
