import { sleep } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

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
const startWaitFor = (
	numberId: string,
	extra: IDataObject = {},
	items?: INodeExecutionData[],
	settings?: Partial<INode>,
) =>
	startWait({
		parameters: waitParameters(numberId, extra),
		credential: sandbox.credential(),
		items,
		settings,
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

/**
 * The customer scans: the sandbox number turns OPEN (its own delivery to the resume URL reaches
 * nothing here, since no n8n listens), and the call Pilot Status makes is handed to the wait.
 */
async function scanAndNotify(
	wait: Awaited<ReturnType<typeof startWaitFor>>,
	numberId: string,
	query?: IDataObject,
) {
	await sandbox.scan(numberId);
	return await wait.call({
		query: query ?? (await registeredQuery()),
		body: { event: 'number.connected', data: { id: 'evt_1', numberId } },
	});
}

const HOUR = 3_600_000;
const SECRET = 'a1'.repeat(32);

/** A webhook shaped like another wait's temporary one; each field can be made odd. */
function temporaryLike({
	numberId,
	executionId = '7',
	until = new Date(Date.now() - HOUR),
	origin = 'http://127.0.0.1:5678',
	query = `number=${numberId}&started=${Date.now() - 2 * HOUR}&secret=${SECRET}&signature=x`,
	url = `${origin}/webhook-waiting/${executionId}?${query}`,
	name = `n8n Wait for Connection · execution ${executionId} · until ${until.toISOString()}`,
}: {
	numberId: string;
	executionId?: string;
	until?: Date;
	origin?: string;
	query?: string;
	url?: string;
	name?: string;
}): IDataObject {
	return { url, name, events: ['number.connected'], whatsappNumberId: numberId };
}

async function seedWebhook(body: IDataObject): Promise<string> {
	const created = await sandbox.api('POST', '/v1/webhooks', { body });
	expect(created.status).toBe(201);
	return String(created.body.id);
}

const sentRequests = async () =>
	(await sandbox.requests()).map((request) => `${request.method} ${request.path}`);

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
		const stale = await seedWebhook(temporaryLike({ numberId, executionId: '7' }));
		await startWaitFor(numberId);
		expect((await temporaryWebhooks()).map((webhook) => webhook.id)).not.toContain(stale);
		expect(await temporaryWebhooks()).toHaveLength(1);
	});
});

describe('resuming when Pilot Status calls', () => {
	test('number.connected resumes with the same output as polling, and the temporary webhook is deleted', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const resumed = await scanAndNotify(wait, numberId);
		expect(resumed.resumed).toBe(true);
		expect(resumed.run?.status).toBe('success');
		expect(resumed.items?.[0].json).toEqual({
			numberId,
			connected: true,
			reason: null,
			state: 'OPEN',
			isFullyConnected: true,
			waitedSeconds: expect.any(Number),
			// One status check when the wait began, one confirming the event.
			polls: 2,
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
		await sandbox.scan(numberId);
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
		const resumed = await scanAndNotify(
			wait,
			second,
			Object.fromEntries(new URL(String(current?.url)).searchParams),
		);
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
			await sandbox.control('POST', `/numbers/${numberId}/disconnect`);
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
		const resumed = await scanAndNotify(wait, numberId);
		expect(resumed.error).toBeUndefined();
		expect(resumed.items?.[0].json.connected).toBe(true);
		await temporaryWebhooksGone();
	});
});

describe('issue 18 item 2: the event is a hint; only Pilot Status’s status says connected', () => {
	test('a forged number.connected with the right secret, while the number is pairing, changes nothing', async () => {
		// Whoever holds the number's own key can list its webhooks, read this URL with its secret and post.
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId, { ifNotConnected: 'output' });
		const forged = await wait.call({
			query: await registeredQuery(),
			body: { event: 'number.connected', data: { id: 'evt_forged', numberId } },
		});
		expect(forged).toMatchObject({
			resumed: false,
			answer: {
				status: 409,
				body: {
					error:
						'Pilot Status does not confirm number.connected: the number is CONNECTING. Still waiting.',
				},
			},
		});
		// The wait asked the service, and kept its webhook for the real event.
		expect((await sentRequests()).slice(-1)[0]).toBe(`GET /v1/numbers/${numberId}/status`);
		expect(await temporaryWebhooks()).toHaveLength(1);
		// Still waiting: at Give Up After it ends as not connected.
		const { items } = await wait.byTimeout();
		expect(items[0].json).toMatchObject({ connected: false, reason: 'timeout' });
		record('forgedEvents');
	});

	test('after a forged event, the real one still resumes the wait connected', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		const query = await registeredQuery();
		const forged = await wait.call({
			query,
			body: { event: 'number.connected', data: { numberId } },
		});
		expect(forged.resumed).toBe(false);
		const real = await scanAndNotify(wait, numberId, query);
		expect(real.items?.[0].json).toMatchObject({ numberId, connected: true, state: 'OPEN' });
		await temporaryWebhooksGone();
		record('forgedEvents');
	});

	test('OPEN but not fully connected is not a connection yet', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		await sandbox.fault({
			type: 'status',
			status: 200,
			body: { state: 'OPEN', isFullyConnected: false },
			method: 'GET',
			path: `/v1/numbers/${numberId}/status`,
		});
		const call = await wait.call({
			query: await registeredQuery(),
			body: { event: 'number.connected', data: { numberId } },
		});
		expect(call).toMatchObject({
			resumed: false,
			answer: {
				status: 409,
				body: {
					error:
						'Pilot Status does not confirm number.connected: the number is OPEN but not fully connected. Still waiting.',
				},
			},
		});
		record('forgedEvents');
	});

	test('a status check that fails keeps the execution waiting (503, so the service retries), webhook kept', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId);
		await sandbox.scan(numberId);
		await sandbox.fault({
			type: 'status',
			status: 500,
			method: 'GET',
			path: `/v1/numbers/${numberId}/status`,
		});
		const query = await registeredQuery();
		const call = await wait.call({
			query,
			body: { event: 'number.connected', data: { numberId } },
		});
		expect(call).toMatchObject({ resumed: false, answer: { status: 503 } });
		expect(await temporaryWebhooks()).toHaveLength(1);
		// The service's retry, once the status check works again, resumes it.
		const retried = await wait.call({
			query,
			body: { event: 'number.connected', data: { numberId } },
		});
		expect(retried.items?.[0].json).toMatchObject({ connected: true });
		await temporaryWebhooksGone();
		record('faults');
	});

	test('with Stop When Disconnected, a forged number.disconnected while pairing changes nothing', async () => {
		const numberId = await sandbox.newNumber();
		const wait = await startWaitFor(numberId, { options: { stopWhenDisconnected: true } });
		const call = await wait.call({
			query: await registeredQuery(),
			body: { event: 'number.disconnected', data: { numberId } },
		});
		expect(call).toMatchObject({
			resumed: false,
			answer: {
				status: 409,
				body: {
					error:
						'Pilot Status does not confirm number.disconnected: the number is CONNECTING. Still waiting.',
				},
			},
		});
		expect(await temporaryWebhooks()).toHaveLength(1);
		record('forgedEvents');
	});
});

describe('issue 18 item 3: the sweep deletes only this package’s own expired temporary webhooks', () => {
	test('webhooks that only look like temporary ones are kept; the expired real one goes', async () => {
		const numberId = await sandbox.newNumber();
		const until = new Date(Date.now() - HOUR).toISOString();
		const lookalikes: Record<string, IDataObject> = {
			'a user’s webhook whose name starts like a temporary one': temporaryLike({
				numberId,
				url: 'https://example.com/hooks/onboarding',
			}),
			'another n8n’s': temporaryLike({ numberId, origin: 'https://n8n.other.example.com' }),
			'a production webhook URL of this n8n': temporaryLike({
				numberId,
				url: `http://127.0.0.1:5678/webhook/7?number=${numberId}&started=1&secret=${SECRET}`,
			}),
			'a secret of another shape': temporaryLike({
				numberId,
				query: `number=${numberId}&started=1&secret=not-ours`,
			}),
			'no secret': temporaryLike({ numberId, query: `number=${numberId}&started=1` }),
			'no start': temporaryLike({ numberId, query: `number=${numberId}&secret=${SECRET}` }),
			'a name naming another execution than its URL': temporaryLike({
				numberId,
				name: `n8n Wait for Connection · execution 8 · until ${until}`,
			}),
			'a deadline that is not a date': temporaryLike({
				numberId,
				name: 'n8n Wait for Connection · execution 7 · until someday',
			}),
			'a name with more after the deadline': temporaryLike({
				numberId,
				name: `n8n Wait for Connection · execution 7 · until ${until} (keep)`,
			}),
			'a wait still under way': temporaryLike({
				numberId,
				until: new Date(Date.now() + HOUR),
			}),
		};
		const kept: Record<string, string> = {};
		for (const [label, body] of Object.entries(lookalikes)) kept[label] = await seedWebhook(body);
		const expired = await seedWebhook(temporaryLike({ numberId, executionId: '9' }));
		await startWaitFor(numberId);
		const left = (await sandbox.state()).webhooks.map((webhook) => webhook.id);
		expect(left).not.toContain(expired);
		expect(Object.keys(kept).filter((label) => !left.includes(kept[label]))).toEqual([]);
		Object.keys(kept).forEach(() => record('webhookSweeps'));
	});

	test('list entries with fields missing or odd are never deleted', async () => {
		const numberId = await sandbox.newNumber();
		const temporary = temporaryLike({ numberId });
		await sandbox.fault({
			type: 'status',
			status: 200,
			method: 'GET',
			path: '/v1/webhooks',
			body: [
				{ ...temporary, id: 'wh_no_url', url: undefined },
				{ ...temporary, id: 'wh_url_not_text', url: 42 },
				{ ...temporary, id: 'wh_no_name', name: undefined },
				{ ...temporary, id: 'wh_url_not_a_url', url: 'not a url' },
				{ ...temporary, id: undefined },
				{ ...temporary, id: null },
				'not a webhook',
				null,
			],
		});
		const wait = await startWaitFor(numberId);
		expect(wait.first.status).toBe('waiting');
		expect(await sentRequests()).toEqual([
			'POST /v1/numbers',
			'GET /v1/webhooks',
			'POST /v1/webhooks',
			`GET /v1/numbers/${numberId}/status`,
		]);
		for (let kind = 0; kind < 8; kind += 1) record('webhookSweeps');
	});
});

describe('issue 18 item 4: a wait that fails leaves no temporary webhook behind', () => {
	test('the registration’s answer is lost: the webhook it made is found by its URL and deleted', async () => {
		const numberId = await sandbox.newNumber();
		await sandbox.fault({
			type: 'reset',
			afterHandling: true,
			method: 'POST',
			path: '/v1/webhooks',
		});
		const wait = await startWaitFor(numberId);
		expect(wait.first.status).toBe('error');
		expect(wait.first.data.resultData.error?.message).toBeDefined();
		expect(await temporaryWebhooks()).toEqual([]);
		const sent = await sentRequests();
		expect(sent.slice(1, -1)).toEqual([
			'GET /v1/webhooks',
			'POST /v1/webhooks',
			'GET /v1/webhooks',
		]);
		expect(sent.slice(-1)[0]).toMatch(/^DELETE \/v1\/webhooks\/wh_/);
		record('faults');
	});

	test('registered without a usable ID, then the status check fails: deleted by its URL', async () => {
		const numberId = await sandbox.newNumber();
		await sandbox.fault({
			type: 'status',
			status: 201,
			body: { id: '..' },
			afterHandling: true,
			method: 'POST',
			path: '/v1/webhooks',
		});
		await sandbox.fault({
			type: 'status',
			status: 500,
			method: 'GET',
			path: `/v1/numbers/${numberId}/status`,
		});
		const wait = await startWaitFor(numberId);
		expect(wait.first.status).toBe('error');
		expect(await temporaryWebhooks()).toEqual([]);
		const deletes = (await sentRequests()).filter((request) => request.startsWith('DELETE'));
		expect(deletes).toHaveLength(1);
		expect(deletes[0]).toMatch(/^DELETE \/v1\/webhooks\/wh_/);
		record('faults');
	});

	test('Retry On Fail: a webhook an earlier try could not remove is removed by the next try; one is left', async () => {
		const numberId = await sandbox.newNumber();
		// The first try's registration answer is lost, and so is its cleanup's listing (the second
		// listing: the first is the sweep before registering).
		await sandbox.fault({
			type: 'reset',
			afterHandling: true,
			method: 'POST',
			path: '/v1/webhooks',
		});
		await sandbox.fault({
			type: 'status',
			status: 500,
			skip: 1,
			method: 'GET',
			path: '/v1/webhooks',
		});
		const wait = await startWaitFor(numberId, {}, undefined, {
			retryOnFail: true,
			maxTries: 2,
			waitBetweenTries: 0,
		});
		expect(wait.first.status).toBe('waiting');
		const posts = (await sandbox.requests()).filter(
			(request) => request.method === 'POST' && request.path === '/v1/webhooks',
		);
		expect(posts).toHaveLength(2);
		const left = await temporaryWebhooks();
		expect(left).toHaveLength(1);
		// The one left is the second try's: its URL is the one a resume is checked against.
		const resumed = await scanAndNotify(
			wait,
			numberId,
			Object.fromEntries(new URL(String(left[0].url)).searchParams),
		);
		expect(resumed.items?.[0].json).toMatchObject({ connected: true });
		await temporaryWebhooksGone();
		record('faults');
	});
});

describe('issue 18 item 5: Give Up After is checked before anything is sent', () => {
	test.each<[string, number | string, RegExp]>([
		[
			'an absurdly large number',
			1e300,
			/^Give Up After \(Minutes\) is 1e\+300; use at most 525600 \(a year\)/,
		],
		['Infinity', '={{ Infinity }}', /^Give Up After \(Minutes\) is Infinity; use at most 525600/],
		['a negative number', -5, /^Give Up After \(Minutes\) is -5; use a positive number/],
		['NaN', '={{ NaN }}', /^Give Up After \(Minutes\) is NaN; use a positive number/],
	])(
		'%s is an input error, and nothing is swept or registered',
		async (label, timeout, message) => {
			const numberId = await sandbox.newNumber();
			const wait = await startWaitFor(numberId, { timeout });
			expect(wait.first.data.resultData.error?.message).toMatch(message);
			expect(await sentRequests()).toEqual(['POST /v1/numbers']);
			record('badInputs');
		},
	);
});

describe('issue 18 item 11: webhook IDs from answers stay inside their path segment', () => {
	test.each([['..'], ['.'], ['a/b'], ['../numbers/num_suporte']])(
		'a listed temporary webhook with the ID %j is never put in a path',
		async (id) => {
			const numberId = await sandbox.newNumber();
			await sandbox.fault({
				type: 'status',
				status: 200,
				method: 'GET',
				path: '/v1/webhooks',
				body: [{ ...temporaryLike({ numberId }), id }],
			});
			await startWaitFor(numberId);
			expect((await sentRequests()).filter((request) => request.startsWith('DELETE'))).toEqual([]);
			record('webhookSweeps');
		},
	);

	test('a registration answered with the ID ".." is cleaned up by its URL, not by that ID', async () => {
		await sandbox.fault({
			type: 'status',
			status: 201,
			body: { id: '..' },
			afterHandling: true,
			method: 'POST',
			path: '/v1/webhooks',
		});
		const wait = await startWaitFor(suporte.id);
		expect(wait.first.status).toBe('success');
		expect(await temporaryWebhooks()).toEqual([]);
		const deletes = (await sentRequests()).filter((request) => request.startsWith('DELETE'));
		expect(deletes).toHaveLength(1);
		expect(deletes[0]).toMatch(/^DELETE \/v1\/webhooks\/wh_/);
		record('faults');
	});
});
