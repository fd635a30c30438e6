import type { ParameterReader } from '../../input/parameters';
import { DEFAULT_PHONE_COUNTRY, toE164PhoneNumber } from '../../input/phoneNumber';
import { checkPhoneNumber } from '../../input/validation';
import type { Checked } from '../../input/validation';

/** The contact's phone as E.164, a local number read in Country for Local Numbers. */
export function contactPhoneOf(read: ParameterReader): Checked<string> {
	const typed = read('callPhoneNumber', '');
	const cleaned = checkPhoneNumber(typed, 'Phone Number');
	if (cleaned.problem !== undefined) return cleaned;
	const country = String(read('callPhoneCountry', DEFAULT_PHONE_COUNTRY));
	return toE164PhoneNumber(cleaned.value, String(typed), 'Phone Number', country);
}
