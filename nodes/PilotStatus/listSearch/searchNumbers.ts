import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { numberLabel } from '../shared/normalize';
import { listNumbers } from '../shared/transport';

/** "Suporte (+55 11 99999-9999) · OPEN", filtered by name, phone number or ID. */
export async function searchNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const digits = needle.replace(/\D/g, '');
	const results = (await listNumbers.call(this))
		.filter((number) => {
			if (!needle) return true;
			const name = String(number.name ?? '').toLowerCase();
			const id = String(number.id ?? '').toLowerCase();
			return (
				name.includes(needle) ||
				id.includes(needle) ||
				(digits !== '' && String(number.number ?? '').includes(digits))
			);
		})
		.map((number) => ({ name: numberLabel(number), value: String(number.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
