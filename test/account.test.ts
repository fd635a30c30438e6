import type { IDataObject } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { NUMBER_KEY, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Account → Branding, Extra Numbers and Billing against the sandbox, in n8n's engine. All
// tenant-only: the tenant key from the credential, a number's key refused with the fix.
const sandbox = useSandbox();
const retries = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };

const run = (
	parameters: IDataObject,
	options: { credential?: ReturnType<typeof sandbox.credential>; settings?: IDataObject } = {},
) =>
	runNode({
		parameters: { resource: 'account', ...parameters },
		credential: options.credential ?? sandbox.credential(),
		settings: options.settings,
	});

const requestsTo = async (method: string, path: string) =>
	(await sandbox.requests()).filter(
		(request) => request.method === method && request.path === path,
	);

describe('Account → Branding', () => {
	test('Get: the branding in one flat shape', async () => {
		const { items, error } = await run({ operation: 'getBranding' });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			companyName: null,
			subtitle: null,
			logoUrl: null,
			primaryColor: '#1fd286',
			backgroundColor: null,
			supportUrl: null,
			defaultRedirectUrl: null,
			hidePilotStatusBranding: false,
		});
	});

	test('a number’s key is refused by the service, and the error says to use the tenant key', async () => {
		const { error } = await run(
			{ operation: 'getBranding' },
			{ credential: sandbox.credential({ apiKey: NUMBER_KEY }) },
		);
		expect(error?.message).toMatch(/needs the tenant API key.*403 NUMBER_SCOPE_NOT_ALLOWED/);
		expect(error?.description).toMatch(/Profile → API/);
		expect(error?.message).not.toContain(NUMBER_KEY);
	});

	test('Update: only the fields added are sent, Reset to Default sends null', async () => {
		const { items, error } = await run({
			operation: 'updateBranding',
			brandingFields: {
				companyName: 'Acme',
				primaryColor: '#FF8800',
				hidePilotStatusBranding: true,
				reset: ['logoUrl'],
			},
		});
		expect(error).toBeUndefined();
		const [request] = await requestsTo('PUT', '/v1/branding');
		expect(request.body).toEqual({
			companyName: 'Acme',
			primaryColor: '#ff8800',
			hidePilotStatusBranding: true,
			logoUrl: null,
		});
		expect(items[0].json).toMatchObject({ companyName: 'Acme', hidePilotStatusBranding: true });
		expect((await sandbox.account()).branding).toMatchObject({ companyName: 'Acme' });
	});

	test.each<[string, IDataObject, RegExp]>([
		['nothing to change', {}, /Branding Fields is empty/],
		['an http address', { logoUrl: 'http://acme.example/logo.png' }, /Logo URL .* not an https/],
		['a color name', { primaryColor: 'green' }, /Primary Color "green" is not a color/],
		['a long company name', { companyName: 'x'.repeat(61) }, /Company Name is 61 .* keep it to 60/],
		['set and reset at once', { subtitle: 'Oi', reset: ['subtitle'] }, /subtitle is both set/],
	])('Update refuses %s before sending', async (_name, brandingFields, message) => {
		const { error } = await run({ operation: 'updateBranding', brandingFields });
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/Nothing was sent/);
		expect(await requestsTo('PUT', '/v1/branding')).toHaveLength(0);
	});
});

describe('Account → Extra Numbers', () => {
	test('Get Extra Numbers Cost: the quantity asked for, the preview in one shape', async () => {
		const { items, error } = await run({ operation: 'getExtraNumbers', extraNumbersQuantity: 2 });
		expect(error).toBeUndefined();
		const [request] = await requestsTo('GET', '/v1/subscription/extra-numbers');
		expect(request.query).toEqual({ quantity: '2' });
		expect(items[0].json).toMatchObject({
			requested: 2,
			requiresConversion: true,
			fromPlan: 'FREE',
			toPlan: 'ON_DEMAND',
			unitPriceBRL: 29.9,
			hasSavedCard: false,
			explanation: expect.any(String),
			explanationPt: expect.any(String),
		});
	});

	test('Add with Confirm Charge off is refused before anything is sent', async () => {
		const { error } = await run({ operation: 'addExtraNumbers', extraNumbersQuantity: 1 });
		record('badInputs');
		expect(error?.message).toMatch(/Confirm Charge is off.*Get Extra Numbers Cost/);
		expect(await requestsTo('POST', '/v1/subscription/extra-numbers')).toHaveLength(0);
		expect((await sandbox.account()).purchases).toEqual([]);
	});

	test('Add sends confirm: true; without a saved card the answer is a link to pay', async () => {
		const { items, error } = await run({
			operation: 'addExtraNumbers',
			extraNumbersQuantity: 1,
			confirmCharge: true,
		});
		expect(error).toBeUndefined();
		const [request] = await requestsTo('POST', '/v1/subscription/extra-numbers');
		expect(request.body).toEqual({ quantity: 1, confirm: true });
		expect(items[0].json).toMatchObject({
			quantity: 1,
			charged: false,
			checkoutUrl: expect.stringMatching(/^https:/),
			note: expect.stringMatching(/Nothing was charged yet/),
		});
	});

	test('Add with a saved card: charged, in the same shape', async () => {
		await sandbox.configureAccount({ hasSavedCard: true });
		const { items } = await run({
			operation: 'addExtraNumbers',
			extraNumbersQuantity: 2,
			confirmCharge: true,
		});
		expect(Object.keys(items[0].json).sort()).toEqual([
			'charged',
			'checkoutUrl',
			'monthlyTotalBRL',
			'note',
			'paidExtraNumbers',
			'plan',
			'quantity',
		]);
		expect(items[0].json).toMatchObject({ charged: true, plan: 'ON_DEMAND', checkoutUrl: null });
	});

	test('a lost answer under Retry On Fail: bought once, the error says it may have happened', async () => {
		await sandbox.configureAccount({ hasSavedCard: true });
		await sandbox.fault({
			type: 'status',
			status: 503,
			afterHandling: true,
			method: 'POST',
			path: '/v1/subscription/extra-numbers',
			count: 1,
		});
		const { error } = await run(
			{ operation: 'addExtraNumbers', extraNumbersQuantity: 1, confirmCharge: true },
			{ settings: retries },
		);
		record('sideEffects');
		expect(error?.message).toMatch(/may or may not have been made/);
		expect(await requestsTo('POST', '/v1/subscription/extra-numbers')).toHaveLength(1);
		expect((await sandbox.account()).purchases).toHaveLength(1);
	});

	test('409 CONFIRMATION_REQUIRED and NUMBER_LIMIT_EXCEEDED are explained with their fix', async () => {
		await sandbox.fault({
			type: 'status',
			status: 409,
			body: { error: 'Confirmation required', code: 'CONFIRMATION_REQUIRED' },
			path: '/v1/subscription/extra-numbers',
			count: 1,
		});
		const confirm = await run({
			operation: 'addExtraNumbers',
			extraNumbersQuantity: 1,
			confirmCharge: true,
		});
		record('faults');
		expect(confirm.error?.message).toMatch(/409 CONFIRMATION_REQUIRED/);
		expect(confirm.error?.description).toMatch(/Confirm Charge on/);
		await sandbox.configureAccount({ plan: 'ON_DEMAND', paidExtraNumbers: 1 });
		const limit = await run({ operation: 'removeExtraNumbers', extraNumbersQuantity: 1 });
		expect(limit.error?.message).toMatch(/409 NUMBER_LIMIT_EXCEEDED/);
		expect(limit.error?.description).toMatch(/Number → Delete/);
	});

	test('Remove: the slots given back, with the no-refund note', async () => {
		await sandbox.configureAccount({ plan: 'ON_DEMAND', paidExtraNumbers: 5 });
		const { items, error } = await run({
			operation: 'removeExtraNumbers',
			extraNumbersQuantity: 2,
		});
		expect(error).toBeUndefined();
		const [request] = await requestsTo('DELETE', '/v1/subscription/extra-numbers');
		expect(request.body).toEqual({ quantity: 2 });
		expect(items[0].json).toMatchObject({
			quantity: 2,
			removed: true,
			paidExtraNumbers: 3,
			note: expect.stringMatching(/No refund/),
		});
	});

	test.each(['0', '1.5', '500'])('Quantity %s is refused before sending', async (quantity) => {
		const { error } = await run({
			operation: 'removeExtraNumbers',
			extraNumbersQuantity: `={{ ${quantity} }}`,
		});
		record('badInputs');
		expect(error?.message).toMatch(/Quantity .* is not a whole number from 1 to 100/);
		expect(await requestsTo('DELETE', '/v1/subscription/extra-numbers')).toHaveLength(0);
	});
});

describe('Account → Billing', () => {
	test('Get Checkout Link: a wallet top-up link, with the return addresses', async () => {
		const { items, error } = await run({
			operation: 'getCheckoutLink',
			checkoutPurpose: 'wallet_topup',
			checkoutAmount: 50,
			checkoutOptions: { successUrl: 'https://acme.example/ok' },
		});
		expect(error).toBeUndefined();
		const [request] = await requestsTo('POST', '/v1/billing/checkout');
		expect(request.body).toEqual({
			purpose: 'wallet_topup',
			amount: 50,
			successUrl: 'https://acme.example/ok',
		});
		expect(items[0].json).toEqual({
			checkoutUrl: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//),
			purpose: 'wallet_topup',
			orderId: expect.any(String),
			amount: 50,
			currency: 'BRL',
		});
	});

	test('the link as checkoutUrl (the other documented wording) gives the same shape', async () => {
		await sandbox.fault({
			type: 'status',
			status: 200,
			body: { checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_test_x' },
			path: '/v1/billing/checkout',
			count: 1,
		});
		const { items } = await run({ operation: 'getCheckoutLink', checkoutPurpose: 'add_card' });
		expect(items[0].json).toEqual({
			checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_test_x',
			purpose: 'add_card',
			orderId: null,
			amount: null,
			currency: null,
		});
	});

	test('a top-up without an amount is refused before sending', async () => {
		const { error } = await run({ operation: 'getCheckoutLink', checkoutPurpose: 'wallet_topup' });
		record('badInputs');
		expect(error?.message).toMatch(/Amount "0" must be more than 0/);
		expect(await requestsTo('POST', '/v1/billing/checkout')).toHaveLength(0);
	});
});
