import {
	includeQrCodeBase64Option,
	numberLocator,
	qrCodeBinaryField,
	optionsCollection,
} from '../../shared/descriptions';
import { numberPath, outputPairing, qrCodeToBinary } from '../../shared/hooks';
import type { OperationDefinition } from '../../shared/operations';

export const connectNumber: OperationDefinition = {
	option: {
		name: 'Connect',
		value: 'connect',
		action: 'Get a new QR code for a number',
		description:
			'Start pairing a disconnected number and get a fresh QR code and pairing code (fails if it is already connected)',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [numberPath('/connect')] },
			output: { postReceive: [outputPairing, qrCodeToBinary] },
		},
	},
	fields: [numberLocator, qrCodeBinaryField, optionsCollection(includeQrCodeBase64Option)],
};
