import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { settingsSentence } from '../../descriptions/tool';
import { acceptChecks, asNodeError, unreadableResponseError } from '../../errors/nodeErrors';
import type { FailureContext } from '../../errors/nodeErrors';
import { itemParameters } from '../../input/parameters';
import {
	DEFAULT_PHONE_COUNTRY,
	LOCAL_NUMBER_HINT,
	localNumberCountryField,
	toE164PhoneNumber,
} from '../../input/phoneNumber';
import { checkPhoneNumber } from '../../input/validation';
import type { Checked } from '../../input/validation';
import { sendingNumberHeaders, sendingNumberOf } from '../../messaging/sendingNumber';
import { isPlainObject, toE164 } from '../../output/normalize';
import type { OperationDefinition } from '../../routing/operations';
import { pilotStatusRequest, requestTimeoutOf } from '../../transport/request';

/** POST /v1/numbers/check takes 1 to 20 phone numbers per call. */
export const CHECK_BATCH = 20;

const FIELD = 'Phone Numbers';

const phoneNumbersField: INodeProperties = {
	displayName: 'Phone Numbers',
	name: 'phoneNumbers',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 11 95555-7777, +55 21 98888-7777',
	description:
		'Separated by commas or new lines, or an expression that gives a list. The numbers of all input items go 20 per call.',
	hint: LOCAL_NUMBER_HINT,
};

// A Brazilian mobile (+55, two-digit area code, 9 and 8 digits): Pilot Status checks it with and
// without the ninth digit, since accounts from before the ninth digit are registered without it.
const BRAZIL_MOBILE = /^\+55(\d{2})9(\d{8})$/;

export const checkNumbers: OperationDefinition = {
	option: {
		name: 'Check Number',
		value: 'checkNumber',
		action: 'Check number',
		description:
			'Whether phone numbers have WhatsApp, one item per number; Brazilian mobiles are checked with and without the ninth digit',
	},
	toolDescription: `Check whether phone numbers have a WhatsApp account, before sending to them; gives one result per number (onWhatsApp, the number as WhatsApp has it, the profile name when known). Changes nothing and sends no message. Brazilian mobiles are checked with and without the ninth digit. ${settingsSentence('The number that checks and the phone numbers')}`,
	fields: [sendingNumberLocator, phoneNumbersField, localNumberCountryField('phoneCountry')],
};

export interface Phone {
	typed: string;
	e164: string;
}

interface ItemRequest {
	itemIndex: number;
	numberId?: string;
	phones: Phone[];
}

function listOf(value: unknown): string[] {
	const entries = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[,;\n]/)
			: [value];
	return entries
		.map((entry) =>
			typeof entry === 'number' ? String(entry) : typeof entry === 'string' ? entry.trim() : entry,
		)
		.filter((entry) => entry !== '' && entry !== undefined && entry !== null) as string[];
}

function phoneOf(typed: unknown, country: string): Checked<Phone> {
	const cleaned = checkPhoneNumber(typed, FIELD);
	if (cleaned.problem !== undefined) return cleaned;
	const e164 = toE164PhoneNumber(cleaned.value, String(typed), FIELD, country);
	return e164.problem !== undefined ? e164 : { value: { typed: String(typed), e164: e164.value } };
}

/** The item's sending number and phones, every problem named at once before anything is sent. */
function readItem(context: IExecuteFunctions, itemIndex: number): ItemRequest {
	const read = itemParameters(context, itemIndex);
	const country = String(read('phoneCountry', DEFAULT_PHONE_COUNTRY));
	const typed = listOf(read('phoneNumbers', ''));
	const empty: Checked<Phone[]> =
		typed.length === 0
			? {
					problem: `${FIELD} is empty. Enter the numbers to check, separated by commas, e.g. +55 11 99999-9999, 21 98888-7777.`,
				}
			: { value: [] };
	const checks = typed.map((phone) => phoneOf(phone, country));
	const [numberId] = acceptChecks(context.getNode(), itemIndex, sendingNumberOf(read), empty);
	const phones = acceptChecks(context.getNode(), itemIndex, ...checks) as Phone[];
	return { itemIndex, numberId, phones };
}

export function batches<T>(list: T[]): T[][] {
	const out: T[][] = [];
	for (let start = 0; start < list.length; start += CHECK_BATCH)
		out.push(list.slice(start, start + CHECK_BATCH));
	return out;
}

/** The results of one call, by the phone they answer (matched by `input`, else by position). */
export async function checkBatch(
	context: IExecuteFunctions,
	numberId: string | undefined,
	phones: string[],
	failure: FailureContext,
): Promise<Map<string, IDataObject>> {
	const { body } = await pilotStatusRequest.call(context, {
		method: 'POST',
		path: '/v1/numbers/check',
		body: { numbers: phones },
		headers: sendingNumberHeaders(numberId),
		timeoutMs: requestTimeoutOf(context),
		failure,
	});
	const results = isPlainObject(body) ? body.results : undefined;
	if (!Array.isArray(results)) throw unreadableResponseError(context.getNode(), body, failure);
	const byPhone = new Map<string, IDataObject>();
	results.forEach((result, index) => {
		if (!isPlainObject(result)) return;
		const input = toE164(result.input);
		const phone = input && phones.includes(input) ? input : phones[index];
		if (phone !== undefined && !byPhone.has(phone)) byPhone.set(phone, result);
	});
	return byPhone;
}

/** One item per number checked, in one shape; the ninth digit said where it matters. */
export function checkOutput(phone: Phone, result: IDataObject | undefined): IDataObject {
	const onWhatsApp = result?.exists === true;
	const whatsappNumber = onWhatsApp ? (toE164(result?.number) ?? phone.e164) : null;
	const mobile = BRAZIL_MOBILE.exec(phone.e164);
	const withoutNinthDigit = mobile !== null && whatsappNumber === `+55${mobile[1]}${mobile[2]}`;
	const name = typeof result?.name === 'string' && result.name !== '' ? result.name : null;
	return {
		phoneNumber: phone.e164,
		input: phone.typed,
		onWhatsApp,
		whatsappNumber,
		whatsappName: name,
		withoutNinthDigit,
		...(withoutNinthDigit
			? {
					note: `This Brazilian mobile’s WhatsApp account is registered without the ninth digit, as ${whatsappNumber} (an account from before the ninth digit); Pilot Status checks both forms. whatsappNumber is the number as WhatsApp has it.`,
				}
			: result === undefined
				? { note: 'Pilot Status gave no result for this number.' }
				: {}),
	};
}

function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	return {
		json: { error: (error as Error).message } as IDataObject,
		pairedItem: { item: itemIndex },
		error: error as INodeExecutionData['error'],
	};
}

/**
 * Reads every item first (bad input stops before anything is sent), then checks the phones of all
 * items that share a sending number 20 per call, each phone once. Checking changes nothing, so a
 * failed call is simply an error: running it again is safe.
 */
export async function checkPhoneNumbers(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const failed = new Map<number, unknown>();
	const requests: ItemRequest[] = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			requests.push(readItem(this, itemIndex));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			failed.set(itemIndex, error);
		}
	}
	const results = new Map<string, IDataObject>();
	const key = (numberId: string | undefined, phone: string) => `${numberId ?? ''} ${phone}`;
	for (const numberId of new Set(requests.map((request) => request.numberId))) {
		const sharing = requests.filter((request) => request.numberId === numberId);
		const phones = [...new Set(sharing.flatMap((request) => request.phones.map((p) => p.e164)))];
		for (const batch of batches(phones)) {
			const inBatch = sharing.filter((request) =>
				request.phones.some((p) => batch.includes(p.e164)),
			);
			const failure: FailureContext = {
				resource: 'contact',
				operation: 'checkNumber',
				itemIndex: inBatch[0].itemIndex,
				sendingNumber: numberId,
			};
			try {
				const answered = await checkBatch(this, numberId, batch, failure);
				for (const [phone, result] of answered) results.set(key(numberId, phone), result);
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, failure.itemIndex);
				for (const request of inBatch) failed.set(request.itemIndex, error);
			}
		}
	}
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		if (failed.has(itemIndex)) {
			output.push(errorItem(failed.get(itemIndex), itemIndex));
			continue;
		}
		const request = requests.find((candidate) => candidate.itemIndex === itemIndex)!;
		for (const phone of request.phones) {
			output.push({
				json: checkOutput(phone, results.get(key(request.numberId, phone.e164))),
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
