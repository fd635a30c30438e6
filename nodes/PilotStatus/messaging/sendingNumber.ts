import type { ParameterReader } from '../input/parameters';
import { checkId, looksLikePhoneNumber, quote } from '../input/validation';
import type { Checked } from '../input/validation';

// Which key sends. A number-scoped key names its own number, and the service ignores the header
// then. The tenant key names no number: newer Pilot Status material (Python SDK 1.14, the
// check-number page) lets it call a number's endpoints with the number in this header, older pages
// answer 403 TENANT_SCOPE_NOT_ALLOWED. The node sends the header only when the user picked a number.

export const NUMBER_HEADER = 'x-whatsapp-number-id';

export const SENDING_NUMBER_FIELD = 'Sending Number';

/** The Sending Number field: undefined when left empty (the credential's key names the number). */
export function sendingNumberOf(read: ParameterReader): Checked<string | undefined> {
	const value = read('sendingNumberId', '', { extractValue: true });
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
		return { value: undefined };
	// checkId lets digits through (an ID may be all digits); a number's ID never looks like its phone.
	if (looksLikePhoneNumber(value)) {
		return {
			problem: `${SENDING_NUMBER_FIELD} ${quote(value)} looks like a phone number, not the number's ID. Pick it From List, or map the id from Number → Get Many (like num_01HZX9K3).`,
		};
	}
	return checkId(value, SENDING_NUMBER_FIELD);
}

/** The header naming the sending number, or none. */
export function sendingNumberHeaders(numberId: string | undefined): Record<string, string> {
	return numberId === undefined ? {} : { [NUMBER_HEADER]: numberId };
}
