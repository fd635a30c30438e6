import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, inputError, unreadableResponseError } from '../../errors/nodeErrors';
import type { FailureContext } from '../../errors/nodeErrors';
import { itemParameters } from '../../input/parameters';
import type { ParameterReader } from '../../input/parameters';
import { checkLimit } from '../../input/validation';
import type { Checked } from '../../input/validation';
import { isPlainObject } from '../../output/normalize';
import { sendingNumberHeaders, sendingNumberOf } from '../../messaging/sendingNumber';
import { pilotStatusRequest, requestTimeoutOf } from '../../transport/request';

// What the number-scoped custom operations (conversations, groups, media) share: one item at a
// time with Continue On Fail, every field checked before the first request, and the documented
// page/pageSize paging behind Return All / Limit.

/** The service's largest page (pageSize 1–100). */
export const MAX_PAGE_SIZE = 100;
/** A Return All that never ends (a service that always says there is more) stops here. */
const MAX_PAGES = 500;

export type ItemHandler = (
	context: IExecuteFunctions,
	itemIndex: number,
	read: ParameterReader,
) => Promise<INodeExecutionData[]>;

/** Runs `handle` per input item; with Continue On Fail a failed item comes out with its error. */
export function perItem(handle: ItemHandler) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			try {
				output.push(...(await handle(this, itemIndex, itemParameters(this, itemIndex))));
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
	};
}

/** Every check's value, or one error naming every field to fix; nothing is sent then. */
export function accepted<T extends Array<Checked<unknown>>>(
	context: IExecuteFunctions,
	itemIndex: number,
	...checks: T
): { [K in keyof T]: T[K] extends Checked<infer V> ? V : never } {
	const problems = checks.flatMap((check) => (check.problem === undefined ? [] : [check.problem]));
	if (problems.length > 0) throw inputError(context.getNode(), problems, itemIndex);
	return checks.map((check) => check.value) as never;
}

/** Return All, or the checked Limit. */
export function limitOf(read: ParameterReader): Checked<number | undefined> {
	if (read('returnAll', false) === true) return { value: undefined };
	return checkLimit(read('limit', 50));
}

export { sendingNumberOf };

export interface NumberCall {
	context: IExecuteFunctions;
	itemIndex: number;
	numberId: string | undefined;
	failure: FailureContext;
}

/** A GET on the sending number's behalf (its key, or the tenant key and x-whatsapp-number-id). */
export async function getJson(
	call: NumberCall,
	path: string,
	qs?: IDataObject,
): Promise<IDataObject> {
	const { body } = await pilotStatusRequest.call(call.context, {
		method: 'GET',
		path,
		qs,
		headers: sendingNumberHeaders(call.numberId),
		timeoutMs: requestTimeoutOf(call.context),
		failure: call.failure,
	});
	if (!isPlainObject(body) && !Array.isArray(body))
		throw unreadableResponseError(call.context.getNode(), body, call.failure);
	return (Array.isArray(body) ? { items: body } : body) as IDataObject;
}

export interface Page {
	rows: IDataObject[];
	notice?: string;
}

/** The one array of a page (`conversations`, `messages`, or whatever the one list is called). */
function rowsOf(call: NumberCall, body: IDataObject): IDataObject[] {
	const arrays = Object.values(body).filter((value) => Array.isArray(value));
	if (arrays.length !== 1)
		throw unreadableResponseError(call.context.getNode(), body, call.failure);
	return (arrays[0] as unknown[]).filter(isPlainObject);
}

function positive(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Reads pages (page, pageSize) until `limit` rows are in (all with undefined), the last page
 * (totalPages, or a short page) is read, or the service has no more. `keep` filters rows the
 * service has no parameter for, before they count. A notice (PII_RELAY_ONLY) on any page is kept.
 */
export async function readPages(
	call: NumberCall,
	path: string,
	qs: IDataObject,
	limit: number | undefined,
	keep?: (row: IDataObject) => boolean,
): Promise<Page> {
	const rows: IDataObject[] = [];
	let notice: string | undefined;
	const pageSize = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
	for (let page = 1; page <= MAX_PAGES; page++) {
		const body = await getJson(call, path, { ...qs, page, pageSize });
		if (typeof body.notice === 'string' && body.notice !== '') notice = body.notice;
		const found = rowsOf(call, body);
		rows.push(...(keep ? found.filter(keep) : found));
		if (limit !== undefined && rows.length >= limit) break;
		const totalPages = positive(body.totalPages);
		if (found.length < pageSize || (totalPages !== undefined && page >= totalPages)) break;
	}
	return { rows: limit === undefined ? rows : rows.slice(0, limit), ...(notice ? { notice } : {}) };
}
