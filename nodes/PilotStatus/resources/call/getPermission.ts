import { sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { callPhoneCountryField, callPhoneNumberField } from './fields';
import { permissionOutput } from './output';
import { contactPhoneOf } from './phone';
import { readCalls } from './requests';

export const getCallPermission: OperationDefinition = {
	option: {
		name: 'Get Permission',
		value: 'getPermission',
		action: 'Get permission to call a contact',
		description:
			'Whether the number may call a contact now (NO_PERMISSION, TEMPORARY, PERMANENT) and its limits',
	},
	toolDescription:
		'Check whether the sending number may place a WhatsApp call to a contact: the permission status (NO_PERMISSION, TEMPORARY or PERMANENT) with its expiry, whether a call or a permission request is allowed now, and Meta’s limits. Changes nothing and sends nothing. The phone number comes from this tool’s settings, not from you, unless the tool takes it as a parameter.',
	fields: [sendingNumberLocator, callPhoneNumberField, callPhoneCountryField],
};

export const getCallPermissionRun = perItem(async (context, itemIndex, read) => {
	const [numberId, phoneNumber] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		contactPhoneOf(read),
	);
	const call = { context, itemIndex, operation: 'getPermission', numberId };
	const answer = await readCalls(call, '/v1/calls/permissions', { to: phoneNumber });
	return [{ json: permissionOutput(answer, phoneNumber), pairedItem: { item: itemIndex } }];
});
