import { numberLocator } from '../../shared/descriptions';
import { numberPath, outputDeleted } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const deleteNumber: OperationDefinition = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a number',
		description: 'Remove a number for good, with its key and provider resources',
		routing: {
			request: { method: 'DELETE' },
			send: { preSend: [numberPath()] },
			output: { postReceive: [outputDeleted] },
		},
	},
	fields: [numberLocator],
};
