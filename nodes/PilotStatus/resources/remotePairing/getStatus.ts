import {
	apiBaseUrlOption,
	noCredentialNotice,
	optionsCollection,
	pairingLinkField,
} from '../../shared/descriptions';
import { pairingTokenPath } from '../../shared/hooks';
import { outputConnectionStatus } from '../../shared/output';
import type { OperationDefinition } from '../../shared/operations';

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
	toolDescription:
		'Get whether the number behind a remote pairing link is connected (OPEN). Input: the link or its token.',
	fields: [noCredentialNotice, pairingLinkField, optionsCollection(apiBaseUrlOption)],
};
