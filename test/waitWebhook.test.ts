import { sleep } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';
import { startWait } from './helpers/waiting';

// Wait for Connection, Resume When: Pilot Status Notifies, in n8n-core's engine: the execution is
// put to wait, then resumed the two ways n8n resumes it (a call to the resume URL, or the timeout).
// e2e/waiting.test.js proves the same in a real n8n (database, restart, the sandbox calling back).
const sandbox = useSandbox();
const [suporte] = SEED.numbers;

const waitParameters = (numberId: string, extra: IDataObject = {}) => ({
	resource: 'number',
	operation: 'waitForConnection',
	numberId: { __rl: true, mode: 'id', value: numberId },
	resumeWhen: 'webhook',
	timeout: 30,
	...extra,
});

/** Runs the node until its execution waits for `numberId` (Resume When: Pilot Status Notifies). */
const startWaitFor = (numberId: string, extra: IDataObject = {}, items?: INodeExecutionData[]) =>
	startWait({
		parameters: waitParameters(numberId, extra),
		credential: sandbox.credential(),
		items,
	});

async function temporaryWebhooks() {
	return (await sandbox.state()).webhooks.filter((webhook) =>
		String(webhook.name).startsWith('n8n Wait for Connection'),
	);
}

/**
 * The resume deletes the temporary webhook after answering Pilot Status (receivers must answer
 * quickly), so the deletion is awaited here.
 */
async function temporaryWebhooksGone() {
	for (let tries = 0; tries < 50 && (await temporaryWebhooks()).length > 0; tries += 1) {
		await sleep(100);
	}
	expect(await temporaryWebhooks()).toEqual([]);
}

/** The query Pilot Status will call the resume URL with: what the node registered. */
async function registeredQuery(): Promise<IDataObject> {
	const [webhook] = await temporaryWebhooks();
	return Object.fromEntries(new URL(String(webhook.url)).searchParams);
}

describe('putting the execution to wait', () => {
	test('registers a temporary webhook at the resume URL and waits, holding nothing', async () => {
		const numberId = await sandbox.newNumber();
		const started = Date.now();
		const wait = await startWaitFor(numberId);
		expect(wait.first.status).toBe('waiting');
		expect(new Date(wait.first.waitTill!).getTime()).toBeGreaterThanOrEqual(
			started + 30 * 60_000 - 1000,
		);
		const [webhook, ...others] = await temporaryWebhooks();
		expect(others).toEqual([]);
		expect(webhook).toMatchObject({
			whatsappNumberIds: [numberId],
			events: ['number.connected'],
			name: expect.stringMatching(/^n8n Wait for Connection · execution 1 · until \d{4}-/),
		});
		const url = new URL(String(webhook.url));
		expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:5678/webhook-waiting/1');
		expect([...url.searchParams.keys()].sort()).toEqual([
			'number',
			'secret',
			'signature',
			'started',
		]);
		// One status check, for a customer who paired before the webhook existed.
		expect(
			(await sandbox.requests()).map((request) => `${request.method} ${request.path}`),
		).toEqual([
			'POST /v1/numbers',
			'GET /v1/webhooks',
			'POST /v1/webhooks',
			`GET /v1/numbers/${numberId}/status`,
		]);
	});

	test('Stop When Disconnected subscribes to number.disconnected too', async () => {
		const numberId = await sandbox.newNumber();
		await startWaitFor(numberId, { options: { stopWhenDisconnected: true } });
		expect((await temporaryWebhooks())[0].events).toEqual([
			'number.connected',
			'number.disconnected',
		]);
	});

	test('a number that is already connected does not wait, and leaves no webhook', async () => {
		const wait = await startWaitFor(suporte.id);
		expect(wait.first.status).toBe('success');
		expect(
			wait.first.data.resultData.runData['Pilot Status'][0].data!.main[0]![0].json,
		).toMatchObject({
			numberId: suporte.id,
			connected: true,
			reason: null,
			state: 'OPEN',
		});
		expect(await temporaryWebhooks()).toEqual([]);
	});

	test('several items are refused before anything is registered', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId, {}, [{ json: {} }, { json: {} }]);
		expect(wait.first.data.resultData.error?.message).toBe(
			'Resume When: Pilot Status Notifies waits for one number per execution, but this node received 2 items. Nothing was sent.',
		);
		expect(await temporaryWebhooks()).toEqual([]);
	});

	test('a rate limit on registering or on the status check is ridden out, then waits as usual', async () => {
		const numberId = await sandbox.newNumber();
		await sandbox.fault({
			type: 'status',
			status: 429,
			retryAfter: 1,
			method: 'POST',
			path: '/v1/webhooks',
		});
		await sandbox.fault({
			type: 'status',
			status: 429,
			method: 'GET',
			path: `/v1/numbers/${numberId}/status`,
		});
		const wait = await startWaitFor(numberId);
		expect(wait.first.status).toBe('waiting');
		const sent = (await sandbox.requests()).map(
			(request) => `${request.method} ${request.path} ${request.status}`,
		);
		expect(sent.slice(2)).toEqual([
			'POST /v1/webhooks 429',
			'POST /v1/webhooks 201',
			`GET /v1/numbers/${numberId}/status 429`,
			`GET /v1/numbers/${numberId}/status 200`,
		]);
		expect(await temporaryWebhooks()).toHaveLength(1);
	});

	test('a rate limit that lasts fails the item with the 429 message; one webhook at most', async () => {
		const numberId = await sandbox.newNumber();
		await sandbox.fault({
			type: 'status',
			status: 429,
			retryAfter: 120,
			method: 'POST',
			path: '/v1/webhooks',
		});
		const wait = await startWaitFor(numberId);
		expect(wait.first.data.resultData.error?.message).toMatch(
			/^Pilot Status is rate limiting requests \(429 Too Many Requests\)\. Nothing was changed\. Wait 120 s and run it again\.$/,
		);
		expect((await sandbox.requests()).filter((request) => request.method === 'POST').length).toBe(
			2,
		);
		expect(await temporaryWebhooks()).toEqual([]);
	});

	test('temporary webhooks of waits long over are removed by the next wait', async () => {
		const numberId = await sandbox.newNumber();
		const stale = await sandbox.api('POST', '/v1/webhooks', {
			body: {
				url: 'http://127.0.0.1:5678/webhook-waiting/7?secret=x',
				name: `n8n Wait for Connection · execution 7 · until ${new Date(Date.now() - 3_600_000).toISOString()}`,
				events: ['number.connected'],
				whatsappNumberId: numberId,
			},
		});
		await startWaitFor(numberId);
		expect((await temporaryWebhooks()).map((webhook) => webhook.id)).not.toContain(stale.body.id);
		expect(await temporaryWebhooks()).toHaveLength(1);
	});
});

describe('resuming when Pilot Status calls', () => {
	test('number.connected resumes with the same output as polling, and the temporary webhook is deleted', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const query = await registeredQuery();
		const resumed = await wait.call({
			query,
			body: {
				event: 'number.connected',
				data: { id: 'evt_1', numberId },
				createdAt: new Date().toISOString(),
			},
		});
		expect(resumed.resumed).toBe(true);
		expect(resumed.run?.status).toBe('success');
		expect(resumed.items?.[0].json).toEqual({
			numberId,
			connected: true,
			reason: null,
			state: 'OPEN',
			isFullyConnected: true,
			waitedSeconds: expect.any(Number),
			polls: 1,
		});
		await temporaryWebhooksGone();
		// Deleted by the ID the registration returned: no listing of every wait's webhook.
		const [webhookId] = (await sandbox.requests())
			.filter((request) => request.method === 'DELETE')
			.map((request) => request.path);
		expect(
			(await sandbox.requests()).slice(-2).map((request) => `${request.method} ${request.path}`),
		).toEqual([`GET /v1/numbers/${numberId}/status`, `DELETE ${webhookId}`]);
		expect(webhookId).toMatch(/^\/v1\/webhooks\/wh_/);
	});

	test('Pilot Status gets its answer without waiting for the cleanup', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const query = await registeredQuery();
		await sandbox.fault({ type: 'slow', delayMs: 3000, method: 'DELETE' });
		const started = Date.now();
		const resumed = await wait.call({
			query,
			body: { event: 'number.connected', data: { numberId } },
		});
		expect(resumed.answer).toEqual({ received: true, resumed: true });
		expect(resumed.resumed).toBe(true);
		expect(Date.now() - started).toBeLessThan(2500);
		await sleep(3000);
		await temporaryWebhooksGone();
	});

	test.each<[string, (query: IDataObject) => IDataObject, number]>([
		[
			'no secret',
			(query) => Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'secret')),
			401,
		],
		['a wrong secret', (query) => ({ ...query, secret: 'f'.repeat(64) }), 401],
		['the secret of another number', (query) => ({ ...query, number: suporte.id }), 401],
		['a forged start time', (query) => ({ ...query, started: '1' }), 401],
	])('a call with %s is refused and the execution keeps waiting', async (_name, forge, status) => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const query = forge(await registeredQuery());
		const call = await wait.call({
			query,
			body: { event: 'number.connected', data: { numberId } },
		});
		expect(call).toMatchObject({ resumed: false, answer: { status } });
		expect(await temporaryWebhooks()).toHaveLength(1);
		record('trigger');
	});

	test('a later round of the same node in the same execution ignores an earlier round’s URL', async () => {
		// A loop that onboards one number per round: each round waits in the same node, with the same
		// resume URL. The first round's URL (its secret valid) must not end the second round's wait.
		const first = await sandbox.newNumber();
		await startWaitFor(first);
		const earlierQuery = await registeredQuery();
		const second = await sandbox.newNumber();
		const wait = await startWaitFor(second);
		const late = await wait.call({
			query: earlierQuery,
			body: { event: 'number.connected', data: { numberId: first } },
		});
		expect(late).toMatchObject({
			resumed: false,
			answer: { status: 200, body: { ignored: 'an earlier wait of this node' } },
		});
		const current = (await temporaryWebhooks()).find((webhook) =>
			String(webhook.url).includes(`number=${second}`),
		);
		expect(current).toBeDefined();
		const resumed = await wait.call({
			query: Object.fromEntries(new URL(String(current?.url)).searchParams),
			body: { event: 'number.connected', data: { numberId: second } },
		});
		expect(resumed.items?.[0].json).toMatchObject({ numberId: second, connected: true });
		record('trigger');
	});

	test('an event naming another number is refused (403)', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const call = await wait.call({
			query: await registeredQuery(),
			body: { event: 'number.connected', data: { numberId: suporte.id } },
		});
		expect(call).toMatchObject({ resumed: false, answer: { status: 403 } });
		record('trigger');
	});

	test.each([['message.received'], ['number.disconnected'], ['not an event']])(
		'%s does not end the wait',
		async (event) => {
			const numberId = await sandbox.newNumber();
			const wait = await startWaitFor(numberId);
			const call = await wait.call({
				query: await registeredQuery(),
				body: { event, data: { numberId } },
			});
			expect(call).toMatchObject({
				resumed: false,
				answer: { status: 200, body: { ignored: 'still waiting' } },
			});
		},
	);

	test('with Stop When Disconnected, number.disconnected ends the wait: an item, or a failure', async () => {
		for (const ifNotConnected of ['output', 'fail']) {
			await sandbox.control('POST', '/reset');
			const numberId = await sandbox.newNumber();
			const wait = await startWaitFor(numberId, {
				ifNotConnected,
				options: { stopWhenDisconnected: true },
			});
			const resumed = await wait.call({
				query: await registeredQuery(),
				body: { event: 'number.disconnected', data: { numberId } },
			});
			expect(resumed.resumed).toBe(true);
			if (ifNotConnected === 'output') {
				expect(resumed.items?.[0].json).toMatchObject({
					connected: false,
					reason: 'disconnected',
					state: 'CLOSED',
				});
			} else {
				expect(resumed.error?.message).toBe(
					`Pairing of number "${numberId}" stopped: it is disconnected (CLOSED)`,
				);
			}
			await temporaryWebhooksGone();
		}
	});
});

describe('resuming when the wait times out', () => {
	test('If Not Connected → Output: connected false, reason timeout (n8n runs no node code then)', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId, { ifNotConnected: 'output' });
		const { items, run } = await wait.byTimeout();
		expect(run.status).toBe('success');
		expect(items[0].json).toEqual({
			numberId,
			connected: false,
			reason: 'timeout',
			state: 'CONNECTING',
			isFullyConnected: false,
			waitedSeconds: 1800,
			polls: 1,
		});
	});

	test('If Not Connected → Fail the Item: the node fails with the polling mode’s message', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const { error } = await wait.byTimeout();
		expect(error?.message).toBe(
			`Number "${numberId}" did not connect within 30 min (last state: CONNECTING)`,
		);
	});

	test('a connected resume is never turned into that failure', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const resumed = await wait.call({
			query: await registeredQuery(),
			body: { event: 'number.connected', data: { numberId } },
		});
		expect(resumed.error).toBeUndefined();
		expect(resumed.items?.[0].json.connected).toBe(true);
	});
});
