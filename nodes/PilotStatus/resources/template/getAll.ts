import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import { settingsSentence } from '../../descriptions/tool';
import { checkListLimit, withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { simplifyTemplateField } from './fields';
import { outputTemplates } from './requests';

export const getManyTemplates: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many templates',
		description:
			'List the number’s message templates, with their approval status and whether they can be sent',
		routing: {
			request: { method: 'GET', url: '/v1/templates' },
			send: { preSend: [withSendingNumber, checkListLimit] },
			output: { postReceive: [outputTemplates] },
		},
	},
	toolDescription: `List the WhatsApp message templates of the number, with their IDs, names, categories, languages, Meta approval status and whether Message → Send can use them (sendable). Changes nothing. ${settingsSentence('The number')}`,
	fields: [sendingNumberLocator, ...returnAllOrLimit, simplifyTemplateField],
};
