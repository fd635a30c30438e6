import {
	changesAccountNotice,
	includeQrCodeBase64Option,
	numberLocator,
	optionsCollection,
	qrCodeBinaryField,
	qrCodeLifetimeNotice,
} from '../../shared/descriptions';
import { changesAccount, numberPath } from '../../shared/hooks';
import { outputPairing, qrCodeToBinary } from '../../shared/output';
import type { OperationDefinition } from '../../shared/operations';

export const connectNumber: OperationDefinition = {
	option: {
		name: 'Connect',
		value: 'connect',
		action: 'Connect a number',
		description:
			'Start pairing a disconnected number and get a fresh QR code and pairing code (fails if it is already connected)',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [changesAccount, numberPath('/connect')] },
			output: { postReceive: [outputPairing, qrCodeToBinary] },
		},
	},
	fields: [
		qrCodeLifetimeNotice,
		changesAccountNotice,
		numberLocator,
		qrCodeBinaryField,
		optionsCollection(includeQrCodeBase64Option),
	],
};
