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
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';

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
	toolDescription: `Get whether the number behind a remote pairing link is connected (OPEN). ${modelInputSentence(MODEL_INPUTS.pairingLink)}`,
	fields: [
		noCredentialNotice,
		pairingLinkField,
		toolPairingLinkField,
		optionsCollection(apiBaseUrlOption),
	],
};
