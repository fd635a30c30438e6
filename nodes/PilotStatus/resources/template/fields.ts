import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isPlainObject } from '../../output/normalize';

// Fields that several template operations list: declared once, so that n8n evaluates each once per
// item (see routing/operations.ts).

export const templateLocator: INodeProperties = {
	displayName: 'Template',
	name: 'templateRef',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A template of the number (the credential’s, or the Sending Number)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a template...',
			typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
		},
		{
			displayName: 'By ID or Name',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. tpl_01HZX9K3 or boas_vindas',
		},
	],
};

export const templateBodyField: INodeProperties = {
	displayName: 'Body',
	name: 'templateBody',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	placeholder: 'e.g. Olá {{nome}}, seu pedido {{pedido}} foi confirmado.',
	description:
		'The message, up to 1024 characters. Variables go in double braces ({{nome}}); it must not start or end with one.',
};

export const templateExamplesField: INodeProperties = {
	displayName: 'Examples',
	name: 'templateExamples',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Example' },
	default: {},
	placeholder: 'Add Example',
	description:
		'A sample value for every variable of the header, body and URL buttons. Pilot Status refuses a template without them (and Meta reviews them).',
	options: [
		{
			displayName: 'Example',
			name: 'example',
			values: [
				{
					displayName: 'Variable',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. nome',
				},
				{
					displayName: 'Sample Value',
					name: 'value',
					type: 'string',
					default: '',
					placeholder: 'e.g. Ana',
				},
			],
		},
	],
};

export const templateExtrasField: INodeProperties = {
	displayName: 'Header, Footer and Buttons',
	name: 'templateExtras',
	type: 'collection',
	placeholder: 'Add header, footer or buttons',
	default: {},
	options: [
		{
			displayName: 'Buttons',
			name: 'buttons',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Button' },
			default: {},
			description:
				'Up to 10: quick replies (up to 10), URL (up to 2), phone number (1) and copy code (1)',
			options: [
				{
					displayName: 'Button',
					name: 'button',
					values: [
						{
							displayName: 'Example Code',
							name: 'code',
							type: 'string',
							default: '',
							placeholder: 'e.g. CUPOM10',
							description: 'For Copy Code buttons:	a sample code, up to 15 letters or digits',
						},
						{
							displayName: 'Phone Number',
							name: 'phoneNumber',
							type: 'string',
							default: '',
							placeholder: 'e.g.	+5511999999999',
							description: 'For Phone Number buttons:	the number to call, with	+	and country code',
						},
						{
							displayName: 'Text',
							name: 'text',
							type: 'string',
							default: '',
							placeholder: 'e.g. Ver pedido',
							description: 'What the button says (not for Copy Code)',
						},
						{
							displayName: 'Type',
							name: 'type',
							type: 'options',
							options: [
								{
									name: 'Copy Code',
									value: 'COPY_CODE',
								},
								{
									name: 'Phone Number',
									value: 'PHONE_NUMBER',
								},
								{
									name: 'Quick Reply',
									value: 'QUICK_REPLY',
								},
								{
									name: 'URL',
									value: 'URL',
								},
							],
							default: 'QUICK_REPLY',
						},
						{
							displayName: 'URL',
							name: 'url',
							type: 'string',
							default: '',
							placeholder: 'e.g. https://example.com/pedido/{{pedido}}',
							description: 'For URL buttons:	the address, with at most one variable at its end',
						},
					],
				},
			],
		},
		{
			displayName: 'Footer',
			name: 'footer',
			type: 'string',
			default: '',
			description: 'A small line under the message, up to 60 characters, without variables',
		},
		{
			displayName: 'Header Binary Field',
			name: 'headerBinaryField',
			type: 'string',
			default: '',
			placeholder: 'e.g. data',
			description:
				'For an image, video or document header: the input item’s binary field that holds the file (JPG/PNG, MP4 or PDF). Sent as a data URI; Pilot Status stores it.',
		},
		{
			displayName: 'Header Media URL',
			name: 'headerMediaUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/banner.png',
			description: 'For an image, video or document header: a public address of the file',
		},
		{
			displayName: 'Header Text',
			name: 'headerText',
			type: 'string',
			default: '',
			description: 'For a text header: up to 60 characters on one line, at most one variable',
		},
		{
			displayName: 'Header Type',
			name: 'headerType',
			type: 'options',
			options: [
				{ name: 'Document (PDF)', value: 'DOCUMENT' },
				{ name: 'Image (JPG or PNG)', value: 'IMAGE' },
				{ name: 'Text', value: 'TEXT' },
				{ name: 'Video (MP4)', value: 'VIDEO' },
			],
			default: 'TEXT',
		},
	],
};

export const simplifyTemplateField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplifyTemplate',
	type: 'boolean',
	default: true,
	description:
		'Whether to return only the ID, name, category, language, approval status and whether it can be sent, instead of the text, variables and buttons too',
};

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/**
 * One template shape whatever the answer held: a list item, Get's answer, Create's short answer
 * completed by what was sent. `body` is the text; the structured parts stand beside it.
 */
export function templateOutput(raw: IDataObject): IDataObject {
	const content = isPlainObject(raw.body) ? raw.body : { body: raw.body };
	const metaStatus = text(raw.metaStatus);
	const variables = Array.isArray(raw.variables)
		? raw.variables
		: [...String(content.body ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]);
	return {
		id: text(raw.id),
		name: text(raw.name),
		category: text(raw.category),
		language: text(raw.metaLanguage) ?? text(raw.language),
		source: text(raw.source),
		metaStatus,
		sendable:
			typeof raw.sendable === 'boolean'
				? raw.sendable
				: metaStatus === null || metaStatus === 'APPROVED',
		body: text(content.body),
		variables,
		header: raw.header ?? content.header ?? null,
		footer: text(raw.footer) ?? text(content.footer),
		buttons: raw.buttons ?? content.buttons ?? [],
	};
}

export function simplifyTemplate(template: IDataObject): IDataObject {
	const { id, name, category, language, metaStatus, sendable } = template;
	return { id, name, category, language, metaStatus, sendable };
}
