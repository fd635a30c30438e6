import type { INodeProperties } from 'n8n-workflow';

import {
	createNumberNotice,
	includeQrCodeBase64Option,
	linkToApiKeyOption,
	optionsCollection,
	qrCodeBinaryField,
} from '../../descriptions/fields';
import { changesAccount, newNumberInBody } from '../../routing/hooks';
import { outputCreatedNumber, qrCodeToBinary } from '../../routing/postReceive';
import { LOCAL_NUMBER_HINT, localNumberCountryField } from '../../input/phoneNumber';
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
		placeholder: 'e.g. 11 99999-9999 or +55 11 99999-9999',
		description:
			'The WhatsApp number to provision. Spaces, dashes and parentheses are removed; it is sent in international form (E.164), as the output’s number field shows.',
		hint: `${LOCAL_NUMBER_HINT} Type + and the country code for another country.`,
	},
	localNumberCountryField('phoneCountry'),
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
		createNumberNotice,
		...newNumberFields,
		qrCodeBinaryField,
		optionsCollection(includeQrCodeBase64Option, linkToApiKeyOption),
	],
};
