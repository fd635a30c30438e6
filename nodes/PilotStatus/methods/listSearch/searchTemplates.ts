import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	inputError,
	inputErrorWith,
	listInAnswer,
	unreadableResponseError,
} from '../../errors/nodeErrors';
import { sendingNumberHeaders, sendingNumberOf } from '../../messaging/sendingNumber';
import { pilotStatusRequest } from '../../transport/request';

/** "boas_vindas (UTILITY, pt_BR)", and why a template cannot send where that is known. */
function templateLabel(template: IDataObject): string {
	const details = [template.category, template.metaLanguage ?? template.language]
		.filter((detail) => typeof detail === 'string' && detail !== '')
		.join(', ');
	const blocked =
		template.sendable === false
			? ` — not sendable${typeof template.metaStatus === 'string' ? ` (${template.metaStatus})` : ''}`
			: '';
	return `${String(template.name ?? template.id)}${details ? ` (${details})` : ''}${blocked}`;
}

/**
 * Send's Template list: the sending number's templates (GET /v1/templates), those that can send
 * first. The value is the template's ID; the API takes its name too (By ID or Name).
 */
export async function searchTemplates(
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
	// The editor sends an expression as it is written (={{ $json.numberId }}): it has a value only
	// when the workflow runs, so there is no number to list the templates of.
	const picked = read('sendingNumberId', '');
	if (typeof picked === 'string' && picked.startsWith('=')) {
		throw inputErrorWith(
			this.getNode(),
			'The Sending Number is an expression, which has no value while you edit. Pick the Sending Number From List or enter its ID to list its templates.',
			'Or enter the template By ID or Name: the expression is read when the workflow runs.',
		);
	}
	const numberId = sendingNumberOf(read);
	if (numberId.problem !== undefined) throw inputError(this.getNode(), [numberId.problem]);
	const failure = { resource: 'message', operation: 'send', sendingNumber: numberId.value };
	const { body } = await pilotStatusRequest.call(this, {
		method: 'GET',
		path: '/v1/templates',
		headers: sendingNumberHeaders(numberId.value),
		failure,
	});
	const templates = listInAnswer(body);
	if (!templates) throw unreadableResponseError(this.getNode(), body, failure);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = templates
		.filter((template) => template.id !== undefined || template.name !== undefined)
		.map((template) => ({
			name: templateLabel(template),
			value: String(template.id ?? template.name),
			sendable: template.sendable !== false,
		}))
		.filter(
			(option) =>
				!needle ||
				option.name.toLowerCase().includes(needle) ||
				option.value.toLowerCase().includes(needle),
		)
		.sort((a, b) => Number(b.sendable) - Number(a.sendable) || a.name.localeCompare(b.name))
		.map(({ name, value }) => ({ name, value }));
	return { results };
}
