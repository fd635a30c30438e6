import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { sendingNumberList } from './sendingNumberList';

/**
 * The Group field's list: the sending number's groups (GET /v1/groups), by name. The value is the
 * group's ID (…@g.us), which the user would otherwise have to copy from WhatsApp.
 */
export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const groups = await sendingNumberList(this, '/v1/groups', {
		resource: 'group',
		operation: 'getAll',
	});
	const needle = (filter ?? '').trim().toLowerCase();
	const results = groups
		.map((group) => {
			const id = String(group.id ?? group.jid ?? '');
			const name = String(group.name ?? group.subject ?? '') || id;
			return { name: `${name} (${id})`, value: id };
		})
		.filter((option) => option.value !== '')
		.filter((option) => !needle || option.name.toLowerCase().includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
