import {
	apiBaseUrlOption,
	includeQrCodeBase64Option,
	pairingLinkField,
	qrCodeBinaryField,
	optionsCollection,
} from '../../shared/descriptions';
import { outputPairing, pairingTokenPath, qrCodeToBinary } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const connectWithToken: OperationDefinition = {
	option: {
		name: 'Connect',
		value: 'connect',
		action: 'Get the QR code of a pairing link',
		description:
			'Start pairing the number behind a link and get its QR code and pairing code (fails if it is already connected)',
		routing: {
			request: { method: 'POST' },
			send: { preSend: [pairingTokenPath('/connect')] },
			output: { postReceive: [outputPairing, qrCodeToBinary] },
		},
	},
	fields: [
		pairingLinkField,
		qrCodeBinaryField,
		optionsCollection(apiBaseUrlOption, includeQrCodeBase64Option),
	],
};
