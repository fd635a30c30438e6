import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { inputError, listInAnswer, unreadableResponseError } from '../../errors/nodeErrors';
import { sendingNumberHeaders, sendingNumberOf } from '../../messaging/sendingNumber';
import { pilotStatusRequest } from '../../transport/request';

/**
 * The Group field's list: the sending number's groups (GET /v1/groups), by name. The value is the
 * group's ID (…@g.us), which the user would otherwise have to copy from WhatsApp.
 */
export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	// The editor sends the form's current values; the locator's value is read off it as it is.
	const read = Object.assign(
		(name: string, fallback?: unknown) => {
			const value = this.getCurrentNodeParameter(name) ?? fallback;
			return value && typeof value === 'object' && 'value' in value
				? (value as { value: unknown }).value
				: value;
		},
		{ asTool: false },
	);
	const numberId = sendingNumberOf(read);
	if (numberId.problem !== undefined) throw inputError(this.getNode(), [numberId.problem]);
	const failure = { resource: 'group', operation: 'getAll', sendingNumber: numberId.value };
	const { body } = await pilotStatusRequest.call(this, {
		method: 'GET',
		path: '/v1/groups',
		headers: sendingNumberHeaders(numberId.value),
		failure,
	});
	const groups = listInAnswer(body);
	if (!groups) throw unreadableResponseError(this.getNode(), body, failure);
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
