import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { dataUriToBuffer, pngSize } from './helpers/png';
import { startReceiver } from './helpers/receiver';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';

// The sandbox stands in for the real service, so its contract is tested on its own, over HTTP.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;

describe('authentication and scopes', () => {
	test('no key or an unknown key is 401 with the documented body', async () => {
		for (const key of [null, 'ps_example_unknown']) {
			const response = await sandbox.api('GET', '/v1/numbers', { key });
			expect(response).toMatchObject({ status: 401, body: { error: 'Unauthorized' } });
		}
	});

	test('x-api-key-id resolves to the key it names', async () => {
		const response = await sandbox.api('GET', '/v1/numbers', {
			key: SEED.tenantKey.id,
			keyHeader: 'x-api-key-id',
		});
		expect(response.status).toBe(200);
	});

	test('a number-scoped key on a tenant endpoint is 403 NUMBER_SCOPE_NOT_ALLOWED', async () => {
		for (const path of ['/v1/numbers', '/v1/api-keys', `/v1/numbers/${suporte.id}/status`]) {
			const response = await sandbox.api('GET', path, { key: NUMBER_KEY });
			expect(response).toEqual(
				expect.objectContaining({
					status: 403,
					body: {
						error: 'Number-scoped keys cannot call tenant endpoints',
						code: 'NUMBER_SCOPE_NOT_ALLOWED',
					},
				}),
			);
		}
	});

	test('remote pairing endpoints are public', async () => {
		const link = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
			body: { name: 'Acme', number: '5511955554444' },
		});
		const token = String(link.body.remotePairingUrl).split('/').pop();
		const info = await sandbox.api('GET', `/v1/remote-pairing/${token}`, { key: null });
		expect(info).toMatchObject({
			status: 200,
			body: { valid: true, name: 'Acme', state: 'CLOSE' },
		});
	});
});

describe('numbers', () => {
	test('create validates the phone number (400) and name', async () => {
		const badPhone = await sandbox.api('POST', '/v1/numbers', {
			body: { name: 'X', number: '12345' },
		});
		const noName = await sandbox.api('POST', '/v1/numbers', { body: { number: '5511955554444' } });
		expect(badPhone.status).toBe(400);
		expect(noName.status).toBe(400);
		expect(badPhone.body.error).toMatch(/^Validation error/);
	});

	test('create answers 201 with a real PNG QR code, a pairing code and CONNECTING', async () => {
		const response = await sandbox.api('POST', '/v1/numbers', {
			body: { name: 'Loja', number: '+5511955554444' },
		});
		expect(response.status).toBe(201);
		expect(response.body.instance).toMatchObject({
			number: '5511955554444',
			status: 'CONNECTING',
			isFullyConnected: false,
		});
		expect(response.body.pairingCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
		expect(String(response.body.qrcodeBase64)).toMatch(/^data:image\/png;base64,/);
		expect(pngSize(dataUriToBuffer(response.body.qrcodeBase64))).toEqual({
			width: 264,
			height: 264,
		});
	});

	test('connect is 409 while OPEN and starts pairing while CLOSE', async () => {
		expect((await sandbox.api('GET', `/v1/numbers/${suporte.id}/connect`)).status).toBe(409);
		const response = await sandbox.api('GET', `/v1/numbers/${vendas.id}/connect`);
		expect(response.status).toBe(200);
		expect(Object.keys(response.body).sort()).toEqual(['pairingCode', 'qrcodeBase64']);
		expect((await sandbox.state()).numbers.find((number) => number.id === vendas.id)?.state).toBe(
			'CONNECTING',
		);
	});

	test('unknown ids are 404, and an encoded ../ stays inside its path segment', async () => {
		expect((await sandbox.api('GET', '/v1/numbers/num_missing')).status).toBe(404);
		const traversal = await sandbox.api('GET', '/v1/numbers/..%2Fapi-keys');
		expect(traversal.status).toBe(404);
	});

	test('status has both documented shapes and both spellings of the closed state', async () => {
		expect((await sandbox.api('GET', `/v1/numbers/${vendas.id}/status`)).body).toEqual({
			id: vendas.id,
			state: 'CLOSE',
		});
		await sandbox.variants({ statusShape: 'stateAndFlag', closedState: 'CLOSED' });
		expect((await sandbox.api('GET', `/v1/numbers/${vendas.id}/status`)).body).toEqual({
			state: 'CLOSED',
			isFullyConnected: false,
		});
	});

	test('delete removes the number and its key', async () => {
		expect((await sandbox.api('DELETE', `/v1/numbers/${suporte.id}`)).body).toEqual({ ok: true });
		expect((await sandbox.api('GET', `/v1/numbers/${suporte.id}`)).status).toBe(404);
		expect((await sandbox.api('POST', '/v1/api-keys/regenerate', { key: NUMBER_KEY })).status).toBe(
			401,
		);
	});
});

describe('API keys', () => {
	test('the list reveals revealable keys and gives null for legacy ones', async () => {
		const { body } = await sandbox.api('GET', '/v1/api-keys');
		expect(body).toEqual([
			expect.objectContaining({
				numberId: suporte.id,
				key: suporte.key.value,
				revealable: true,
				keyLast4: 'orte',
			}),
			expect.objectContaining({ numberId: vendas.id, key: null, revealable: false }),
		]);
	});

	test('regenerating a number key invalidates the old one at once; the new one is returned', async () => {
		const response = await sandbox.api('POST', '/v1/api-keys', {
			body: { whatsappNumberId: suporte.id },
		});
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ numberId: suporte.id, keyPrefix: 'ps_' });
		const fresh = String(response.body.key);
		expect(fresh).toMatch(/^ps_/);
		expect((await sandbox.api('POST', '/v1/api-keys/regenerate', { key: NUMBER_KEY })).status).toBe(
			401,
		);
		expect((await sandbox.api('GET', '/v1/webhooks', { key: fresh })).status).toBe(200);
	});

	test('regenerating an unknown number is 404 NUMBER_NOT_FOUND', async () => {
		const response = await sandbox.api('POST', '/v1/api-keys', {
			body: { whatsappNumberId: 'num_missing' },
		});
		expect(response).toMatchObject({ status: 404, body: { code: 'NUMBER_NOT_FOUND' } });
	});

	test('rotating the own key answers 201 and locks the old key out', async () => {
		const response = await sandbox.api('POST', '/v1/api-keys/regenerate');
		expect(response.status).toBe(201);
		expect(response.body).toMatchObject({ scope: 'tenant', whatsappNumberId: null });
		expect((await sandbox.api('GET', '/v1/numbers', { key: TENANT_KEY })).status).toBe(401);
		expect(
			(await sandbox.api('GET', '/v1/numbers', { key: String(response.body.key) })).status,
		).toBe(200);
	});
});

describe('remote pairing', () => {
	test('the guide shape and the playground shape', async () => {
		const body = { name: 'Acme', number: '5511955554444' };
		const guide = await sandbox.api('POST', '/v1/numbers/remote-pairing', { body });
		expect(guide.status).toBe(201);
		expect(guide.body).toMatchObject({
			instance: { state: 'CLOSE' },
			maskedNumber: '+551195****4444',
			messageSent: false,
		});
		await sandbox.variants({ remotePairingShape: 'playground' });
		const playground = await sandbox.api('POST', '/v1/numbers/remote-pairing', { body });
		expect(Object.keys(playground.body).sort()).toEqual([
			'numberId',
			'provider',
			'remotePairingToken',
			'remotePairingUrl',
		]);
		expect(String(playground.body.remotePairingToken)).toMatch(/^rp_/);
	});

	test('token connect gives a QR code, then 409 once connected; unknown tokens are 404', async () => {
		const link = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
			body: { name: 'Acme', number: '5511955554444' },
		});
		const token = String(link.body.remotePairingUrl).split('/').pop();
		const connect = await sandbox.api('POST', `/v1/remote-pairing/${token}/connect`, { key: null });
		expect(pngSize(dataUriToBuffer(connect.body.qrcodeBase64))).not.toBeNull();
		expect(
			(await sandbox.api('GET', `/v1/remote-pairing/${token}/status`, { key: null })).body,
		).toEqual({ state: 'CONNECTING', isFullyConnected: false });
		await sandbox.control('POST', `/remote-pairing/${token}/scan`);
		expect(
			(await sandbox.api('GET', `/v1/remote-pairing/${token}/status`, { key: null })).body,
		).toEqual({ state: 'OPEN', isFullyConnected: true });
		expect(
			(await sandbox.api('POST', `/v1/remote-pairing/${token}/connect`, { key: null })).status,
		).toBe(409);
		expect((await sandbox.api('GET', '/v1/remote-pairing/rp_unknown', { key: null })).status).toBe(
			404,
		);
	});
});

describe('webhooks and events', () => {
	test('creation rules: tenant keys name one number; unknown and mismatched numbers are refused', async () => {
		const url = 'https://example.com/hook';
		expect((await sandbox.api('POST', '/v1/webhooks', { body: { url } })).body.code).toBe(
			'NUMBER_REQUIRED',
		);
		expect(
			(await sandbox.api('POST', '/v1/webhooks', { body: { url, whatsappNumberId: 'num_x' } })).body
				.code,
		).toBe('NUMBER_NOT_FOUND');
		const mismatch = await sandbox.api('POST', '/v1/webhooks', {
			key: NUMBER_KEY,
			body: { url, whatsappNumberId: vendas.id },
		});
		expect(mismatch.body.code).toBe('NUMBER_MISMATCH');
		const viaHeader = await sandbox.api('POST', '/v1/webhooks', {
			body: { url, events: ['*'] },
			headers: { 'x-whatsapp-number-id': suporte.id },
		});
		expect(viaHeader.status).toBe(201);
		expect(viaHeader.body.whatsappNumberIds).toEqual([suporte.id]);
	});

	test('a simulated scan connects the number and delivers number.connected to its webhooks', async () => {
		const receiver = await startReceiver();
		try {
			const created = await sandbox.api('POST', '/v1/webhooks', {
				body: {
					url: `${receiver.url}/hook?secret=abc`,
					events: ['number.connected'],
					whatsappNumberId: vendas.id,
				},
			});
			const webhookId = String(created.body.id);
			const scan = await sandbox.control('POST', `/numbers/${vendas.id}/scan`);
			expect(scan.body.state).toBe('OPEN');
			expect(receiver.received).toHaveLength(1);
			expect(receiver.received[0].url).toBe('/hook?secret=abc');
			expect(receiver.received[0].body).toMatchObject({
				event: 'number.connected',
				data: { numberId: vendas.id, number: '+5511988888888' },
			});
			const logs = await sandbox.api('GET', `/v1/webhooks/${webhookId}/logs`);
			expect(logs.body).toEqual([
				expect.objectContaining({ event: 'number.connected', status: 'SUCCESS', statusCode: 200 }),
			]);
			expect((await sandbox.api('DELETE', `/v1/webhooks/${webhookId}`)).body).toEqual({ ok: true });
			expect((await sandbox.api('GET', `/v1/webhooks/${webhookId}`)).body.code).toBe(
				'WEBHOOK_NOT_FOUND',
			);
		} finally {
			await receiver.stop();
		}
	});

	test('health events reach only "*" webhooks; repeat re-sends the same event id', async () => {
		const receiver = await startReceiver();
		try {
			for (const events of [['number.connected'], ['*']]) {
				await sandbox.api('POST', '/v1/webhooks', {
					body: { url: `${receiver.url}/${events[0]}`, events, whatsappNumberId: suporte.id },
				});
			}
			await sandbox.control('POST', '/events', {
				numberId: suporte.id,
				event: 'number.health_degraded',
				repeat: 2,
			});
			expect(receiver.received.map((delivery) => delivery.url)).toEqual(['/*', '/*']);
			expect(receiver.received[0].body.data).toEqual(receiver.received[1].body.data);
		} finally {
			await receiver.stop();
		}
	});
});

describe('control surface', () => {
	test('faults: a 429 with Retry-After for the next request only', async () => {
		await sandbox.control('POST', '/faults', { type: 'status', status: 429, retryAfter: 7 });
		const limited = await sandbox.api('GET', '/v1/numbers');
		expect(limited).toMatchObject({ status: 429, body: { error: 'Too Many Requests' } });
		expect(limited.headers['retry-after']).toBe('7');
		expect((await sandbox.api('GET', '/v1/numbers')).status).toBe(200);
	});

	test('faults: HTML page, empty body, malformed JSON, corrupt QR code', async () => {
		await sandbox.fault({ type: 'html', status: 502 });
		await sandbox.fault({ type: 'empty' });
		await sandbox.fault({ type: 'malformedJson' });
		const html = await sandbox.api('GET', '/v1/numbers');
		expect(html.status).toBe(502);
		expect(String(html.body)).toContain('<html>');
		expect(await sandbox.api('GET', '/v1/numbers')).toMatchObject({ status: 200, body: undefined });
		expect(String((await sandbox.api('GET', '/v1/numbers')).body)).toMatch(/^\{"qrcodeBase64"/);
		await sandbox.fault({ type: 'badQr' });
		const connect = await sandbox.api('GET', `/v1/numbers/${vendas.id}/connect`);
		expect(pngSize(dataUriToBuffer(connect.body.qrcodeBase64))).toBeNull();
	});

	test('faults can target one path and method', async () => {
		await sandbox.fault({ type: 'status', status: 503, method: 'POST', path: '/v1/numbers' });
		expect((await sandbox.api('GET', '/v1/numbers')).status).toBe(200);
		expect(
			(await sandbox.api('POST', '/v1/numbers', { body: { name: 'A', number: '5511955554444' } }))
				.status,
		).toBe(503);
	});

	test('a reset connection and a slow answer', async () => {
		await sandbox.fault({ type: 'reset' });
		await expect(sandbox.api('GET', '/v1/numbers')).rejects.toThrow();
		await sandbox.fault({ type: 'slow', delayMs: 300 });
		const started = Date.now();
		expect((await sandbox.api('GET', '/v1/numbers')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	test('variants switch over HTTP, unknown settings are refused', async () => {
		expect((await sandbox.control('PUT', '/variants', { createStateField: 'state' })).status).toBe(
			200,
		);
		const created = await sandbox.api('POST', '/v1/numbers', {
			body: { name: 'A', number: '5511955554444' },
		});
		expect(created.body.instance).toMatchObject({ state: 'CONNECTING' });
		expect((await sandbox.control('PUT', '/variants', { nope: 1 })).status).toBe(400);
	});

	test('auto-connect pairs a number after N status polls', async () => {
		await sandbox.control('PUT', '/settings', { autoConnectAfterPolls: 2 });
		await sandbox.api('GET', `/v1/numbers/${vendas.id}/connect`);
		expect((await sandbox.api('GET', `/v1/numbers/${vendas.id}/status`)).body.state).toBe(
			'CONNECTING',
		);
		expect((await sandbox.api('GET', `/v1/numbers/${vendas.id}/status`)).body.state).toBe('OPEN');
	});

	describe('connectAfterSeconds: the customer scans by themselves', () => {
		interface ScheduledConnect {
			numberId: string;
			delayMs: number;
			outcome: string;
			connectedAt: string | null;
			deliveries: Array<{ webhookId: string; statusCode: number; durationMs: number }>;
		}
		const settings = (body: unknown) => sandbox.control('PUT', '/settings', body);
		const scheduled = async () =>
			(await sandbox.control('GET', '/state')).body
				.scheduledConnects as unknown as ScheduledConnect[];
		const stateOf = async (numberId: string) =>
			(await sandbox.state()).numbers.find((number) => number.id === numberId)?.state;
		const createNumber = async (number = '5511955554444') => {
			const { body } = await sandbox.api('POST', '/v1/numbers', { body: { name: 'Loja', number } });
			return String((body.instance as IDataObject).id);
		};
		/** Waits until every scheduled scan has run (or `timeoutMs` passed); returns the log. */
		const settled = async (timeoutMs = 5000) => {
			const started = Date.now();
			for (;;) {
				const log = await scheduled();
				if (
					log.every((entry) => !['pending', 'delivering'].includes(entry.outcome)) ||
					Date.now() - started > timeoutMs
				)
					return log;
				await sleep(50);
			}
		};

		test('off by default: a new number stays CONNECTING', async () => {
			expect((await sandbox.state()) as unknown).toMatchObject({
				settings: { autoConnectAfterPolls: 0, connectAfterSeconds: null },
			});
			const id = await createNumber();
			await sleep(400);
			expect(await stateOf(id)).toBe('CONNECTING');
			expect(await scheduled()).toEqual([]);
		});

		test('Create: OPEN after the delay, number.connected delivered to its webhooks, no poll needed', async () => {
			const receiver = await startReceiver();
			try {
				expect((await settings({ connectAfterSeconds: [0.4, 0.4] })).body).toEqual({
					autoConnectAfterPolls: 0,
					connectAfterSeconds: [0.4, 0.4],
				});
				const started = Date.now();
				const id = await createNumber();
				const webhook = await sandbox.api('POST', '/v1/webhooks', {
					body: {
						url: `${receiver.url}/wait?secret=s`,
						events: ['number.connected'],
						whatsappNumberId: id,
					},
				});
				expect(await stateOf(id)).toBe('CONNECTING');
				const [entry] = await settled();
				expect(Date.now() - started).toBeGreaterThanOrEqual(390);
				expect(entry).toMatchObject({ numberId: id, delayMs: 400, outcome: 'connected' });
				expect(entry.deliveries).toEqual([
					expect.objectContaining({ webhookId: webhook.body.id, statusCode: 200 }),
				]);
				expect(await stateOf(id)).toBe('OPEN');
				expect(receiver.received).toHaveLength(1);
				expect(receiver.received[0]).toMatchObject({
					url: '/wait?secret=s',
					body: { event: 'number.connected', data: { numberId: id, state: 'OPEN' } },
				});
				// The scan happened without a single status check.
				const polls = (await sandbox.requests()).filter((request) =>
					request.path.endsWith('/status'),
				);
				expect(polls).toEqual([]);
			} finally {
				await receiver.stop();
			}
		});

		test('delays spread over [min, max]; Connect and a remote pairing link schedule too', async () => {
			await settings({ connectAfterSeconds: [0.1, 0.6] });
			const created = [];
			for (let index = 0; index < 6; index++)
				created.push(await createNumber(`551195555000${index}`));
			const connect = await sandbox.api('GET', `/v1/numbers/${vendas.id}/connect`);
			expect(connect.status).toBe(200);
			const link = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
				body: { name: 'Acme', number: '5511955559999' },
			});
			const token = String(link.body.remotePairingUrl).split('/').pop();
			const log = await settled();
			expect(log.map((entry) => entry.outcome)).toEqual(Array(8).fill('connected'));
			for (const entry of log) {
				expect(entry.delayMs).toBeGreaterThanOrEqual(100);
				expect(entry.delayMs).toBeLessThanOrEqual(600);
			}
			expect(new Set(log.map((entry) => entry.delayMs)).size).toBeGreaterThan(1);
			for (const id of [...created, vendas.id]) expect(await stateOf(id)).toBe('OPEN');
			expect(
				(await sandbox.api('GET', `/v1/remote-pairing/${token}/status`, { key: null })).body,
			).toEqual({ state: 'OPEN', isFullyConnected: true });
		});

		test('a number scanned or removed before its time is left alone; connecting again reschedules', async () => {
			const receiver = await startReceiver();
			try {
				await settings({ connectAfterSeconds: 0.3 });
				const scannedEarly = await createNumber('5511955550001');
				const removed = await createNumber('5511955550002');
				await sandbox.api('POST', '/v1/webhooks', {
					body: { url: receiver.url, events: ['*'], whatsappNumberId: scannedEarly },
				});
				await sandbox.scan(scannedEarly);
				await sandbox.api('DELETE', `/v1/numbers/${removed}`);
				await sandbox.api('GET', `/v1/numbers/${vendas.id}/connect`);
				await sandbox.api('GET', `/v1/numbers/${vendas.id}/connect`);
				const log = await settled();
				expect(log.map(({ numberId, outcome }) => ({ numberId, outcome }))).toEqual([
					{ numberId: scannedEarly, outcome: 'skipped: state OPEN' },
					{ numberId: removed, outcome: 'cancelled' },
					{ numberId: vendas.id, outcome: 'cancelled' },
					{ numberId: vendas.id, outcome: 'connected' },
				]);
				// One number.connected for the early scan, none from the skipped scheduled one.
				expect(
					receiver.received.filter((delivery) => delivery.body.event === 'number.connected'),
				).toHaveLength(1);
			} finally {
				await receiver.stop();
			}
		});

		test('null turns it off and cancels pending scans; reset does too', async () => {
			await settings({ connectAfterSeconds: [0.3, 0.3] });
			const first = await createNumber('5511955550001');
			expect((await settings({ connectAfterSeconds: null })).body.connectAfterSeconds).toBeNull();
			await sleep(500);
			expect(await stateOf(first)).toBe('CONNECTING');
			expect((await scheduled()).map((entry) => entry.outcome)).toEqual(['cancelled']);

			await settings({ connectAfterSeconds: [0.3, 0.3] });
			const second = await createNumber('5511955550002');
			await sandbox.control('POST', '/reset');
			expect((await sandbox.state()) as unknown).toMatchObject({
				settings: { connectAfterSeconds: null },
			});
			await sleep(500);
			expect(
				(await sandbox.state()).numbers.find((number) => number.id === second),
			).toBeUndefined();
			expect(await scheduled()).toEqual([]);
		});

		test('invalid ranges are refused with a 400 that says what is accepted', async () => {
			for (const value of [[2, 1], [-1, 2], [1], [1, 2, 3], 'soon', [0, 0], -5, [1, 90_000], {}]) {
				const response = await settings({ connectAfterSeconds: value });
				expect(response.status).toBe(400);
				expect(String(response.body.error)).toMatch(/^connectAfterSeconds must be null \(off\)/);
			}
			expect((await settings({ connectAfterSeconds: 30 })).body.connectAfterSeconds).toEqual([
				30, 30,
			]);
			expect((await settings({ connectAfterSeconds: [30, 120] })).body.connectAfterSeconds).toEqual(
				[30, 120],
			);
			expect((await settings({ connectAfter: 1 })).status).toBe(400);
		});
	});

	test('the request log records header names and the resolved key, never key values', async () => {
		await sandbox.api('GET', '/v1/numbers');
		await sandbox.api('POST', '/v1/api-keys', { body: { whatsappNumberId: suporte.id } });
		const log = await sandbox.control('GET', '/requests');
		expect(log.body).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: '/v1/numbers',
				authHeaders: ['x-api-key'],
				keyId: SEED.tenantKey.id,
				status: 200,
			}),
			expect.objectContaining({ method: 'POST', path: '/v1/api-keys', status: 200 }),
		]);
		expect(JSON.stringify(log.body)).not.toContain(TENANT_KEY);
	});

	test('reset restores the seed', async () => {
		await sandbox.api('DELETE', `/v1/numbers/${suporte.id}`);
		await sandbox.control('POST', '/reset');
		expect((await sandbox.control('GET', '/requests')).body).toEqual([]);
		expect((await sandbox.api('GET', '/v1/numbers')).body).toHaveLength(2);
	});
});
