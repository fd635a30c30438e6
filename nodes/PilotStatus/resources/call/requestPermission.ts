import type { INodeProperties } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { checkText } from '../../input/validation';
import type { Checked } from '../../input/validation';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { callPhoneCountryField, callPhoneNumberField } from './fields';
import { contactPhoneOf } from './phone';
import { changeCalls } from './requests';

const reasonField: INodeProperties = {
	displayName: 'Reason',
	name: 'callPermissionText',
	type: 'string',
	default: '',
	placeholder: 'e.g. Podemos te ligar para finalizar seu pedido?',
	description: 'Optional text the contact reads above the Allow / Decline buttons',
};

export const requestCallPermission: OperationDefinition = {
	option: {
		name: 'Request Permission',
		value: 'requestPermission',
		action: 'Request permission to call a contact',
		description:
			'Send the contact WhatsApp’s “may we call you?” message; Call → Get Permission shows the answer',
	},
	toolDescription:
		'Send a real WhatsApp message to a contact asking whether the sending number may call them (Allow / Decline). Works only within 24 hours of the contact’s last message; Meta limits how often a contact can be asked, and every call sends another request. The answer shows in Call → Get Permission later (and reaches a Pilot Status Trigger with All Events as call.permission_updated). The phone number and reason come from this tool’s settings, not from you, unless the tool takes them as parameters.',
	fields: [sendingNumberLocator, callPhoneNumberField, callPhoneCountryField, reasonField],
};

function reasonOf(value: unknown): Checked<string | undefined> {
	if (value === undefined || value === null || String(value).trim() === '')
		return { value: undefined };
	return checkText(value, 'Reason', 1024);
}

export const requestCallPermissionRun = perItem(async (context, itemIndex, read) => {
	const [numberId, phoneNumber, reason] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		contactPhoneOf(read),
		reasonOf(read('callPermissionText', '')),
	);
	const call = { context, itemIndex, operation: 'requestPermission', numberId };
	const body = reason === undefined ? { to: phoneNumber } : { to: phoneNumber, text: reason };
	return await changeCalls(call, 'POST', '/v1/calls/permissions/request', body, (answer) => ({
		phoneNumber,
		requested: true,
		messageId: typeof answer.messageId === 'string' ? answer.messageId : null,
		note: 'Call → Get Permission shows the contact’s answer once given; a Pilot Status Trigger with All Events also receives it as call.permission_updated.',
	}));
});
