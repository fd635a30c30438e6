import type { IDataObject } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Call → Get Many, Get, Get / Update Settings, Get / Request Permission against the sandbox, in
// n8n's engine, with both key readings (the number's key, or the tenant key and Sending Number).
const sandbox = useSandbox();
const [suporte] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const retries = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const run = (
	parameters: IDataObject,
	options: { credential?: ReturnType<typeof sandbox.credential>; settings?: IDataObject } = {},
) =>
	runNode({
		parameters: { resource: 'call', ...parameters },
		credential: options.credential ?? sandbox.credential({ apiKey: NUMBER_KEY }),
		settings: options.settings,
	});

const callRequests = async (method: string, path: string) =>
	(await sandbox.requests()).filter(
		(request) => request.method === method && request.path === path,
	);

beforeEach(async () => {
	await sandbox.configureNumber(suporte.id, { provider: 'META' });
});

describe('Call → Get Many and Get', () => {
	test('Limit reads back through the before cursor, newest first, one shape without SDP', async () => {
		await sandbox.addCalls(suporte.id, 5);
		const { items, error } = await run({ operation: 'getAll', limit: 3 });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual([
			'call_sbx0005',
			'call_sbx0004',
			'call_sbx0003',
		]);
		expect(Object.keys(items[0].json).sort()).toEqual(
			[
				'connectedAt',
				'createdAt',
				'direction',
				'durationSeconds',
				'endedAt',
				'externalCallId',
				'id',
				'peerNumber',
				'startedAt',
				'status',
				'updatedAt',
			].sort(),
		);
		expect(items[0].json.peerNumber).toBe(CUSTOMER);
		const [request] = await callRequests('GET', '/v1/calls');
		expect(request.query).toEqual({ limit: '3' });
	});

	test('Return All pages with before until a short page: every call once', async () => {
		await sandbox.addCalls(suporte.id, 230);
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect(items).toHaveLength(230);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(230);
		const requests = await callRequests('GET', '/v1/calls');
		expect(requests.map((request) => request.query.limit)).toEqual(['100', '100', '100']);
		expect(requests[1].query.before).toBe(items[99].json.createdAt);
	});

	test('the tenant key with Sending Number (x-whatsapp-number-id), or without it explained', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		await sandbox.addCalls(suporte.id, 2);
		const withNumber = await run(
			{ operation: 'getAll', returnAll: true, sendingNumberId: byId(suporte.id) },
			{ credential: sandbox.credential() },
		);
		expect(withNumber.items).toHaveLength(2);
		const without = await run({ operation: 'getAll' }, { credential: sandbox.credential() });
		expect(without.error?.message).toMatch(/403 TENANT_SCOPE_NOT_ALLOWED/);
		expect(without.error?.description).toMatch(/Sending Number/);
	});

	test('Get by the Meta id; a call of no such id is explained', async () => {
		await sandbox.addCalls(suporte.id, 1);
		const { items } = await run({ operation: 'get', callId: 'wacid.SBX0001' });
		expect(items[0].json).toMatchObject({ id: 'call_sbx0001', direction: 'INBOUND' });
		const missing = await run({ operation: 'get', callId: 'call_nope' });
		expect(missing.error?.message).toMatch(/no such call \(404 CALL_NOT_FOUND\)/);
	});

	test('a number that cannot call (FEATURE_NOT_SUPPORTED) is explained', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'PILOT_STATUS' });
		const { error } = await run({ operation: 'getAll' });
		expect(error?.message).toMatch(/cannot make or receive WhatsApp calls.*FEATURE_NOT_SUPPORTED/);
		expect(error?.description).toMatch(/Meta/);
	});

	test.each<[string, IDataObject, RegExp]>([
		['a bad Before', { operation: 'getAll', callsBefore: 'ontem' }, /Before "ontem" is not a date/],
		['a Limit of 0', { operation: 'getAll', limit: 0 }, /Limit "0" is not a whole number/],
		['an empty Call ID', { operation: 'get', callId: ' ' }, /Call ID is empty/],
	])('%s is refused before sending', async (_name, parameters, message) => {
		const { error } = await run(parameters);
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect((await sandbox.requests()).filter((r) => r.path.startsWith('/v1/calls'))).toHaveLength(
			0,
		);
	});
});

describe('Call → Settings', () => {
	test('Get: the settings under readable names', async () => {
		const { items, error } = await run({ operation: 'getSettings' });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			status: 'ENABLED',
			callIconVisibility: 'DEFAULT',
			callbackPermissionStatus: 'ENABLED',
			callHours: { status: 'DISABLED' },
			voicemail: null,
		});
	});

	test('Update sends only the settings added, under Meta’s names', async () => {
		const { items, error } = await run({
			operation: 'updateSettings',
			callSettings: { callIconVisibility: 'DISABLE_ALL', callHours: '{"status": "ENABLED"}' },
		});
		expect(error).toBeUndefined();
		const [request] = await callRequests('PUT', '/v1/calls/settings');
		expect(request.body).toEqual({
			call_icon_visibility: 'DISABLE_ALL',
			call_hours: { status: 'ENABLED' },
		});
		expect(items[0].json).toEqual({ updated: true, changed: request.body });
		expect((await sandbox.calls(suporte.id)).settings).toMatchObject({
			call_icon_visibility: 'DISABLE_ALL',
		});
	});

	test.each<[string, IDataObject, RegExp]>([
		['nothing to change', {}, /Settings to Change is empty/],
		[
			'Call Hours that are not JSON',
			{ callHours: '{status' },
			/Call Hours \(JSON\) is not a JSON object/,
		],
	])('Update refuses %s before sending', async (_name, callSettings, message) => {
		const { error } = await run({ operation: 'updateSettings', callSettings });
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(await callRequests('PUT', '/v1/calls/settings')).toHaveLength(0);
	});

	test('Meta’s 138015 (messaging limit too low to call) is explained', async () => {
		await sandbox.fault({
			type: 'status',
			status: 400,
			body: { error: 'Meta error 138015: calling not available for this number' },
			path: '/v1/calls/settings',
			count: 1,
		});
		const { error } = await run({
			operation: 'updateSettings',
			callSettings: { status: 'ENABLED' },
		});
		record('faults');
		expect(error?.message).toMatch(/messaging limit below 2,000 a day/);
	});
});

describe('Call → Permission', () => {
	test('Get: the status in the event’s upper case, with what is allowed now', async () => {
		await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'Oi' });
		const { items, error } = await run({
			operation: 'getPermission',
			callPhoneNumber: '11 97777-6666',
		});
		expect(error).toBeUndefined();
		const [request] = await callRequests('GET', '/v1/calls/permissions');
		expect(request.query).toEqual({ to: CUSTOMER });
		expect(items[0].json).toMatchObject({
			phoneNumber: CUSTOMER,
			status: 'TEMPORARY',
			expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			canCall: true,
			canRequestPermission: true,
		});
	});

	test('Request: one message asking the contact; under Retry On Fail a lost answer is not sent again', async () => {
		await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'Oi' });
		const asked = await run({
			operation: 'requestPermission',
			callPhoneNumber: CUSTOMER,
			callPermissionText: 'Podemos te ligar?',
		});
		expect(asked.items[0].json).toMatchObject({
			phoneNumber: CUSTOMER,
			requested: true,
			messageId: expect.stringMatching(/^wamid\./),
		});
		const [request] = await callRequests('POST', '/v1/calls/permissions/request');
		expect(request.body).toEqual({ to: CUSTOMER, text: 'Podemos te ligar?' });
		await sandbox.fault({
			type: 'reset',
			afterHandling: true,
			method: 'POST',
			path: '/v1/calls/permissions/request',
			count: 1,
		});
		const lost = await run(
			{ operation: 'requestPermission', callPhoneNumber: CUSTOMER },
			{ settings: retries },
		);
		record('sideEffects');
		expect(lost.error?.message).toMatch(/may or may not have been made/);
		expect(await callRequests('POST', '/v1/calls/permissions/request')).toHaveLength(2);
		expect((await sandbox.calls(suporte.id)).requests['5511977776666']).toHaveLength(2);
	});

	test('Meta’s request limit is explained', async () => {
		await sandbox.fault({
			type: 'status',
			status: 429,
			body: { error: 'limit', code: 'META_CALL_PERMISSION_REQUEST_LIMIT' },
			path: '/v1/calls/permissions/request',
			count: 1,
		});
		const { error } = await run({ operation: 'requestPermission', callPhoneNumber: CUSTOMER });
		expect(error?.message).toMatch(/asked too often.*META_CALL_PERMISSION_REQUEST_LIMIT/);
	});

	test('a phone number that fits no country is refused before sending', async () => {
		const { error } = await run({ operation: 'requestPermission', callPhoneNumber: '123' });
		record('badInputs');
		expect(error?.message).toMatch(/Phone Number/);
		expect(await callRequests('POST', '/v1/calls/permissions/request')).toHaveLength(0);
	});
});
