import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startCutOffProxy } from './helpers/badServers';
import {
	CREATE_NUMBER_PARAMETERS,
	SEND_PATH,
	customerPhones,
	shopItems,
	textSendParameters,
	tooManyRequests,
} from './helpers/fixtures';
import { listSearch, runNode } from './helpers/n8n';
import type { LoggedRequest } from './helpers/sandbox';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';
import { activeTrigger } from './helpers/trigger';
import type { ActiveTrigger } from './helpers/trigger';

// Issue 23, "Rate limits during a run": a 429 is a refusal, so the node waits it out and sends the
// request again (a send or a create too), at least a second apart, as long as Retry-After asks,
// within the item's Timeout; nothing whose outcome is unknown is ever sent again. On the previous
// code every 429 failed its item at once.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const numberKey = () => sandbox.credential({ apiKey: NUMBER_KEY });
const MAY_HAVE_BEEN_SENT = /The message may or may not have gone out/;

/** The sandbox logs when each request arrived (not in LoggedRequest's type). */
const arrivedAt = (request: LoggedRequest) =>
	Date.parse((request as LoggedRequest & { at: string }).at);

async function requestsTo(method: string, path: string): Promise<LoggedRequest[]> {
	return (await sandbox.requests()).filter(
		(request) => request.method === method && request.path.startsWith(path),
	);
}

/** The pauses between consecutive requests, in ms. */
const gapsBetween = (requests: LoggedRequest[]) =>
	requests.slice(1).map((request, index) => arrivedAt(request) - arrivedAt(requests[index]));

const customers = (count: number): INodeExecutionData[] =>
	customerPhones(count).map((phone) => ({ json: { phone } }));

async function sendText(items: INodeExecutionData[], extra: IDataObject = {}) {
	return await runNode({
		parameters: textSendParameters('Promoção de dezembro', extra),
		credential: numberKey(),
		items,
		settings: { onError: 'continueRegularOutput' },
	});
}

describe('a 429 burst in the middle of a campaign', () => {
	test('every message is accepted exactly once and no item fails', async () => {
		// Every second send is refused, ten times in all.
		await sandbox.fault(
			tooManyRequests('POST', SEND_PATH, {
				body: { error: 'Too many requests' },
				share: 0.5,
				count: 10,
			}),
		);
		const items = customers(20);
		const { items: output, error } = await sendText(items);
		record('faults');
		record('sideEffects');
		expect(error).toBeUndefined();
		expect(output.filter((item) => item.json.error !== undefined)).toEqual([]);
		expect(output.map((item) => item.json.status)).toEqual(items.map(() => 'QUEUED'));
		const accepted = (await sandbox.messages()).map((message) => message.to).sort();
		expect(accepted).toEqual(items.map((item) => item.json.phone).sort());
		const sends = await requestsTo('POST', SEND_PATH);
		expect(sends.filter((request) => request.status === 429)).toHaveLength(10);
		expect(sends).toHaveLength(30);
	});

	test('a Deliver At that passes while a 429 is waited out: the message goes at once, not refused as past', async () => {
		await sandbox.fault(tooManyRequests('POST', SEND_PATH, { retryAfter: 4, count: 1 }));
		const deliverAt = new Date(Date.now() + 3000).toISOString();
		const { items, error } = await sendText(customers(1), { options: { deliverAt } });
		record('faults');
		record('sideEffects');
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'QUEUED', deliverAt: null });
		const sends = await requestsTo('POST', SEND_PATH);
		expect(sends.map((request) => request.status)).toEqual([429, 202]);
		expect(sends[1].body?.deliverAt).toBeUndefined();
		expect(await sandbox.messages()).toHaveLength(1);
	});

	test('a routed operation (Number → Create, items sent at once) rides it out: each made once', async () => {
		await sandbox.fault(tooManyRequests('POST', '/v1/numbers', { share: 0.5, count: 2 }));
		const { items, error } = await runNode({
			parameters: CREATE_NUMBER_PARAMETERS,
			credential: sandbox.credential(),
			items: shopItems(4),
		});
		record('faults');
		record('sideEffects');
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.name)).toEqual(['Loja 0', 'Loja 1', 'Loja 2', 'Loja 3']);
		const made = (await sandbox.state()).numbers.filter((number) => number.name.startsWith('Loja'));
		expect(made.map((number) => number.name).sort()).toEqual([
			'Loja 0',
			'Loja 1',
			'Loja 2',
			'Loja 3',
		]);
		const posts = await requestsTo('POST', '/v1/numbers');
		expect(posts.filter((request) => request.status === 429)).toHaveLength(2);
		expect(posts).toHaveLength(6);
	});

	test('a custom operation (Group → Create) rides it out too: one group is made', async () => {
		await sandbox.fault(tooManyRequests('POST', '/v1/groups', { count: 2 }));
		const { items, error } = await runNode({
			parameters: { resource: 'group', operation: 'create', groupSubject: 'Equipe' },
			credential: numberKey(),
		});
		record('faults');
		record('sideEffects');
		expect(error).toBeUndefined();
		expect(items[0].json.subject).toBe('Equipe');
		expect(
			(await sandbox.groups(suporte.id)).filter((group) => group.subject === 'Equipe'),
		).toHaveLength(1);
		expect((await requestsTo('POST', '/v1/groups')).map((request) => request.status)).toEqual([
			429, 429, 201,
		]);
	});
});

describe('how long the node waits', () => {
	const getStatus = async (timeout?: number) =>
		await runNode({
			parameters: {
				resource: 'number',
				operation: 'getStatus',
				numberId: byId(suporte.id),
				...(timeout ? { requestOptions: { timeout } } : {}),
			},
			credential: sandbox.credential(),
		});
	const statusPath = `/v1/numbers/${suporte.id}/status`;

	test('Retry-After in seconds is honoured (measured between the two requests)', async () => {
		await sandbox.fault(tooManyRequests(undefined, statusPath, { retryAfter: 2, count: 1 }));
		const { error } = await getStatus();
		record('faults');
		expect(error).toBeUndefined();
		const [gap] = gapsBetween(await requestsTo('GET', statusPath));
		expect(gap).toBeGreaterThanOrEqual(2000);
		expect(gap).toBeLessThan(3500);
	});

	test('Retry-After as an HTTP date is honoured', async () => {
		const date = new Date(Date.now() + 4000).toUTCString();
		await sandbox.fault(tooManyRequests(undefined, statusPath, { retryAfter: date, count: 1 }));
		const { error } = await getStatus();
		record('faults');
		expect(error).toBeUndefined();
		const [gap] = gapsBetween(await requestsTo('GET', statusPath));
		// The date has whole seconds: it is between 3 and 4 s away when it is sent.
		expect(gap).toBeGreaterThanOrEqual(2500);
		expect(gap).toBeLessThan(5500);
	});

	test('never faster than a second, even when Retry-After says 0; without it, doubling', async () => {
		await sandbox.fault(tooManyRequests(undefined, statusPath, { retryAfter: 0, count: 2 }));
		expect((await getStatus()).error).toBeUndefined();
		const zero = gapsBetween(await requestsTo('GET', statusPath));
		await sandbox.control('DELETE', '/requests');
		await sandbox.fault(tooManyRequests(undefined, statusPath, { count: 2 }));
		expect((await getStatus()).error).toBeUndefined();
		const doubling = gapsBetween(await requestsTo('GET', statusPath));
		record('faults', 2);
		expect(zero).toHaveLength(2);
		for (const gap of zero) expect(gap).toBeGreaterThanOrEqual(1000);
		expect(doubling).toHaveLength(2);
		expect(doubling[0]).toBeGreaterThanOrEqual(1000);
		expect(doubling[1]).toBeGreaterThanOrEqual(2000);
	});

	test('429s that last longer than the Timeout fail the item in time, with the fix', async () => {
		await sandbox.fault(tooManyRequests('POST', SEND_PATH, { count: 1000 }));
		const started = Date.now();
		const { items, error } = await sendText(customers(1), { requestOptions: { timeout: 3000 } });
		const elapsed = Date.now() - started;
		record('deadlines');
		expect(error).toBeUndefined();
		const message = String(items[0].json.error);
		expect(message).toMatch(
			/^Pilot Status is rate limiting requests \(429 Too Many Requests\)\. Nothing was changed\. The request was refused \d times; the next wait \([\d.]+ s\) would pass this item's Timeout \(3 s\)\. Pace the sends \(Message → Send → Options → Pace\) or send fewer at a time \(Settings → Request Options → Batching\), or raise Settings → Request Options → Timeout, and run it again\.$/,
		);
		expect(message).not.toContain(NUMBER_KEY);
		expect(elapsed).toBeLessThan(3000 + 1500);
		expect((await requestsTo('POST', SEND_PATH)).length).toBeGreaterThanOrEqual(2);
		expect(await sandbox.messages()).toEqual([]);
	});

	test('a custom call (Group → Create) keeps to its Timeout the same way', async () => {
		await sandbox.fault(tooManyRequests('POST', '/v1/groups', { count: 1000 }));
		const started = Date.now();
		const { error } = await runNode({
			parameters: {
				resource: 'group',
				operation: 'create',
				groupSubject: 'Equipe',
				requestOptions: { timeout: 2500 },
			},
			credential: numberKey(),
		});
		record('deadlines');
		expect(error?.message).toMatch(
			/Nothing was changed\. The request was refused \d times; the next wait \([\d.]+ s\) would pass this item's Timeout \(2\.5 s\)\. Send fewer items at a time/,
		);
		expect(Date.now() - started).toBeLessThan(2500 + 1500);
	});

	test('a Retry-After longer than a minute fails at once with how long to wait', async () => {
		await sandbox.fault(tooManyRequests(undefined, statusPath, { retryAfter: 120, count: 1 }));
		const started = Date.now();
		const { error } = await getStatus();
		record('faults');
		expect(error?.message).toBe(
			'Pilot Status is rate limiting requests (429 Too Many Requests). Nothing was changed. The request was refused once and Retry-After asks to wait 120 s, longer than the node waits by itself. Wait 120 s and run it again.',
		);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await requestsTo('GET', statusPath)).toHaveLength(1);
	});

	test('a stopped execution stops the wait', async () => {
		await sandbox.fault(tooManyRequests(undefined, statusPath, { retryAfter: 30, count: 1 }));
		const started = Date.now();
		const { error } = await runNode({
			parameters: { resource: 'number', operation: 'getStatus', numberId: byId(suporte.id) },
			credential: sandbox.credential(),
			cancelAfterMs: 500,
		});
		record('deadlines');
		expect(Date.now() - started).toBeLessThan(2000);
		expect(await requestsTo('GET', statusPath)).toHaveLength(1);
		if (error) expect(error.message).not.toContain(sandbox.credential().apiKey as string);
	});
});

describe('only a whole 429 is sent again', () => {
	test.each([
		['a dropped connection', { type: 'reset' as const }],
		['a server error (503)', { type: 'status' as const, status: 503 }],
	])('%s after a send: sent once, the item says it may have gone out', async (_name, fault) => {
		await sandbox.fault({ ...fault, method: 'POST', path: SEND_PATH, count: 1 });
		const { items } = await sendText(customers(1));
		record('faults');
		record('sideEffects');
		expect(String(items[0].json.error)).toMatch(MAY_HAVE_BEEN_SENT);
		expect(await requestsTo('POST', SEND_PATH)).toHaveLength(1);
	});

	test('a 429 for a limit no wait lifts (Meta’s call permission requests) fails at once', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const path = '/v1/calls/permissions/request';
		await sandbox.fault(
			tooManyRequests(undefined, path, {
				body: { error: 'limit', code: 'META_CALL_PERMISSION_REQUEST_LIMIT' },
				count: 1,
			}),
		);
		const started = Date.now();
		const { error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'requestPermission',
				callPhoneNumber: '+5511977776666',
			},
			credential: numberKey(),
		});
		record('faults');
		expect(error?.message).toMatch(/asked too often.*META_CALL_PERMISSION_REQUEST_LIMIT/);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await requestsTo('POST', path)).toHaveLength(1);
	});

	test('a 429 whose body was cut off is an unknown outcome: not sent again', async () => {
		await sandbox.fault(tooManyRequests('POST', SEND_PATH, { count: 1 }));
		const proxy = await startCutOffProxy({
			upstream: sandbox.url,
			cut: (request) => request.method === 'POST',
		});
		try {
			const { items } = await runNode({
				parameters: {
					resource: 'message',
					operation: 'send',
					sendTo: 'phone',
					recipientPhoneNumber: '+5511977770000',
					messageType: 'text',
					text: 'Olá',
				},
				credential: sandbox.credential({ apiKey: NUMBER_KEY, baseUrl: proxy.url }),
				settings: { onError: 'continueRegularOutput' },
			});
			record('cutOff');
			expect(String(items[0].json.error)).toMatch(
				/was cut off before it was complete \(status 429/,
			);
			expect(String(items[0].json.error)).toMatch(MAY_HAVE_BEEN_SENT);
			expect(proxy.received.filter((request) => request.method === 'POST')).toHaveLength(1);
		} finally {
			await proxy.stop();
		}
	});
});

describe('every request path rides out a 429', () => {
	let trigger: ActiveTrigger | undefined;
	afterEach(async () => {
		await trigger?.stop();
		trigger = undefined;
	});

	test('a picker (list search) still lists', async () => {
		await sandbox.fault(tooManyRequests('GET', '/v1/numbers', { count: 1 }));
		const { results } = await listSearch({
			method: 'searchNumbers',
			credential: sandbox.credential(),
		});
		record('faults');
		expect(results.map((result) => result.value)).toContain(suporte.id);
		expect((await requestsTo('GET', '/v1/numbers')).map((request) => request.status)).toEqual([
			429, 200,
		]);
	});

	test('the trigger registers its webhooks (one per number, none twice)', async () => {
		trigger = await activeTrigger({
			parameters: { events: ['number.connected'], numbers: 'all' },
			credential: sandbox.credential(),
		});
		await sandbox.fault(tooManyRequests('POST', '/v1/webhooks', { count: 1 }));
		await trigger.activate();
		record('trigger');
		const webhooks = (await sandbox.state()).webhooks;
		expect(webhooks.map((webhook) => webhook.whatsappNumberIds)).toEqual(
			SEED.numbers.map((number) => [number.id]),
		);
		expect((await requestsTo('POST', '/v1/webhooks')).map((request) => request.status)).toEqual([
			429, 201, 201,
		]);
	});

	test('public remote pairing calls (no credential)', async () => {
		const { body } = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
			body: { name: 'Acme', number: '5511955554444' },
		});
		const token = String(body.remotePairingUrl).split('/').pop()!;
		const path = `/v1/remote-pairing/${token}`;
		await sandbox.fault(tooManyRequests('GET', path, { count: 1 }));
		const { items, error } = await runNode({
			parameters: {
				resource: 'remotePairing',
				operation: 'getInfo',
				pairingLink: token,
				options: { apiBaseUrl: sandbox.url },
			},
			credential: null,
		});
		record('faults');
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect((await requestsTo('GET', path)).map((request) => request.status)).toEqual([429, 200]);
	});
});
