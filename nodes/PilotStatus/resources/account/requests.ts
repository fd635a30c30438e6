import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { acceptChecks, unreadableResponseError } from '../../errors/nodeErrors';
import { hookParameters } from '../../input/parameters';
import { holdsKey, quote } from '../../input/validation';
import type { Checked } from '../../input/validation';
import { isPlainObject } from '../../output/normalize';

// The account operations' own preSend and postReceive hooks. They are tenant-only: a number's key
// gets 403 NUMBER_SCOPE_NOT_ALLOWED from the service, which errors/nodeErrors.ts explains.

type Hook = IExecuteSingleFunctions;

/** What an item sent, from its preSend to its postReceive: n8n passes both the same context. */
const sent = new WeakMap<object, IDataObject>();

const MAX_QUANTITY = 100;

function accept<T extends Array<Checked<unknown>>>(hook: Hook, ...checks: T) {
	return acceptChecks(hook.getNode(), hook.getItemIndex(), ...checks);
}

export function checkQuantity(value: unknown): Checked<number> {
	const quantity = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (
		typeof quantity !== 'number' ||
		!Number.isInteger(quantity) ||
		quantity < 1 ||
		quantity > MAX_QUANTITY
	) {
		return {
			problem: `Quantity ${quote(value)} is not a whole number from 1 to ${MAX_QUANTITY}. For more at once, use the Pilot Status dashboard.`,
		};
	}
	return { value: quantity };
}

function checkHttpsUrl(value: unknown, field: string): Checked<string> {
	const text = typeof value === 'string' ? value.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || url.protocol !== 'https:' || holdsKey(text)) {
		return {
			problem: `${field} ${quote(value)} is not an https address. Enter a full https:// URL, or pick it under Reset to Default to clear it.`,
		};
	}
	return { value: url.href };
}

function checkColor(value: unknown, field: string): Checked<string> {
	const text = typeof value === 'string' ? value.trim() : '';
	return /^#[0-9a-fA-F]{6}$/.test(text)
		? { value: text.toLowerCase() }
		: { problem: `${field} ${quote(value)} is not a color like #1fd286 (# and six hex digits).` };
}

function checkLabel(value: unknown, field: string, maxLength: number): Checked<string> {
	const text = typeof value === 'string' ? value.trim() : String(value ?? '');
	if (text === '')
		return {
			problem: `${field} is empty. Enter it, or pick it under Reset to Default to clear it.`,
		};
	if (holdsKey(text))
		return {
			problem: `${field} holds what looks like an API key (ps_…); it would be shown to customers.`,
		};
	if (text.length > maxLength)
		return { problem: `${field} is ${text.length} characters long; keep it to ${maxLength}.` };
	return { value: text };
}

type FieldCheck = (value: unknown) => Checked<unknown>;

const BRANDING_CHECKS: Record<string, FieldCheck> = {
	logoUrl: (value) => checkHttpsUrl(value, 'Logo URL'),
	primaryColor: (value) => checkColor(value, 'Primary Color'),
	backgroundColor: (value) => checkColor(value, 'Background Color'),
	companyName: (value) => checkLabel(value, 'Company Name', 60),
	subtitle: (value) => checkLabel(value, 'Subtitle', 120),
	supportUrl: (value) => checkHttpsUrl(value, 'Support URL'),
	defaultRedirectUrl: (value) => checkHttpsUrl(value, 'Default Redirect URL'),
	hidePilotStatusBranding: (value) => ({ value: value === true }),
};

/** Update Branding: the fields the user added (null for the ones to reset); at least one. */
export async function brandingChangesInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { reset, ...fields } = this.getNodeParameter('brandingFields', {}) as IDataObject;
	const cleared = Array.isArray(reset) ? reset.map(String) : [];
	const checks = Object.entries(fields)
		.filter(([name]) => name in BRANDING_CHECKS)
		.map(([name, value]) => [name, BRANDING_CHECKS[name](value)] as const);
	const both = cleared.filter((name) => name in fields);
	accept(
		this,
		...checks.map(([, check]) => check),
		both.length === 0
			? { value: undefined }
			: {
					problem: `${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} both set and under Reset to Default. Keep one.`,
				},
	);
	const body: IDataObject = {
		...(Object.fromEntries(checks.map(([name, check]) => [name, check.value])) as IDataObject),
		...Object.fromEntries(cleared.map((name) => [name, null])),
	};
	if (Object.keys(body).length === 0) {
		accept(this, {
			problem:
				'Branding Fields is empty. Add the fields to change (Company Name, Logo URL, Primary Color...) or the ones to reset.',
		});
	}
	return { ...requestOptions, body };
}

/** Get Extra Numbers Cost: ?quantity=. */
export async function quantityInQuery(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const [quantity] = accept(this, checkQuantity(hookParameters(this)('extraNumbersQuantity', 1)));
	sent.set(this, { quantity });
	return { ...requestOptions, qs: { ...requestOptions.qs, quantity } };
}

/**
 * Add Extra Numbers charges money: the service wants `confirm: true` when the purchase converts a
 * Free account (409 CONFIRMATION_REQUIRED otherwise). The node asks it of the user every time, and
 * sends nothing until Confirm Charge is on.
 */
export async function confirmedPurchaseInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const read = hookParameters(this);
	const [quantity] = accept(
		this,
		checkQuantity(read('extraNumbersQuantity', 1)),
		read('confirmCharge', false) === true
			? { value: true }
			: {
					problem:
						'Confirm Charge is off. Add Extra Numbers charges the account (or returns a payment link): run Account → Get Extra Numbers Cost to see the price, then turn on Confirm Charge.',
				},
	);
	sent.set(this, { quantity });
	return { ...requestOptions, body: { quantity, confirm: true } };
}

export async function quantityInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const [quantity] = accept(this, checkQuantity(hookParameters(this)('extraNumbersQuantity', 1)));
	sent.set(this, { quantity });
	return { ...requestOptions, body: { quantity } };
}

const PURPOSES = ['wallet_topup', 'add_card'];

/** Get Checkout Link: the purpose, the amount a top-up needs, the optional return addresses. */
export async function checkoutInBody(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const read = hookParameters(this);
	const purpose = String(read('checkoutPurpose', 'wallet_topup'));
	const options = (read('checkoutOptions', {}) ?? {}) as IDataObject;
	const topUp = purpose === 'wallet_topup';
	const amount = topUp ? read('checkoutAmount', 0) : undefined;
	const url = (name: string, field: string): Checked<string | undefined> =>
		options[name] === undefined || options[name] === ''
			? { value: undefined }
			: checkHttpsUrl(options[name], `Options → ${field}`);
	const [checkedPurpose, checkedAmount, successUrl, cancelUrl] = accept(
		this,
		PURPOSES.includes(purpose)
			? { value: purpose }
			: { problem: `Purpose ${quote(purpose)} is not Top Up Wallet or Add Card.` },
		!topUp || (typeof amount === 'number' && Number.isFinite(amount) && amount > 0)
			? { value: amount as number | undefined }
			: { problem: `Amount ${quote(amount)} must be more than 0 for a wallet top-up.` },
		url('successUrl', 'Success URL'),
		url('cancelUrl', 'Cancel URL'),
	);
	const body: IDataObject = { purpose: checkedPurpose };
	if (checkedAmount !== undefined) body.amount = checkedAmount;
	if (successUrl) body.successUrl = successUrl;
	if (cancelUrl) body.cancelUrl = cancelUrl;
	sent.set(this, body);
	return { ...requestOptions, body };
}

// --- outputs -----------------------------------------------------------------------------------

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const amount = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value)
		? value
		: typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
			? Number(value)
			: null;
const flag = (value: unknown) => (typeof value === 'boolean' ? value : null);

function unreadable(hook: Hook, body: unknown): Error {
	const operation = hook.getNodeParameter('operation') as string;
	return unreadableResponseError(hook.getNode(), body, {
		resource: 'account',
		operation,
		itemIndex: hook.getItemIndex(),
	});
}

function answerOf(hook: Hook, response: IN8nHttpFullResponse): IDataObject {
	if (isPlainObject(response.body)) return response.body;
	throw unreadable(hook, response.body);
}

const item = (hook: Hook, json: IDataObject): INodeExecutionData[] => [
	{ json, pairedItem: { item: hook.getItemIndex() } },
];

/** Get and Update: `{ branding: {...} }` as documented, or the object itself. */
export async function outputBranding(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const answer = answerOf(this, response);
	const branding = isPlainObject(answer.branding) ? answer.branding : answer;
	return item(this, {
		companyName: text(branding.companyName),
		subtitle: text(branding.subtitle),
		logoUrl: text(branding.logoUrl),
		primaryColor: text(branding.primaryColor),
		backgroundColor: text(branding.backgroundColor),
		supportUrl: text(branding.supportUrl),
		defaultRedirectUrl: text(branding.defaultRedirectUrl),
		hidePilotStatusBranding: branding.hidePilotStatusBranding === true,
	});
}

export async function outputExtraNumbersCost(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const answer = answerOf(this, response);
	const explanation = isPlainObject(answer.explanation) ? answer.explanation : {};
	return item(this, {
		requested: amount(answer.requested) ?? sent.get(this)?.quantity ?? null,
		requiresConversion: answer.requiresConversion === true,
		fromPlan: text(answer.fromPlan),
		toPlan: text(answer.toPlan),
		currentNumbers: amount(answer.currentNumbers),
		billedQuantity: amount(answer.billedQuantity),
		unitPriceBRL: amount(answer.unitPriceBRL),
		monthlyTotalBRL: amount(answer.monthlyTotalBRL),
		messagesBecomeUnlimited: flag(answer.messagesBecomeUnlimited),
		hasSavedCard: flag(answer.hasSavedCard),
		explanation: text(explanation.en) ?? text(answer.explanation),
		explanationPt: text(explanation.pt),
	});
}

/** Both documented answers: charged to the saved card, or a checkout link to pay. */
export async function outputExtraNumbersAdded(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const answer = answerOf(this, response);
	const checkoutUrl = text(answer.checkoutUrl) ?? text(answer.url);
	const charged = answer.charged === true;
	return item(this, {
		quantity: sent.get(this)?.quantity ?? null,
		charged,
		plan: text(answer.plan),
		paidExtraNumbers: amount(answer.paidExtraNumbers),
		monthlyTotalBRL: amount(answer.monthlyTotalBRL),
		checkoutUrl,
		note: charged
			? 'Charged to the saved card: the slots are free now; add the numbers with Number → Create.'
			: 'Nothing was charged yet: open checkoutUrl to pay. The slots become free once it is paid.',
	});
}

export async function outputExtraNumbersRemoved(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const answer = isPlainObject(response.body) ? response.body : {};
	return item(this, {
		quantity: sent.get(this)?.quantity ?? null,
		removed: true,
		plan: text(answer.plan),
		paidExtraNumbers: amount(answer.paidExtraNumbers),
		maxNumbers: amount(answer.maxNumbers),
		proratedTotal: amount(answer.proratedTotal),
		note: 'No refund for the current billing cycle: the slots stop being billed from the next one.',
	});
}

/** The link as `url` (playground) or `checkoutUrl` (the extra-numbers page's wording). */
export async function outputCheckoutLink(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const answer = answerOf(this, response);
	const checkoutUrl = text(answer.url) ?? text(answer.checkoutUrl);
	const request = sent.get(this) ?? {};
	if (!checkoutUrl) throw unreadable(this, answer);
	return item(this, {
		checkoutUrl,
		purpose: text(answer.purpose) ?? request.purpose ?? null,
		orderId: text(answer.orderId),
		amount: amount(answer.amount) ?? request.amount ?? null,
		currency: text(answer.currency),
	});
}
