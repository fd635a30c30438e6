'use strict';
// The templates every number has (../shared/messaging-api.md §3): a few seeded ones so Send's
// template picker, MISSING_TEMPLATE_VARIABLES and Meta's approval rule can be played. On a Meta
// number they are WABA templates (source META) and only APPROVED ones are sendable.
const { ApiError } = require('./store');

const SEEDED_TEMPLATES = Object.freeze([
	{
		key: 'pedido',
		name: 'confirmacao_pedido',
		category: 'UTILITY',
		body: 'Olá {{nome}}, seu pedido {{pedido}} foi confirmado.',
		variables: ['nome', 'pedido'],
		metaStatus: 'APPROVED',
	},
	{
		key: 'boasvindas',
		name: 'boas_vindas',
		category: 'MARKETING',
		body: 'Bem-vindo! Responda esta mensagem para falar com a gente.',
		variables: [],
		metaStatus: 'APPROVED',
	},
	{
		key: 'promo',
		name: 'promo_cupom',
		category: 'MARKETING',
		body: 'Use o cupom {{cupom}} até domingo.',
		variables: ['cupom'],
		metaStatus: 'PENDING',
	},
]);

function templateId(number, seeded) {
	return `tpl_${number.id.replace(/^num_/, '')}_${seeded.key}`;
}

/**
 * The stored templates of `number` (POST/PUT/DELETE /v1/templates change them), seeded on first use
 * and dropped with the number when the store resets.
 */
function templateRecordsOf(number) {
	if (!number.templates) {
		number.templates = SEEDED_TEMPLATES.map((seeded) => ({
			id: templateId(number, seeded),
			name: seeded.name,
			category: seeded.category,
			language: 'pt_BR',
			body: seeded.body,
			variables: [...seeded.variables],
			metaStatus: seeded.metaStatus,
		}));
	}
	return number.templates;
}

/** A stored template as GET /v1/templates shows it (source follows its number's provider). */
function templateView(number, record) {
	const meta = number.provider === 'META';
	return {
		id: record.id,
		name: record.name,
		category: record.category,
		body: record.body,
		variables: [...record.variables],
		source: meta ? 'META' : 'PILOT_STATUS',
		metaStatus: meta ? record.metaStatus : null,
		metaLanguage: meta ? record.language : null,
		sendable: !meta || record.metaStatus === 'APPROVED',
		...(record.header ? { header: record.header } : {}),
		...(record.footer ? { footer: record.footer } : {}),
		...(record.buttons ? { buttons: record.buttons } : {}),
	};
}

/** The templates of `number` as GET /v1/templates shows them. */
function templatesOf(number) {
	return templateRecordsOf(number).map((record) => templateView(number, record));
}

/** A template of `number` by id or name; 404 TEMPLATE_NOT_FOUND otherwise. */
function findTemplate(number, reference) {
	const found = templatesOf(number).find(
		(template) => template.id === reference || template.name === reference,
	);
	if (!found) throw new ApiError(404, 'Template not found', 'TEMPLATE_NOT_FOUND');
	return found;
}

function renderTemplate(template, variables) {
	return template.body.replace(/\{\{(\w+)\}\}/g, (_, name) => String(variables[name] ?? ''));
}

module.exports = { templatesOf, templateRecordsOf, templateView, findTemplate, renderTemplate };
