import type { ParameterReader } from '../../input/parameters';
import { DEFAULT_PHONE_COUNTRY, toE164PhoneNumber } from '../../input/phoneNumber';
import { checkPhoneNumber, checkText, holdsKey, quote } from '../../input/validation';
import type { Checked } from '../../input/validation';
import { GROUP_ID } from './fields';

/** The Group field (From List or By ID), checked: a WhatsApp group ID ending with @g.us. */
export function groupIdOf(read: ParameterReader): Checked<string> {
	const raw = read('group', '', { extractValue: true });
	const id = typeof raw === 'string' ? raw.trim() : '';
	if (id === '') return { problem: 'Group is empty. Pick it From List, or enter its ID (…@g.us).' };
	if (holdsKey(id))
		return { problem: 'Group holds what looks like an API key; the value is not repeated here.' };
	if (!GROUP_ID.test(id))
		return {
			problem: `Group ${quote(id)} is not a WhatsApp group ID. It ends with @g.us, e.g. 120363012345678901@g.us; pick it From List.`,
		};
	return { value: id };
}

export function subjectOf(read: ParameterReader): Checked<string> {
	const subject = checkText(read('groupSubject', ''), 'Subject');
	if (subject.problem !== undefined && subject.problem.includes('is empty'))
		return { problem: 'Subject is empty. Enter the group’s name, e.g. Clientes VIP.' };
	return subject;
}

/** WhatsApp's largest group. */
const MAX_PARTICIPANTS = 1024;

/**
 * Participants as the documented E.164 digits (no +), each checked and read in Country for Local
 * Numbers when typed without +. `required` for the participant changes; Create may start empty.
 */
export function participantsOf(read: ParameterReader, required: boolean): Checked<string[]> {
	const value = read('participants', '');
	const parts = Array.isArray(value)
		? value.map((entry) => String(entry ?? ''))
		: String(value ?? '').split(/[,;\n]+/);
	const typed = [...new Set(parts.map((part) => part.trim()).filter((part) => part !== ''))];
	if (typed.length === 0) {
		return required
			? {
					problem:
						'Participants is empty. Enter phone numbers with country and area code, separated by commas, e.g. +5511999999999, +5511988888888.',
				}
			: { value: [] };
	}
	if (typed.length > MAX_PARTICIPANTS)
		return {
			problem: `Participants has ${typed.length} phone numbers; a WhatsApp group holds up to ${MAX_PARTICIPANTS}.`,
		};
	const country = String(read('participantsCountry', DEFAULT_PHONE_COUNTRY));
	const digits: string[] = [];
	const problems: string[] = [];
	for (const entry of typed) {
		const cleaned = checkPhoneNumber(entry, 'Participants');
		const e164 =
			cleaned.problem === undefined
				? toE164PhoneNumber(cleaned.value, entry, 'Participants', country)
				: cleaned;
		if (e164.problem !== undefined) problems.push(e164.problem);
		else digits.push(e164.value.replace(/^\+/, ''));
	}
	if (problems.length > 0) return { problem: problems.join(' ') };
	return { value: [...new Set(digits)] };
}
