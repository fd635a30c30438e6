import { changesAccountNotice, numberLocator, toolNumberIdField } from '../../shared/descriptions';
import { changesAccount, numberPath } from '../../shared/hooks';
import { outputDeleted } from '../../shared/output';
import type { OperationDefinition } from '../../shared/operations';
import { MODEL_INPUTS, modelInputSentence } from '../../shared/tool';

export const deleteNumber: OperationDefinition = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a number',
		description: 'Remove a number for good, with its key and provider resources',
		routing: {
			request: { method: 'DELETE' },
			send: { preSend: [changesAccount, numberPath()] },
			output: { postReceive: [outputDeleted] },
		},
	},
	toolDescription: `PERMANENTLY delete a WhatsApp number with its session, API key and webhooks; it cannot be undone. ${modelInputSentence(MODEL_INPUTS.numberId)} Use only when the user explicitly asked to delete this number.`,
	fields: [
		{
			displayName:
				'Deleting a number is permanent: its WhatsApp session, its API key and its webhooks go with it, and it cannot be brought back.',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		changesAccountNotice,
		numberLocator,
		toolNumberIdField,
	],
};
