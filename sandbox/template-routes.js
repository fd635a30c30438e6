'use strict';
// POST, PUT and DELETE /v1/templates (../shared/messaging-api.md §3), number-scoped like the rest of
// messaging: the documented structure rules, examples for every variable (400
// TEMPLATE_EXAMPLES_REQUIRED with details.missing), 409 for a name in use, Meta numbers' approval
// (metaStatus PENDING), header media from a URL or a base64 data URI. The PUT and DELETE schemas are
// not documented: PUT takes Create's fields except name and category (fixed after creation) and
// answers the template; DELETE answers { id, deleted: true }.
const crypto = require('node:crypto');
const { ApiError } = require('./store');
const { forNumber } = require('./messages');
const { templateRecordsOf, templateView } = require('./templates');

const CATEGORIES = ['MARKETING', 'UTILITY', 'OTP'];
const HEADER_TYPES = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'];
const BUTTON_LIMITS = { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1, COPY_CODE: 1 };
const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g;
const LANGUAGE = /^[a-z]{2,3}(?:_[A-Z]{2})?$/;
const DATA_URI = /^data:([\w.+-]+\/[\w.+-]+);base64,[A-Za-z0-9+/]+=*$/;

const invalid = (message) => new ApiError(400, `Validation error: ${message}`, 'VALIDATION_ERROR');

function variablesIn(text) {
	return [...String(text ?? '').matchAll(VARIABLE)].map((match) => match[1]);
}

/** "Promo Cupom!" → "Promo_Cupom": letters and numbers, separators become _. */
function templateName(value) {
	const name = String(value ?? '')
		.trim()
		.replace(/[^A-Za-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
	if (name === '') throw invalid('name is required (letters and numbers)');
	return name;
}

/** `body`: the recommended object, the same JSON as a string, or plain text (wrapped). */
function readContent(value) {
	let content = value;
	if (typeof value === 'string') {
		try {
			const parsed = JSON.parse(value);
			content = parsed && typeof parsed === 'object' ? parsed : { body: value };
		} catch {
			content = { body: value };
		}
	}
	if (!content || typeof content !== 'object' || Array.isArray(content))
		throw invalid('body is required');
	return content;
}

function checkHeader(header) {
	if (header === undefined || header === null) return undefined;
	const type = String(header.type ?? 'TEXT').toUpperCase();
	if (!HEADER_TYPES.includes(type)) throw invalid(`header.type must be one of ${HEADER_TYPES}`);
	if (type === 'NONE') return undefined;
	if (type === 'TEXT') {
		const text = String(header.text ?? '');
		if (text === '' || text.length > 60) throw invalid('header.text must have 1 to 60 characters');
		if (/[\r\n]/.test(text)) throw invalid('header.text must not contain line breaks');
		if (variablesIn(text).length > 1) throw invalid('header.text may hold at most 1 variable');
		return { type, text };
	}
	if (typeof header.base64 === 'string') {
		const match = DATA_URI.exec(header.base64);
		if (!match) throw invalid('header.base64 must be a data URI (data:<type>;base64,...)');
		// Re-hosted server-side: the template keeps a URL.
		return { type, url: `https://media.pilotstatus.test/${crypto.randomUUID()}` };
	}
	if (typeof header.url !== 'string' || !/^https?:\/\//i.test(header.url))
		throw invalid('header.url must be an http(s) URL, or header.base64 a data URI');
	return { type, url: header.url };
}

function checkButtons(buttons) {
	if (buttons === undefined || buttons === null) return undefined;
	if (!Array.isArray(buttons) || buttons.length > 10)
		throw invalid('buttons must be an array of at most 10');
	const counts = {};
	for (const button of buttons) {
		const type = String(button?.type ?? '');
		if (!(type in BUTTON_LIMITS))
			throw invalid(`button type must be one of ${Object.keys(BUTTON_LIMITS)}`);
		counts[type] = (counts[type] ?? 0) + 1;
		if (counts[type] > BUTTON_LIMITS[type])
			throw invalid(`at most ${BUTTON_LIMITS[type]} ${type} button(s)`);
		if (type !== 'COPY_CODE' && (typeof button.text !== 'string' || button.text === ''))
			throw invalid(`${type} buttons need a text`);
		if (type === 'URL' && !/^https?:\/\/[^{}]*(?:\{\{\s*\w+\s*\}\})?$/i.test(button.url ?? ''))
			throw invalid('URL buttons need an http(s) url, with at most one variable at its end');
		if (type === 'PHONE_NUMBER' && !/^\+\d{8,15}$/.test(button.phone_number ?? ''))
			throw invalid('PHONE_NUMBER buttons need phone_number in E.164');
		if (
			type === 'COPY_CODE' &&
			!(Array.isArray(button.example) && /^[A-Za-z0-9]{1,15}$/.test(String(button.example[0])))
		)
			throw invalid('COPY_CODE buttons need example: [code], alphanumeric, at most 15');
	}
	return buttons;
}

/** The checked content and its variables, whose examples must all be given. */
function readTemplateContent(rawBody, examples) {
	const content = readContent(rawBody);
	const body = String(content.body ?? '');
	if (body.trim() === '' || body.length > 1024)
		throw invalid('body.body must have 1 to 1024 characters');
	if (/^\s*\{\{\s*\w+\s*\}\}|\{\{\s*\w+\s*\}\}\s*$/.test(body))
		throw invalid('body.body must not start or end with a variable');
	const footer = content.footer === undefined ? undefined : String(content.footer);
	if (footer !== undefined && (footer.length > 60 || variablesIn(footer).length > 0))
		throw invalid('footer must have at most 60 characters and no variables');
	const header = checkHeader(content.header);
	const buttons = checkButtons(content.buttons);
	const variables = [
		...new Set([
			...variablesIn(header?.text),
			...variablesIn(body),
			...(buttons ?? []).flatMap((button) => variablesIn(button.url)),
		]),
	];
	const given = examples && typeof examples === 'object' ? examples : {};
	const missing = variables.filter((name) => given[name] === undefined || given[name] === '');
	if (missing.length > 0) {
		const error = new ApiError(
			400,
			'Every variable needs an example',
			'TEMPLATE_EXAMPLES_REQUIRED',
		);
		error.body.details = { missing };
		throw error;
	}
	return { body, header, footer, buttons, variables };
}

function findRecord(number, reference) {
	const record = templateRecordsOf(number).find(
		(template) => template.id === reference || template.name === reference,
	);
	if (!record) throw new ApiError(404, 'Template not found', 'TEMPLATE_NOT_FOUND');
	return record;
}

const templateRoutes = [
	[
		'POST',
		'/v1/templates',
		'any',
		forNumber(({ store, number, body }) => {
			const name = templateName(body.name);
			const category = String(body.category ?? '');
			if (!CATEGORIES.includes(category)) throw invalid(`category must be one of ${CATEGORIES}`);
			const language = String(body.language ?? '');
			if (!LANGUAGE.test(language)) throw invalid('language must look like pt_BR');
			const content = readTemplateContent(body.body, body.examples);
			const records = templateRecordsOf(number);
			if (records.some((record) => record.name === name))
				throw new ApiError(409, 'A template with this name already exists');
			const record = {
				id: store.nextId('tpl'),
				name,
				category,
				language,
				...content,
				// Meta numbers submit it for approval; unofficial numbers use it at once.
				metaStatus: number.provider === 'META' ? 'PENDING' : 'APPROVED',
			};
			records.push(record);
			return {
				status: 201,
				body: {
					id: record.id,
					name,
					category,
					metaStatus: number.provider === 'META' ? 'PENDING' : null,
				},
			};
		}),
	],
	[
		'PUT',
		'/v1/templates/:id',
		'any',
		forNumber(({ number, params, body }) => {
			const record = findRecord(number, params.id);
			if (body.category !== undefined && body.category !== record.category)
				throw invalid('category cannot be changed after creation');
			if (body.name !== undefined && templateName(body.name) !== record.name)
				throw invalid('name cannot be changed; create a new template');
			if (body.language !== undefined && !LANGUAGE.test(String(body.language)))
				throw invalid('language must look like pt_BR');
			const content = readTemplateContent(body.body, body.examples);
			for (const field of ['header', 'footer', 'buttons']) delete record[field];
			Object.assign(record, content, body.language ? { language: body.language } : {});
			if (number.provider === 'META') record.metaStatus = 'PENDING';
			return { body: templateView(number, record) };
		}),
	],
	[
		'DELETE',
		'/v1/templates/:id',
		'any',
		forNumber(({ number, params }) => {
			const record = findRecord(number, params.id);
			const records = templateRecordsOf(number);
			records.splice(records.indexOf(record), 1);
			return { body: { id: record.id, deleted: true } };
		}),
	],
];

module.exports = { templateRoutes };
