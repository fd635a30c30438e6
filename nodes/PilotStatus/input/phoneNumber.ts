import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { byOptionName } from '../constants';
import { quote } from './validation';
import type { Checked } from './validation';

// Users type phone numbers the way their customers say them: in Brazil, "11 95555-7777", without
// the country. Read as international, that is +1 195 555 7777, a North American number that does
// not exist; the service would have provisioned it all the same. So a number without + is read in
// the country the user chose (Brazil by default), and every number is checked against the
// numbering plan of its country code before anything is sent: exactly for Brazil and North America
// (where the confusion happens), by country code and length (E.164: at most 15 digits) for the rest.

interface CountryPlan {
	name: string;
	code: string;
	/** A national number of this country (without the country code), as typed without a trunk 0. */
	national: RegExp;
	/** A trunk prefix users type before the area code ("0 11 ..."), dropped. */
	trunk?: RegExp;
}

// Brazil: a two-digit area code (DDD, no 0 in it, 20 and 23/25/26/29... unassigned), then 8 digits
// for a landline (2-5...) or 9 for a mobile (9...). Older numbers "without the ninth digit" are
// landline-shaped and accepted: the service decides.
const BRAZIL_AREA_CODES =
	'(?:1[1-9]|2[12478]|3[1-578]|4[1-9]|5[1345]|6[1-9]|7[13-579]|8[1-9]|9[1-9])';

const PLANS: Record<string, CountryPlan> = {
	AR: { name: 'Argentina', code: '54', national: /^9?\d{10}$/, trunk: /^0/ },
	BR: {
		name: 'Brazil',
		code: '55',
		national: new RegExp(`^${BRAZIL_AREA_CODES}(?:9\\d{8}|[2-8]\\d{7})$`),
		trunk: /^0(?:\d{2}(?=\d{10,11}$))?/,
	},
	CO: { name: 'Colombia', code: '57', national: /^[1-9]\d{9}$/ },
	MX: { name: 'Mexico', code: '52', national: /^[1-9]\d{9}$/ },
	PT: { name: 'Portugal', code: '351', national: /^[29]\d{8}$/ },
	US: {
		name: 'United States and Canada',
		code: '1',
		national: /^[2-9]\d{2}[2-9]\d{6}$/,
	},
};

/** Where a number without + is read: the country's plan, or none (every number has its code). */
export const PHONE_COUNTRY_OPTIONS: INodePropertyOptions[] = [
	...Object.entries(PLANS).map(([value, plan]) => ({
		name: `${plan.name} (+${plan.code})`,
		value,
	})),
	{ name: 'None: Numbers Include Their Country Code', value: 'none' },
].sort(byOptionName);

export const DEFAULT_PHONE_COUNTRY = 'BR';

/** Under every phone field that a country reads (Create, Send, Send and Wait). */
export const LOCAL_NUMBER_HINT =
	'Without + it is read as a local number of the country below: 11 95555-7777 becomes +55 11 95555-7777.';

/** The Country for Local Numbers field beside a phone field, under the parameter name it reads. */
export function localNumberCountryField(
	name: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: 'Country for Local Numbers',
		name,
		type: 'options',
		options: PHONE_COUNTRY_OPTIONS,
		default: DEFAULT_PHONE_COUNTRY,
		description:
			'The country a phone number typed without + and country code belongs to. Numbers that fit no country are refused before anything is sent.',
		...extra,
	};
}

// Country calling codes in use (ITU E.164 assignments): the one-digit and two-digit codes, and the
// first two digits of the three-digit ones.
const ONE_OR_TWO_DIGIT_CODES = new Set(
	'1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
		' ',
	),
);
const THREE_DIGIT_CODE_PREFIXES = new Set(
	'21 22 23 24 25 26 29 35 37 38 42 50 59 67 68 69 80 85 87 88 96 97 99'.split(' '),
);

function countryCodeOf(digits: string): string | undefined {
	if (ONE_OR_TWO_DIGIT_CODES.has(digits.slice(0, 1))) return digits.slice(0, 1);
	if (ONE_OR_TWO_DIGIT_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
	if (THREE_DIGIT_CODE_PREFIXES.has(digits.slice(0, 2))) return digits.slice(0, 3);
	return undefined;
}

function planOfCode(code: string): CountryPlan | undefined {
	return Object.values(PLANS).find((plan) => plan.code === code);
}

/** Whether +<digits> can be a real number: its country code exists and its length (or plan) fits. */
function isValidInternational(digits: string): boolean {
	const code = countryCodeOf(digits);
	if (!code || digits.length < 8 || digits.length > 15) return false;
	const plan = planOfCode(code);
	return plan ? plan.national.test(digits.slice(code.length)) : true;
}

function e164(digits: string): string {
	return `+${digits}`;
}

/**
 * A phone number (already stripped of separators, optional leading +) as E.164, read in
 * `country` when it has no + and is a local number there. A number that fits no country is
 * refused, with what it was read as.
 */
export function toE164PhoneNumber(
	cleaned: string,
	typed: string,
	field: string,
	country: string,
): Checked<string> {
	const plan = PLANS[country];
	const international = cleaned.startsWith('+');
	const digits = cleaned.replace(/^\+/, '');
	if (!international && plan) {
		const local = plan.trunk ? digits.replace(plan.trunk, '') : digits;
		// "5511955557777" without + is already international: the country code, then a national number.
		const hasCode =
			digits.startsWith(plan.code) && plan.national.test(digits.slice(plan.code.length));
		if (!hasCode && plan.national.test(local)) return { value: e164(plan.code + local) };
	}
	if (isValidInternational(digits)) return { value: e164(digits) };
	const readAs = countryCodeOf(digits);
	const readAsPlan = readAs ? planOfCode(readAs) : undefined;
	const where = plan
		? ` It is not a local number of ${plan.name} (${field} → Country for Local Numbers) either.`
		: ' Choose the country of local numbers (Country for Local Numbers), or type the number with + and its country code.';
	return {
		problem: `${field} ${quote(typed)} is not a valid phone number: read with its country code it would be +${digits}${readAsPlan ? `, which is not a valid number of ${readAsPlan.name}` : readAs ? '' : ', and no country has that code'}.${where} Example: +55 11 99999-9999.`,
	};
}
