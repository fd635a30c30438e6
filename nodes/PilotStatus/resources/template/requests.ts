import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { acceptChecks, listInAnswer, unreadableResponseError } from '../../errors/nodeErrors';
import { hookParameters } from '../../input/parameters';
import { checkId, checkText } from '../../input/validation';
import { isPlainObject } from '../../output/normalize';
import { readTemplateContent } from './content';
import type { BinarySource } from './content';
import { simplifyTemplate, templateOutput } from './fields';

// The template operations' own preSend and postReceive hooks (the shared ones, Sending Number and
// changesAccount, come from routing/hooks.ts).

type Hook = IExecuteSingleFunctions;

/** What an item sent (Create, Update), from its preSend to its postReceive: n8n passes both the same context. */
const sent = new WeakMap<object, IDataObject>();

function templateReference(hook: Hook): string {
	const read = hookParameters(hook);
	const [reference] = acceptChecks(
		hook.getNode(),
		hook.getItemIndex(),
		checkId(read('templateRef', '', { extractValue: true }), 'Template'),
	);
	return reference;
}

/** `/v1/templates/<id or name>`, checked and encoded. */
export async function templatePath(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const reference = templateReference(this);
	sent.set(this, { reference });
	return { ...requestOptions, url: `/v1/templates/${encodeURIComponent(reference)}` };
}

function binaryOf(hook: Hook): BinarySource {
	return async (field) => {
		const file = hook.getInputData().binary?.[field];
		if (!file) return undefined;
		return { data: await hook.helpers.getBinaryDataBuffer(field), mimeType: file.mimeType };
	};
}

/**
 * Name, category and language (Create) and the content, all checked at once; with the variables
 * of header, body and buttons, which the output lists.
 */
async function templateBody(
	hook: Hook,
	creating: boolean,
): Promise<{ body: IDataObject; variables: string[] }> {
	const read = hookParameters(hook);
	const { content, problems } = await readTemplateContent(read, binaryOf(hook));
	const name = creating ? checkText(read('templateName', ''), 'Name', 512) : { value: undefined };
	const language = String(read('templateLanguage', '') ?? '').trim();
	const languageCheck =
		!creating || /^[a-z]{2,3}(?:_[A-Z]{2})?$/.test(language)
			? { value: language }
			: {
					problem: `Language ${JSON.stringify(language)} is not a language code. Use the code WhatsApp uses, e.g. pt_BR, en_US or es.`,
				};
	acceptChecks(
		hook.getNode(),
		hook.getItemIndex(),
		name,
		languageCheck,
		...problems.map((problem) => ({ problem })),
	);
	const body = {
		...(creating
			? {
					name: name.value,
					category: String(read('templateCategory', 'UTILITY')),
					language,
				}
			: {}),
		body: content.body,
		examples: content.examples,
	};
	return { body, variables: content.variables };
}

export async function newTemplateInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { body, variables } = await templateBody(this, true);
	sent.set(this, { ...body, variables });
	return { ...requestOptions, body };
}

export async function templateChangesInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { body, variables } = await templateBody(this, false);
	sent.set(this, { ...sent.get(this), ...body, variables });
	return { ...requestOptions, body };
}

function simplified(hook: Hook): boolean {
	return hook.getNodeParameter('simplifyTemplate', true) !== false;
}

const item = (hook: Hook, json: IDataObject): INodeExecutionData => ({
	json,
	pairedItem: { item: hook.getItemIndex() },
});

export async function outputTemplates(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const list = listInAnswer(response.body);
	if (!list) {
		throw unreadableResponseError(this.getNode(), response.body, {
			resource: 'template',
			itemIndex: this.getItemIndex(),
		});
	}
	return list.map((raw) => {
		const template = templateOutput(isPlainObject(raw) ? raw : {});
		return item(this, simplified(this) ? simplifyTemplate(template) : template);
	});
}

export async function outputTemplate(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const raw = isPlainObject(response.body) ? response.body : {};
	// The single template may come wrapped ({ template: {...} }); the docs show no wrapper.
	const inner = isPlainObject(raw.template) ? raw.template : raw;
	const template = templateOutput(inner);
	return [item(this, simplified(this) ? simplifyTemplate(template) : template)];
}

/**
 * Create answers only { id, name, category, metaStatus }, Update's answer is not documented: the
 * output completes whatever came back with what was sent, so both give Get's shape.
 */
export async function outputChangedTemplate(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const { reference, ...request } = sent.get(this) ?? {};
	const raw = isPlainObject(response.body) ? response.body : {};
	const answer = isPlainObject(raw.template) ? raw.template : raw;
	const template = templateOutput({ ...request, ...answer, id: answer.id ?? reference });
	const pending = template.metaStatus === 'PENDING';
	return [
		item(this, {
			...template,
			note: pending
				? 'Meta reviews the template (metaStatus PENDING): Message → Send can use it once Template → Get says APPROVED.'
				: 'The template can be used by Message → Send now.',
		}),
	];
}

export async function outputTemplateDeleted(this: Hook): Promise<INodeExecutionData[]> {
	const { reference } = sent.get(this) ?? {};
	return [item(this, { id: reference ?? null, deleted: true })];
}
