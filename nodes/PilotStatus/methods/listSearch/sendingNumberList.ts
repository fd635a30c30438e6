import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { inputError, listInAnswer, unreadableResponseError } from '../../errors/nodeErrors';
import type { FailureContext } from '../../errors/nodeErrors';
import { sendingNumberHeaders, sendingNumberOf } from '../../messaging/sendingNumber';
import { pilotStatusRequest } from '../../transport/request';

/**
 * A field of the form as the editor sends it while the user edits: a resource locator's value is
 * read off it as it is (an expression stays its text).
 */
export function formReader(context: ILoadOptionsFunctions) {
	return Object.assign(
		(name: string, fallback?: unknown) => {
			const value = context.getCurrentNodeParameter(name) ?? fallback;
			return value && typeof value === 'object' && 'value' in value
				? (value as { value: unknown }).value
				: value;
		},
		{ asTool: false },
	);
}

/**
 * The list a number-scoped endpoint gives for the form's Sending Number (sent as
 * x-whatsapp-number-id, none with a number's own key), for the pickers of its templates and groups.
 */
export async function sendingNumberList(
	context: ILoadOptionsFunctions,
	path: string,
	failure: Omit<FailureContext, 'sendingNumber'>,
): Promise<IDataObject[]> {
	const numberId = sendingNumberOf(formReader(context));
	if (numberId.problem !== undefined) throw inputError(context.getNode(), [numberId.problem]);
	const failed = { ...failure, sendingNumber: numberId.value };
	const { body } = await pilotStatusRequest.call(context, {
		method: 'GET',
		path,
		headers: sendingNumberHeaders(numberId.value),
		failure: failed,
	});
	const list = listInAnswer(body);
	if (!list) throw unreadableResponseError(context.getNode(), body, failed);
	return list;
}
