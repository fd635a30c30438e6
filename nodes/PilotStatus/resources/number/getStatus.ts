import { numberLocator, toolNumberIdField } from '../../descriptions/fields';
import { numberPath } from '../../routing/hooks';
import { outputConnectionStatus } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';

export const getNumberStatus: OperationDefinition = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get status of a number',
		description:
			'Ask live whether a number is connected (OPEN), pairing (CONNECTING) or disconnected (CLOSED)',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [numberPath('/status')] },
			output: { postReceive: [outputConnectionStatus] },
		},
	},
	toolDescription: `Get the live connection state of one WhatsApp number: OPEN (connected), CONNECTING (pairing) or CLOSED. ${modelInputSentence(MODEL_INPUTS.numberId)}`,
	fields: [numberLocator, toolNumberIdField],
};
