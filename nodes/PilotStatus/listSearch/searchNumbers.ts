import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { formatPhoneNumber, normalizeState } from '../shared/normalize';
import { pilotStatusRequest } from '../shared/transport';

/** "Suporte (+55 11 99999-9999) · OPEN", filtered by name, phone number or ID. */
export async function searchNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const response = await pilotStatusRequest.call(this, {
		method: 'GET',
		path: '/v1/numbers',
		failure: { resource: 'number' },
	});
	const numbers = (Array.isArray(response.body) ? response.body : []) as IDataObject[];
	const needle = (filter ?? '').trim().toLowerCase();
	const digits = needle.replace(/\D/g, '');
	const results = numbers
		.filter((number) => {
			if (!needle) return true;
			const name = String(number.name ?? '').toLowerCase();
			const id = String(number.id ?? '').toLowerCase();
			return name.includes(needle) || id.includes(needle) || (digits !== '' && String(number.number ?? '').includes(digits));
		})
		.map((number) => ({
			name: `${number.name ?? number.id} (${formatPhoneNumber(number.number)}) · ${normalizeState(number.state ?? number.status) ?? 'UNKNOWN'}`,
			value: String(number.id),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
