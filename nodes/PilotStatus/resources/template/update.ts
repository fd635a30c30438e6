import type { INodeProperties } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { settingsSentence } from '../../descriptions/tool';
import { changesAccount, withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import {
	templateBodyField,
	templateExamplesField,
	templateExtrasField,
	templateLocator,
} from './fields';
import { outputChangedTemplate, templateChangesInBody, templatePath } from './requests';

const updateNotice: INodeProperties = {
	displayName:
		'Replaces the template’s text, header, footer and buttons with these. On Meta numbers it goes back to Meta for review (PENDING).',
	name: 'updateTemplateNotice',
	type: 'notice',
	default: '',
};

export const updateTemplate: OperationDefinition = {
	option: {
		name: 'Update',
		value: 'update',
		action: 'Update a template',
		description:
			'Replace a template’s text, header, footer and buttons; its name and category stay',
		routing: {
			request: { method: 'PUT' },
			send: { preSend: [changesAccount, withSendingNumber, templatePath, templateChangesInBody] },
			output: { postReceive: [outputChangedTemplate] },
		},
	},
	toolDescription: `Replace the text, header, footer and buttons of a WhatsApp message template of the number (name and category stay). On Meta numbers the template goes back to Meta for review and cannot be sent until approved again. ${settingsSentence('The number, the template and its new content')}`,
	fields: [
		updateNotice,
		sendingNumberLocator,
		templateLocator,
		templateBodyField,
		templateExamplesField,
		templateExtrasField,
	],
};
