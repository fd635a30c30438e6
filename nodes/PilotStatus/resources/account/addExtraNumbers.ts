import type { INodeProperties } from 'n8n-workflow';

import { changesAccount } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { quantityField } from './fields';
import { confirmedPurchaseInBody, outputExtraNumbersAdded } from './requests';

const confirmChargeField: INodeProperties = {
	displayName: 'Confirm Charge',
	name: 'confirmCharge',
	type: 'boolean',
	default: false,
	required: true,
	description:
		'Whether you agree to be charged: with a saved card Pilot Status charges it at once; on the Free plan the free number becomes paid too (Get Extra Numbers Cost shows the price). Nothing is sent while this is off.',
};

export const addExtraNumbers: OperationDefinition = {
	option: {
		name: 'Add Extra Numbers',
		value: 'addExtraNumbers',
		action: 'Add extra numbers',
		description:
			'Buy extra number slots: charges the saved card, or returns a payment link. Costs money.',
		routing: {
			request: { method: 'POST', url: '/v1/subscription/extra-numbers' },
			send: { preSend: [changesAccount, confirmedPurchaseInBody] },
			output: { postReceive: [outputExtraNumbersAdded] },
		},
	},
	toolDescription:
		'COSTS REAL MONEY: buy extra WhatsApp number slots for the account. With a saved card it is charged at once (monthly, per number); otherwise the answer is a checkoutUrl to pay. On the Free plan it also makes the free number paid. Every call buys again. Only call this when the user explicitly asked to buy numbers and agreed to the price (Get Extra Numbers Cost tells it). The quantity and the confirmation come from this tool’s settings, not from you. Needs the tenant key.',
	fields: [quantityField, confirmChargeField],
};
