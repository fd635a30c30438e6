import { numberLocator, toolNumberIdField } from '../../shared/descriptions';
import { numberPath } from '../../shared/hooks';
import { outputConnectionStatus } from '../../shared/output';
import type { OperationDefinition } from '../../shared/operations';
import { MODEL_INPUTS, modelInputSentence } from '../../shared/tool';

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
