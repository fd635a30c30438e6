import { apiBaseUrlOption, pairingLinkField, optionsCollection } from '../../shared/descriptions';
import { outputConnectionStatus, pairingTokenPath } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const getPairingStatus: OperationDefinition = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the status of a pairing link',
		description: 'Ask whether the number behind a pairing link has connected (OPEN)',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [pairingTokenPath('/status')] },
			output: { postReceive: [outputConnectionStatus] },
		},
	},
	fields: [pairingLinkField, optionsCollection(apiBaseUrlOption)],
};
