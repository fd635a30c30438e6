import { numberLocator, optionsCollection } from '../../shared/descriptions';
import { numberPath, outputNumber } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const getNumber: OperationDefinition = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a number',
		description: 'Get one number with its connection state and health',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [numberPath()] },
			output: { postReceive: [outputNumber] },
		},
	},
	fields: [
		numberLocator,
		optionsCollection({
			displayName: 'Refresh Meta Details',
			name: 'refresh',
			type: 'boolean',
			default: false,
			description:
				'Whether to fetch live details from Meta instead of the cached copy (Meta Cloud API numbers only)',
			routing: {
				send: { type: 'query', property: 'refresh', value: '={{ $value ? "1" : undefined }}' },
			},
		}),
	],
};
