import {
	apiBaseUrlOption,
	includeQrCodeBase64Option,
	noCredentialNotice,
	optionsCollection,
	pairingLinkField,
	qrCodeBinaryField,
	toolPairingLinkField,
} from '../../descriptions/fields';
import { changesAccount, pairingTokenPath } from '../../routing/hooks';
import { outputPairing, qrCodeToBinary } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';

export const connectWithToken: OperationDefinition = {
	option: {
		name: 'Connect',
		value: 'connect',
		action: 'Connect by pairing link',
		description:
			'Start pairing the number behind a link and get its QR code and pairing code (fails if it is already connected)',
		routing: {
			request: { method: 'POST' },
			send: { preSend: [changesAccount, pairingTokenPath('/connect')] },
			output: { postReceive: [outputPairing, qrCodeToBinary] },
		},
	},
	toolDescription: `Start pairing the number behind a remote pairing link and get its pairing code (a chat cannot show the QR image). ${modelInputSentence(MODEL_INPUTS.pairingLink)}`,
	fields: [
		noCredentialNotice,
		pairingLinkField,
		toolPairingLinkField,
		qrCodeBinaryField,
		optionsCollection(apiBaseUrlOption, includeQrCodeBase64Option),
	],
};
