import { numberLocator } from '../../shared/descriptions';
import { numberIdInBody } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const regenerateApiKey: OperationDefinition = {
	option: {
		name: 'Regenerate',
		value: 'regenerate',
		action: 'Regenerate the API key of a number',
		description:
			'Replace a number’s key; the old key stops working at once and the new one is shown once',
		routing: {
			request: { method: 'POST', url: '/v1/api-keys' },
			send: { preSend: [numberIdInBody] },
		},
	},
	fields: [
		{
			displayName:
				'The number’s current key stops working immediately. The new key appears in this node’s output only once: pass it to the next node to store it.',
			name: 'regenerateNotice',
			type: 'notice',
			default: '',
		},
		numberLocator,
	],
};
