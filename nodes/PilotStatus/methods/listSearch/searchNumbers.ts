import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { numberLabel } from '../../output/normalize';
import { listNumbers } from '../../transport/request';

/** "Suporte (+5511999999999)" per number, filtered by name, phone number or ID, sorted by label. */
export function numberOptions(
	numbers: IDataObject[],
	filter = '',
): Array<{ name: string; value: string }> {
	const needle = filter.trim().toLowerCase();
	const digits = needle.replace(/\D/g, '');
	return numbers
		.filter((number) => {
			if (!needle) return true;
			const name = String(number.name ?? '').toLowerCase();
			const id = String(number.id ?? '').toLowerCase();
			return (
				name.includes(needle) ||
				id.includes(needle) ||
				(digits !== '' &&
					String(number.number ?? '')
						.replace(/\D/g, '')
						.includes(digits))
			);
		})
		.map((number) => ({ name: numberLabel(number), value: String(number.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The Number field's list: the account's numbers. */
export async function searchNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return { results: numberOptions(await listNumbers.call(this), filter) };
}
