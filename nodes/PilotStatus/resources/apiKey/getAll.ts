import { returnAllOrLimit, optionsCollection } from '../../descriptions/fields';
import { checkListLimit } from '../../routing/hooks';
import { outputApiKeys, splitList } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';

export const getManyApiKeys: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many API keys',
		description:
			'List the key of every number. Keys and key IDs are masked unless you reveal them.',
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
				'Whether to output full keys and key IDs instead of ps_…wxyz (a key ID works like the key). Anyone who can open this workflow’s executions can then read them. Not available when the node runs as an AI tool.',
			// The tool's output goes to the model provider; output.ts ignores the option there too.
			displayOptions: { hide: { '@tool': [true] } },
		}),
	],
};
