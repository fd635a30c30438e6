import { apiBaseUrlOption, pairingLinkField, optionsCollection } from '../../shared/descriptions';
import { outputPairingInfo, pairingTokenPath } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const getPairingInfo: OperationDefinition = {
	option: {
		name: 'Get Info',
		value: 'getInfo',
		action: 'Get remote pairing info',
		description: 'Check that a pairing link is still valid and see its number and state',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [pairingTokenPath()] },
			output: { postReceive: [outputPairingInfo] },
		},
	},
	fields: [pairingLinkField, optionsCollection(apiBaseUrlOption)],
};
