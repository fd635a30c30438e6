import type { OperationDefinition } from '../../routing/operations';
import { outputBranding } from './requests';

export const getBranding: OperationDefinition = {
	option: {
		name: 'Get Branding',
		value: 'getBranding',
		action: 'Get branding',
		description:
			'Get what the hosted pairing page shows: company name, logo, colors, links. Needs the tenant key.',
		routing: {
			request: { method: 'GET', url: '/v1/branding' },
			output: { postReceive: [outputBranding] },
		},
	},
};
