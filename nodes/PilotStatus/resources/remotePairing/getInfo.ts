import {
	apiBaseUrlOption,
	noCredentialNotice,
	optionsCollection,
	pairingLinkField,
} from '../../shared/descriptions';
import { pairingTokenPath } from '../../shared/hooks';
import { outputPairingInfo } from '../../shared/output';
import type { OperationDefinition } from '../../shared/operations';

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
	toolDescription:
		"Check whether a remote pairing link is still valid, with its number's name, phone number and state. Input: the link or its token.",
	fields: [noCredentialNotice, pairingLinkField, optionsCollection(apiBaseUrlOption)],
};
