import type { INodeProperties } from 'n8n-workflow';

import {
	changesAccountNotice,
	includeQrCodeBase64Option,
	linkToApiKeyOption,
	optionsCollection,
	pinWhileBuildingNotice,
	qrCodeBinaryField,
	qrCodeLifetimeNotice,
} from '../../descriptions/fields';
import { changesAccount, newNumberInBody } from '../../routing/hooks';
import { outputCreatedNumber, qrCodeToBinary } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';
import { settingsSentence } from '../../descriptions/tool';

export const newNumberFields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Support',
		description: 'How the number is labelled in Pilot Status',
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +55 11 99999-9999',
		description: 'With country and area code. Spaces, dashes and parentheses are removed.',
	},
];

export const createNumber: OperationDefinition = {
	option: {
		name: 'Create',
		value: 'create',
		action: 'Create a number',
		description: 'Add a WhatsApp number and get the QR code the customer scans to pair it',
		routing: {
			request: { method: 'POST', url: '/v1/numbers' },
			send: { preSend: [changesAccount, newNumberInBody] },
			output: { postReceive: [outputCreatedNumber, qrCodeToBinary] },
		},
	},
	toolDescription: `Create (provision) a new WhatsApp number in the Pilot Status account and get its pairing code; this adds a number every time it runs. ${settingsSentence('Its name and phone number')} A chat cannot show the QR image; for a customer who is not present, prefer Create Remote Pairing Link.`,
	fields: [
		qrCodeLifetimeNotice,
		pinWhileBuildingNotice,
		changesAccountNotice,
		...newNumberFields,
		qrCodeBinaryField,
		optionsCollection(includeQrCodeBase64Option, linkToApiKeyOption),
	],
};
