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
