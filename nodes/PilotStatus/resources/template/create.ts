import type { INodeProperties } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { settingsSentence } from '../../descriptions/tool';
import { changesAccount, withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { templateBodyField, templateExamplesField, templateExtrasField } from './fields';
import { newTemplateInBody, outputChangedTemplate } from './requests';

const nameField: INodeProperties = {
	displayName: 'Name',
	name: 'templateName',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. confirmacao_pedido',
	description:
		'Letters and numbers; Pilot Status turns spaces and other separators into _. Unique on the number.',
};

const categoryField: INodeProperties = {
	displayName: 'Category',
	name: 'templateCategory',
	type: 'options',
	options: [
		{
			name: 'Marketing',
			value: 'MARKETING',
			description: 'Offers, news, invitations',
		},
		{
			name: 'One-Time Password',
			value: 'OTP',
			description: 'Verification codes',
		},
		{
			name: 'Utility',
			value: 'UTILITY',
			description: 'About something the contact did: an order, a booking, an account',
		},
	],
	default: 'UTILITY',
	description: 'Fixed once the template exists. Meta charges by category.',
};

const languageField: INodeProperties = {
	displayName: 'Language',
	name: 'templateLanguage',
	type: 'string',
	default: 'pt_BR',
	required: true,
	placeholder: 'e.g. pt_BR',
	description: 'The language code WhatsApp uses, e.g. pt_BR, en_US, es',
};

export const createTemplate: OperationDefinition = {
	option: {
		name: 'Create',
		value: 'create',
		action: 'Create a template',
		description:
			'Create a message template; on Meta numbers it goes to Meta for approval (PENDING) before it can be sent',
		routing: {
			request: { method: 'POST', url: '/v1/templates' },
			send: { preSend: [changesAccount, withSendingNumber, newTemplateInBody] },
			output: { postReceive: [outputChangedTemplate] },
		},
	},
	toolDescription: `Create a WhatsApp message template on the number. On Meta numbers it is submitted to Meta for review and cannot be sent until approved; every call creates another template, so call it once per template. ${settingsSentence('The number, name, category, language, text and examples')}`,
	fields: [
		sendingNumberLocator,
		nameField,
		categoryField,
		languageField,
		templateBodyField,
		templateExamplesField,
		templateExtrasField,
	],
};
