import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';

// The sandbox's account endpoints (branding, extra numbers, checkout; shared/pilot-status-api.md
// #22–#27) and voice calls (shared/messaging-api.md §8), over HTTP on their own: the documented
// shapes, rules and refusals.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;
const CUSTOMER = '+5511977776666';

const tenant = (method: string, path: string, body?: unknown) =>
	sandbox.api(method, path, { key: TENANT_KEY, body });
const number = (method: string, path: string, body?: unknown) =>
	sandbox.api(method, path, { key: NUMBER_KEY, body });

describe('account (tenant key only)', () => {
	test.each([
		['GET', '/v1/branding'],
		['PUT', '/v1/branding'],
		['GET', '/v1/subscription/extra-numbers'],
		['POST', '/v1/subscription/extra-numbers'],
		['DELETE', '/v1/subscription/extra-numbers'],
		['POST', '/v1/billing/checkout'],
	])('%s %s refuses a number key with 403 NUMBER_SCOPE_NOT_ALLOWED', async (method, path) => {
		const { status, body } = await number(method, path, method === 'GET' ? undefined : {});
		expect(status).toBe(403);
		expect(body.code).toBe('NUMBER_SCOPE_NOT_ALLOWED');
	});

	test('branding: PUT changes the fields sent, null clears, bad values are refused', async () => {
		const changed = await tenant('PUT', '/v1/branding', {
			companyName: 'Acme',
			logoUrl: 'https://acme.example/logo.png',
		});
		expect(changed.status).toBe(200);
		expect(changed.body.branding).toMatchObject({ companyName: 'Acme', primaryColor: '#1fd286' });
		await tenant('PUT', '/v1/branding', { logoUrl: null });
		expect((await tenant('GET', '/v1/branding')).body.branding).toMatchObject({
			companyName: 'Acme',
			logoUrl: null,
		});
		for (const bad of [
			{ logoUrl: 'http://acme.example/logo.png' },
			{ primaryColor: 'green' },
			{ companyName: 'x'.repeat(61) },
			{ subtitle: 'x'.repeat(121) },
			{ hidePilotStatusBranding: 'yes' },
			{ favicon: 'https://acme.example/f.ico' },
		])
			expect([bad, (await tenant('PUT', '/v1/branding', bad)).status]).toEqual([bad, 400]);
	});

	test('extra numbers: the preview, then a Free account buys only with confirm: true', async () => {
		const preview = await tenant('GET', '/v1/subscription/extra-numbers?quantity=2');
		expect(preview.body).toMatchObject({
			requiresConversion: true,
			fromPlan: 'FREE',
			toPlan: 'ON_DEMAND',
			requested: 2,
			hasSavedCard: false,
			explanation: { pt: expect.any(String), en: expect.any(String) },
		});
		const refused = await tenant('POST', '/v1/subscription/extra-numbers', { quantity: 1 });
		expect(refused.status).toBe(409);
		expect(refused.body).toMatchObject({
			code: 'CONFIRMATION_REQUIRED',
			preview: { requested: 1 },
		});
		const link = await tenant('POST', '/v1/subscription/extra-numbers', {
			quantity: 1,
			confirm: true,
		});
		expect(link.body).toEqual({ success: true, charged: false, checkoutUrl: expect.any(String) });
		await sandbox.configureAccount({ hasSavedCard: true });
		const charged = await tenant('POST', '/v1/subscription/extra-numbers', {
			quantity: 1,
			confirm: true,
		});
		expect(charged.body).toMatchObject({ success: true, charged: true, plan: 'ON_DEMAND' });
		expect((await sandbox.account()).purchases).toHaveLength(2);
	});

	test('extra numbers: giving back slots in use is 409 NUMBER_LIMIT_EXCEEDED', async () => {
		await sandbox.configureAccount({ plan: 'ON_DEMAND', paidExtraNumbers: 3 });
		const inUse = (await sandbox.state()).numbers.length;
		const tooMany = await tenant('DELETE', '/v1/subscription/extra-numbers', { quantity: 3 });
		expect([inUse > 1, tooMany.status, tooMany.body.code]).toEqual([
			true,
			409,
			'NUMBER_LIMIT_EXCEEDED',
		]);
		const removed = await tenant('DELETE', '/v1/subscription/extra-numbers', { quantity: 1 });
		expect(removed.body).toMatchObject({ success: true, paidExtraNumbers: 2, proratedTotal: 0 });
	});

	test('checkout: a top-up needs an amount; the link comes as url', async () => {
		expect((await tenant('POST', '/v1/billing/checkout', { purpose: 'wallet_topup' })).status).toBe(
			400,
		);
		const { body } = await tenant('POST', '/v1/billing/checkout', {
			purpose: 'wallet_topup',
			amount: 50,
		});
		expect(body).toMatchObject({
			url: expect.stringMatching(/^https:/),
			amount: 50,
			currency: 'BRL',
		});
		expect((await tenant('POST', '/v1/billing/checkout', { purpose: 'add_card' })).status).toBe(
			200,
		);
	});
});

describe('calls (number-scoped, Meta numbers)', () => {
	beforeEach(async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
	});

	test('a number that is not Meta: 400 FEATURE_NOT_SUPPORTED; the tenant key: 403', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'PILOT_STATUS' });
		const notMeta = await number('GET', '/v1/calls');
		expect([notMeta.status, notMeta.body.code]).toEqual([400, 'FEATURE_NOT_SUPPORTED']);
		const tenantKey = await tenant('GET', '/v1/calls');
		expect([tenantKey.status, tenantKey.body.code]).toEqual([403, 'TENANT_SCOPE_NOT_ALLOWED']);
	});

	test('list: newest first, limit and before cursor; get by either id, SDP only on request', async () => {
		await sandbox.addCalls(suporte.id, 5);
		const first = await number('GET', '/v1/calls?limit=2');
		const ids = (first.body.calls as Array<{ id: string; createdAt: string }>).map((c) => c.id);
		expect(ids).toEqual(['call_sbx0005', 'call_sbx0004']);
		const last = (first.body.calls as Array<{ createdAt: string }>)[1].createdAt;
		const next = await number('GET', `/v1/calls?limit=10&before=${encodeURIComponent(last)}`);
		expect((next.body.calls as unknown[]).length).toBe(3);
		expect((await number('GET', '/v1/calls?limit=101')).status).toBe(400);
		const byMeta = await number('GET', '/v1/calls/wacid.SBX0001');
		expect(byMeta.body).toMatchObject({ id: 'call_sbx0001' });
		expect(byMeta.body).not.toHaveProperty('sdpOffer');
		expect((await number('GET', '/v1/calls/call_sbx0001?includeSdp=1')).body).toHaveProperty(
			'sdpOffer',
		);
		const missing = await number('GET', '/v1/calls/call_nope');
		expect([missing.status, missing.body.code]).toEqual([404, 'CALL_NOT_FOUND']);
	});

	test('settings: partial PUT of the documented fields; sip and unknown values refused', async () => {
		expect((await number('GET', '/v1/calls/settings')).body.calling).toMatchObject({
			status: 'ENABLED',
		});
		expect(
			(await number('PUT', '/v1/calls/settings', { call_icon_visibility: 'DISABLE_ALL' })).body,
		).toEqual({ success: true });
		expect((await number('GET', '/v1/calls/settings')).body.calling).toMatchObject({
			status: 'ENABLED',
			call_icon_visibility: 'DISABLE_ALL',
		});
		for (const bad of [{ sip: { status: 'ENABLED' } }, { status: 'ON' }, {}])
			expect([bad, (await number('PUT', '/v1/calls/settings', bad)).status]).toEqual([bad, 400]);
	});

	test('permission: none until the contact writes; requests only in the window, twice a day', async () => {
		const probe = async () =>
			(await number('GET', `/v1/calls/permissions?to=${encodeURIComponent(CUSTOMER)}`)).body;
		expect(await probe()).toMatchObject({ permission: { status: 'no_permission' } });
		const outside = await number('POST', '/v1/calls/permissions/request', { to: CUSTOMER });
		expect(outside.status).toBe(400);
		await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'Oi' });
		expect(await probe()).toMatchObject({ permission: { status: 'temporary' } });
		for (let n = 0; n < 2; n++) {
			const asked = await number('POST', '/v1/calls/permissions/request', {
				to: CUSTOMER,
				text: 'Podemos te ligar?',
			});
			expect(asked.body).toEqual({ messageId: expect.stringMatching(/^wamid\./) });
		}
		const limited = await number('POST', '/v1/calls/permissions/request', { to: CUSTOMER });
		expect([limited.status, limited.body.code]).toEqual([
			429,
			'META_CALL_PERMISSION_REQUEST_LIMIT',
		]);
	});
});
