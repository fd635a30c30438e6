import type { INodeProperties } from 'n8n-workflow';

import { LOCAL_NUMBER_HINT, localNumberCountryField } from '../../input/phoneNumber';

// Fields that several call operations list: declared once, so that n8n evaluates each once per
// item (see routing/operations.ts).

export const callPhoneNumberField: INodeProperties = {
	displayName: 'Phone Number',
	name: 'callPhoneNumber',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +5511999999999',
	description: 'The contact’s WhatsApp number, with country and area code',
	hint: LOCAL_NUMBER_HINT,
};

export const callPhoneCountryField = localNumberCountryField('callPhoneCountry');
