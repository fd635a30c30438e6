import type { OperationDefinition } from '../../routing/operations';
import { quantityField } from './fields';
import { outputExtraNumbersCost, quantityInQuery } from './requests';

export const getExtraNumbersCost: OperationDefinition = {
	option: {
		name: 'Get Extra Numbers Cost',
		value: 'getExtraNumbers',
		action: 'Get extra numbers cost',
		description:
			'What buying extra numbers would cost per month, and whether it moves a Free account to On Demand. Charges nothing.',
		routing: {
			request: { method: 'GET', url: '/v1/subscription/extra-numbers' },
			send: { preSend: [quantityInQuery] },
			output: { postReceive: [outputExtraNumbersCost] },
		},
	},
	toolDescription:
		'Preview what buying extra WhatsApp numbers would cost: price per number and monthly total in BRL, how many numbers would be billed, whether a Free account would move to the On Demand plan, and whether a card is saved. Charges nothing and changes nothing. The quantity comes from this tool’s settings, not from you, unless the tool takes it as a parameter. Needs the tenant key.',
	fields: [quantityField],
};
