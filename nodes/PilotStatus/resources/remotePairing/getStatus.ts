import {
	apiBaseUrlOption,
	noCredentialNotice,
	optionsCollection,
	pairingLinkField,
	toolPairingLinkField,
} from '../../descriptions/fields';
import { pairingTokenPath } from '../../routing/hooks';
import { outputConnectionStatus } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';

export const getPairingStatus: OperationDefinition = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get status of a pairing link',
		description: 'Ask whether the number behind a pairing link has connected (OPEN)',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [pairingTokenPath('/status')] },
			output: { postReceive: [outputConnectionStatus] },
		},
	},
	fields: [
		noCredentialNotice,
		pairingLinkField,
		toolPairingLinkField,
		optionsCollection(apiBaseUrlOption),
	],
};
