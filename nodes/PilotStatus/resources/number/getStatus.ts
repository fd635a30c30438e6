import { numberLocator, toolNumberIdField } from '../../descriptions/fields';
import { numberPath } from '../../routing/hooks';
import { outputConnectionStatus } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';

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
	fields: [numberLocator, toolNumberIdField],
};
