import {
	numberLocator,
	toolNumberIdField,
	optionsCollection,
	simplifyField,
} from '../../descriptions/fields';
import { numberPath } from '../../routing/hooks';
import { outputNumber } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';

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
		toolNumberIdField,
		simplifyField,
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
