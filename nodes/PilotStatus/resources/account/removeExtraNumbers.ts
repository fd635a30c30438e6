import type { INodeProperties } from 'n8n-workflow';

import { changesAccount } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { quantityField } from './fields';
import { outputExtraNumbersRemoved, quantityInBody } from './requests';

const removeNotice: INodeProperties = {
	displayName:
		'Gives back paid number slots: no refund for the current billing cycle. Pilot Status refuses if fewer slots than connected numbers would remain.',
	name: 'removeExtraNumbersNotice',
	type: 'notice',
	default: '',
};

export const removeExtraNumbers: OperationDefinition = {
	option: {
		name: 'Remove Extra Numbers',
		value: 'removeExtraNumbers',
		action: 'Remove extra numbers',
		description: 'Give back paid extra number slots; billing stops from the next cycle',
		routing: {
			request: { method: 'DELETE', url: '/v1/subscription/extra-numbers' },
			send: { preSend: [changesAccount, quantityInBody] },
			output: { postReceive: [outputExtraNumbersRemoved] },
		},
	},
	toolDescription:
		'Give back paid extra WhatsApp number slots of the account: they stop being billed from the next cycle (no refund for the current one), and the account can then hold fewer numbers. Refused while more numbers are connected than would remain. Only call this when the user explicitly asked. The quantity comes from this tool’s settings, not from you, unless the tool takes it as a parameter. Needs the tenant key.',
	fields: [removeNotice, quantityField],
};
