import { returnAllOrLimit, optionsCollection } from '../../shared/descriptions';
import { checkListLimit, outputApiKeys, splitList } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const getManyApiKeys: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many API keys',
		description: 'List the key of every number. Key values are masked unless you reveal them.',
		routing: {
			request: { method: 'GET', url: '/v1/api-keys' },
			send: { preSend: [checkListLimit] },
			output: { postReceive: [splitList, outputApiKeys] },
		},
	},
	fields: [
		...returnAllOrLimit,
		optionsCollection({
			displayName: 'Reveal Keys',
			name: 'revealKeys',
			type: 'boolean',
			default: false,
			description:
				'Whether to output full key values instead of ps_…wxyz. Anyone who can open this workflow’s executions can then read them.',
		}),
	],
};
