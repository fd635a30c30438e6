import {
	apiBaseUrlOption,
	noCredentialNotice,
	optionsCollection,
	pairingLinkField,
	toolPairingLinkField,
} from '../../descriptions/fields';
import { pairingTokenPath } from '../../routing/hooks';
import { outputPairingInfo } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';

export const getPairingInfo: OperationDefinition = {
	option: {
		name: 'Get Info',
		value: 'getInfo',
		action: 'Get info of a pairing link',
		description: 'Check that a pairing link is still valid and see its number and state',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [pairingTokenPath()] },
			output: { postReceive: [outputPairingInfo] },
		},
	},
	fields: [
		noCredentialNotice,
		pairingLinkField,
		toolPairingLinkField,
		optionsCollection(apiBaseUrlOption),
	],
};
