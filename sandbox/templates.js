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

/** The templates of `number` as GET /v1/templates shows them (source follows its provider). */
function templatesOf(number) {
	const meta = number.provider === 'META';
	return SEEDED_TEMPLATES.map((seeded) => ({
		id: templateId(number, seeded),
		name: seeded.name,
		category: seeded.category,
		body: seeded.body,
		variables: [...seeded.variables],
		source: meta ? 'META' : 'PILOT_STATUS',
		metaStatus: meta ? seeded.metaStatus : null,
		metaLanguage: meta ? 'pt_BR' : null,
		sendable: !meta || seeded.metaStatus === 'APPROVED',
	}));
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

module.exports = { templatesOf, findTemplate, renderTemplate };
