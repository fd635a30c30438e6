import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { inputErrorWith } from '../../errors/nodeErrors';
import { formReader, sendingNumberList } from './sendingNumberList';

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
	// The editor sends an expression as it is written (={{ $json.numberId }}): it has a value only
	// when the workflow runs, so there is no number to list the templates of.
	const picked = formReader(this)('sendingNumberId', '');
	if (typeof picked === 'string' && picked.startsWith('=')) {
		throw inputErrorWith(
			this.getNode(),
			'The Sending Number is an expression, which has no value while you edit. Pick the Sending Number From List or enter its ID to list its templates.',
			'Or enter the template By ID or Name: the expression is read when the workflow runs.',
		);
	}
	const templates = await sendingNumberList(this, '/v1/templates', {
		resource: 'message',
		operation: 'send',
	});
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
