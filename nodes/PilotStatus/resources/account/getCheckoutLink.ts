import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { checkoutInBody, outputCheckoutLink } from './requests';

const purposeField: INodeProperties = {
	displayName: 'Purpose',
	name: 'checkoutPurpose',
	type: 'options',
	options: [
		{
			name: 'Add Card',
			value: 'add_card',
			description: 'A page to save a card, which later purchases are charged to',
		},
		{
			name: 'Top Up Wallet',
			value: 'wallet_topup',
			description: 'A page to pay an amount into the pre-paid wallet',
		},
	],
	default: 'wallet_topup',
};

const amountField: INodeProperties = {
	displayName: 'Amount',
	name: 'checkoutAmount',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description: 'How much to pay into the wallet, in the account’s currency',
	displayOptions: { show: { checkoutPurpose: ['wallet_topup'] } },
};

const checkoutOptions: INodeProperties = {
	...optionsCollection(
		{
			displayName: 'Cancel URL',
			name: 'cancelUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/billing',
			description: 'Where the page sends the payer who cancels (https)',
		},
		{
			displayName: 'Success URL',
			name: 'successUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/billing/ok',
			description: 'Where the page sends the payer after paying (https)',
		},
	),
	name: 'checkoutOptions',
};

export const getCheckoutLink: OperationDefinition = {
	option: {
		name: 'Get Checkout Link',
		value: 'getCheckoutLink',
		action: 'Get checkout link',
		description:
			'A Stripe payment page to top up the wallet or save a card. Nothing is charged until someone pays there.',
		routing: {
			request: { method: 'POST', url: '/v1/billing/checkout' },
			send: { preSend: [checkoutInBody] },
			output: { postReceive: [outputCheckoutLink] },
		},
	},
	toolDescription:
		'Create a Stripe payment page for the account and return its checkoutUrl: to top up the pre-paid wallet with an amount, or to save a card. Nothing is charged until a person opens the link and pays; give the link to the user. The purpose and amount come from this tool’s settings, not from you, unless the tool takes them as parameters. Needs the tenant key.',
	fields: [purposeField, amountField, checkoutOptions],
};
