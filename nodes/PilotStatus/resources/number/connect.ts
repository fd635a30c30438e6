import {
	includeQrCodeBase64Option,
	numberLocator,
	toolNumberIdField,
	optionsCollection,
	qrCodeBinaryField,
	qrCodeLifetimeNotice,
} from '../../descriptions/fields';
import { changesAccount, numberPath } from '../../routing/hooks';
import { outputPairing, qrCodeToBinary } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';

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
	toolDescription: `Start pairing a disconnected WhatsApp number again and get a fresh pairing code (a chat cannot show the QR image). ${modelInputSentence(MODEL_INPUTS.numberId)} Fails with 409 when the number is already connected.`,
	fields: [
		qrCodeLifetimeNotice,
		numberLocator,
		toolNumberIdField,
		qrCodeBinaryField,
		optionsCollection(includeQrCodeBase64Option),
	],
};
