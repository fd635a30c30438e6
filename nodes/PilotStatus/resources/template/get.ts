import { sendingNumberLocator } from '../../descriptions/fields';
import { withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { simplifyTemplateField, templateLocator } from './fields';
import { outputTemplate, templatePath } from './requests';

export const getTemplate: OperationDefinition = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a template',
		description: 'Get one template by ID or name: its text, variables, buttons and approval status',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [withSendingNumber, templatePath] },
			output: { postReceive: [outputTemplate] },
		},
	},
	fields: [sendingNumberLocator, templateLocator, simplifyTemplateField],
};
