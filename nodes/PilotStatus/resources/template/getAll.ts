import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
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
	fields: [sendingNumberLocator, ...returnAllOrLimit, simplifyTemplateField],
};
