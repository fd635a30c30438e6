import { numberLocator, toolNumberIdField } from '../../descriptions/fields';
import { changesAccount, numberPath } from '../../routing/hooks';
import { outputDeleted } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';

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
		numberLocator,
		toolNumberIdField,
	],
};
