import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const QUICK = { pollInterval: 0.5, timeout: 0.2 };

async function waitFor(
	numberId: string | IDataObject,
	parameters: IDataObject = {},
	items?: Array<{ json: IDataObject }>,
) {
	const started = Date.now();
	const result = await runNode({
		parameters: {
			resource: 'number',
			operation: 'waitForConnection',
			numberId:
				typeof numberId === 'string' ? { __rl: true, mode: 'id', value: numberId } : numberId,
			...QUICK,
			...parameters,
		},
		credential: sandbox.credential(),
		items,
	});
	return { ...result, seconds: (Date.now() - started) / 1000 };
}

const statusPolls = async () =>
	(await sandbox.requests()).filter((request) => request.path.endsWith('/status'));

test('continues once the number connects, with the final state, the time taken and the polls', async () => {
	const numberId = await sandbox.newNumber();
	await sandbox.settings({ autoConnectAfterPolls: 3 });
	const { items, error } = await waitFor(numberId);
	expect(error).toBeUndefined();
	expect(items).toHaveLength(1);
	expect(items[0].json).toEqual({
		numberId,
		connected: true,
		reason: null,
		state: 'OPEN',
		isFullyConnected: true,
		waitedSeconds: expect.any(Number),
		polls: 3,
	});
	expect(items[0].json.waitedSeconds).toBeGreaterThanOrEqual(0.9);
	expect(await statusPolls()).toHaveLength(3);
});

test('a number that is already connected ends the wait at the first poll', async () => {
	const { items } = await waitFor(suporte.id);
	expect(items[0].json).toMatchObject({ connected: true, polls: 1 });
});

test('a timeout fails the item by default, with what to do next', async () => {
	const numberId = await sandbox.newNumber();
	const { error, seconds } = await waitFor(numberId, { timeout: 0.02 });
	expect(error?.message).toBe(
		`Number "${numberId}" did not connect within 0.02 min (last state: CONNECTING)`,
	);
	expect(error?.description).toContain('Send a reminder or a fresh QR code');
	expect(seconds).toBeGreaterThanOrEqual(1.2);
	expect(seconds).toBeLessThan(5);
});

test('paired but never fully connected: the timeout says so, not “send a fresh QR code”', async () => {
	const numberId = await sandbox.newNumber();
	await sandbox.fault({
		type: 'status',
		status: 200,
		body: { state: 'OPEN', isFullyConnected: false },
		path: `/v1/numbers/${numberId}/status`,
		count: 100,
	});
	const { error } = await waitFor(numberId, { timeout: 0.02 });
	expect(error?.message).toBe(
		`Number "${numberId}" paired but was not fully connected within 0.02 min (state OPEN, isFullyConnected false)`,
	);
	expect(error?.description).toMatch(/^Pilot Status is still finishing the connection/);
});

test('a timeout can output connected: false instead', async () => {
	const numberId = await sandbox.newNumber();
	const { items, error } = await waitFor(numberId, { timeout: 0.02, ifNotConnected: 'output' });
	expect(error).toBeUndefined();
	expect(items[0].json).toMatchObject({
		numberId,
		connected: false,
		reason: 'timeout',
		state: 'CONNECTING',
	});
	expect(Number(items[0].json.polls)).toBeGreaterThanOrEqual(3);
});

describe('a number that falls back to CLOSED', () => {
	async function disconnectDuringWait(numberId: string, parameters: IDataObject) {
		const waiting = waitFor(numberId, parameters);
		await sleep(700);
		await sandbox.control('POST', `/numbers/${numberId}/disconnect`);
		return waiting;
	}

	test('ends the wait early when the user chose so', async () => {
		const numberId = await sandbox.newNumber();
		const { items, seconds } = await disconnectDuringWait(numberId, {
			ifNotConnected: 'output',
			options: { stopWhenDisconnected: true },
		});
		expect(items[0].json).toMatchObject({
			connected: false,
			reason: 'disconnected',
			state: 'CLOSED',
		});
		expect(seconds).toBeLessThan(3);
	});

	test('fails with its own message in fail mode', async () => {
		const numberId = await sandbox.newNumber();
		const { error } = await disconnectDuringWait(numberId, {
			options: { stopWhenDisconnected: true },
		});
		expect(error?.message).toBe(
			`Pairing of number "${numberId}" stopped: it is disconnected (CLOSED)`,
		);
	});

	test('keeps waiting otherwise', async () => {
		const numberId = await sandbox.newNumber();
		const { items } = await disconnectDuringWait(numberId, {
			timeout: 0.03,
			ifNotConnected: 'output',
		});
		expect(items[0].json).toMatchObject({ connected: false, reason: 'timeout', state: 'CLOSED' });
	});

	test('a number that never started pairing is not "disconnected"', async () => {
		const { items } = await waitFor(vendas.id, {
			timeout: 0.02,
			ifNotConnected: 'output',
			options: { stopWhenDisconnected: true },
		});
		expect(items[0].json).toMatchObject({ reason: 'timeout', state: 'CLOSED' });
	});
});

describe('trouble while polling', () => {
	test('429 backs off (honouring Retry-After) and the wait goes on', async () => {
		const numberId = await sandbox.newNumber();
		await sandbox.settings({ autoConnectAfterPolls: 1 });
		await sandbox.fault({
			type: 'status',
			status: 429,
			retryAfter: 1,
			path: '/v1/numbers/',
			count: 1,
		});
		await sandbox.fault({ type: 'status', status: 429, path: '/v1/numbers/', count: 1 });
		const { items, error, seconds } = await waitFor(numberId);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ connected: true, polls: 3 });
		// 1 s asked by Retry-After, then at least twice the 0.5 s interval.
		expect(seconds).toBeGreaterThanOrEqual(2);
		expect((await statusPolls()).map((request) => request.status)).toEqual([429, 429, 200]);
	});

	test('a few server errors or dropped connections in a row are ridden out', async () => {
		const numberId = await sandbox.newNumber();
		await sandbox.settings({ autoConnectAfterPolls: 1 });
		await sandbox.fault({ type: 'status', status: 503, path: '/v1/numbers/' });
		await sandbox.fault({ type: 'reset', path: '/v1/numbers/' });
		const { items, error } = await waitFor(numberId, { pollInterval: 0.5, timeout: 0.5 });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ connected: true, polls: 3 });
	});

	test('persistent server errors fail with the mapped message', async () => {
		const numberId = await sandbox.newNumber();
		await sandbox.fault({
			type: 'status',
			status: 503,
			retryAfter: 0,
			path: '/v1/numbers/',
			count: 10,
		});
		const { error } = await waitFor(numberId, { timeout: 1 });
		expect(error?.message).toBe(
			'Pilot Status had a server error (503). Nothing was changed; try again later.',
		);
		expect(await statusPolls()).toHaveLength(4);
	});

	test('an unknown number fails at once', async () => {
		const { error } = await waitFor('num_gone');
		expect(error?.message).toBe(
			'There is no number with ID "num_gone" in this Pilot Status account (404). Nothing was changed.',
		);
	});
});

test('every item waits for its own number, side by side', async () => {
	const pairing = await sandbox.newNumber();
	await sandbox.settings({ autoConnectAfterPolls: 3 });
	const { items, seconds } = await waitFor(
		{ __rl: true, mode: 'id', value: '={{ $json.id }}' },
		{ timeout: 0.03, ifNotConnected: 'output' },
		[{ json: { id: suporte.id } }, { json: { id: pairing } }, { json: { id: vendas.id } }],
	);
	expect(
		items.map((item) => [
			item.json.numberId,
			item.json.connected,
			item.json.polls,
			item.pairedItem,
		]),
	).toEqual([
		[suporte.id, true, 1, { item: 0 }],
		[pairing, true, 3, { item: 1 }],
		[vendas.id, false, expect.any(Number), { item: 2 }],
	]);
	// In sequence this would take 0 + 1 + 1.8 s; side by side it takes as long as the slowest.
	expect(seconds).toBeLessThan(2.6);
});

test('with continue on fail, an item that cannot wait becomes an error item', async () => {
	const { items, error } = await runNode({
		parameters: {
			resource: 'number',
			operation: 'waitForConnection',
			numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			...QUICK,
		},
		credential: sandbox.credential(),
		settings: { onError: 'continueRegularOutput' },
		items: [{ json: { id: '../x' } }, { json: { id: suporte.id } }],
	});
	expect(error).toBeUndefined();
	expect(items.map((item) => item.json.error ?? item.json.connected)).toEqual([
		expect.stringContaining('is not a valid ID'),
		true,
	]);
});

describe('one item that fails fails the node without waiting for the others', () => {
	const byId = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

	test.each([
		['an invalid Number ID', { id: '../x', every: 0.5 }, 'is not a valid ID'],
		[
			'a bad Poll Every',
			{ id: vendas.id, every: 0.1 },
			'Poll Every (Seconds) is 0.1; use 0.5 or more.',
		],
	])('%s on a later item fails before any request is sent', async (_case, bad, message) => {
		const { error } = await waitFor(byId, { pollInterval: '={{ $json.every }}', timeout: 10 }, [
			{ json: { id: suporte.id, every: 0.5 } },
			{ json: bad },
		]);
		expect(error?.message).toContain(message);
		expect(error?.message).toContain('Nothing was sent.');
		expect(await sandbox.requests()).toEqual([]);
	});

	test('a failure while polling fails at once and stops the other waits', async () => {
		const pairing = await sandbox.newNumber();
		const { error, seconds } = await waitFor(byId, { timeout: 10 }, [
			{ json: { id: pairing } },
			{ json: { id: 'num_gone' } },
		]);
		expect(error?.message).toBe(
			'There is no number with ID "num_gone" in this Pilot Status account (404). Nothing was changed.',
		);
		// Not after Give Up After (10 min) of the item that is still pairing.
		expect(seconds).toBeLessThan(5);
		await sleep(1500);
		const pairingPolls = (await statusPolls()).filter((request) => request.path.includes(pairing));
		expect(pairingPolls).toHaveLength(1);
	});

	test('with continue on fail, the other items wait on and keep their results', async () => {
		const pairing = await sandbox.newNumber();
		await sandbox.settings({ autoConnectAfterPolls: 2 });
		const { items, error } = await runNode({
			parameters: {
				resource: 'number',
				operation: 'waitForConnection',
				numberId: byId,
				pollInterval: 0.5,
				timeout: 10,
			},
			credential: sandbox.credential(),
			settings: { onError: 'continueRegularOutput' },
			items: [{ json: { id: 'num_gone' } }, { json: { id: pairing } }],
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.error ?? item.json.connected, item.pairedItem])).toEqual([
			[expect.stringContaining('(404)'), { item: 0 }],
			[true, { item: 1 }],
		]);
		expect(items[1].json.polls).toBe(2);
	});
});

test('remote pairing: waits on the link, without a credential', async () => {
	const link = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
		body: { name: 'Acme', number: '5511955554444' },
	});
	const url = String(link.body.remotePairingUrl);
	await sandbox.api('POST', `/v1/remote-pairing/${url.split('/').pop()}/connect`, { key: null });
	await sandbox.settings({ autoConnectAfterPolls: 2 });
	const { items, error } = await runNode({
		parameters: {
			resource: 'remotePairing',
			operation: 'waitForConnection',
			pairingLink: url,
			...QUICK,
			options: { apiBaseUrl: sandbox.url },
		},
		credential: null,
	});
	expect(error).toBeUndefined();
	expect(items[0].json).toMatchObject({ connected: true, state: 'OPEN', polls: 2 });
	expect((await statusPolls()).every((request) => request.authHeaders.length === 0)).toBe(true);
});

describe('remote pairing: a link cleared once its number connects (as its docs say)', () => {
	async function linkThatClearsOnConnect() {
		await sandbox.variants({ pairingTokenAfterConnect: 'cleared' });
		const link = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
			body: { name: 'Acme', number: '5511955554444' },
		});
		return {
			url: String(link.body.remotePairingUrl),
			numberId: String((link.body.instance as IDataObject).id),
		};
	}
	const waitOn = (url: string) =>
		runNode({
			parameters: {
				resource: 'remotePairing',
				operation: 'waitForConnection',
				pairingLink: url,
				pollInterval: 0.5,
				timeout: 0.5,
				ifNotConnected: 'output',
				options: { apiBaseUrl: sandbox.url },
			},
			credential: null,
		});

	test('the customer pairs between two checks: the next check’s 404 ends the wait connected', async () => {
		const { url, numberId } = await linkThatClearsOnConnect();
		// The customer opens the link: the hosted page asks for a code, and pairing starts.
		await sandbox.api('POST', `/v1/remote-pairing/${url.split('/').pop()}/connect`, { key: null });
		const waiting = waitOn(url);
		// The hosted page sees OPEN first; the node's next check finds the link gone.
		while ((await statusPolls()).length === 0) await sleep(50);
		await sandbox.scan(numberId);
		const { items, error } = await waiting;
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			connected: true,
			reason: null,
			state: 'OPEN',
			isFullyConnected: null,
		});
		expect((await statusPolls()).map((request) => request.status)).toEqual([200, 404]);
	});

	test('a link gone before pairing started (expired, or its number deleted) is not a connection', async () => {
		const { url, numberId } = await linkThatClearsOnConnect();
		const waiting = waitOn(url);
		while ((await statusPolls()).length === 0) await sleep(50);
		await sandbox.api('DELETE', `/v1/numbers/${numberId}`);
		const { error } = await waiting;
		expect(error?.message).toMatch(
			/^The remote pairing link is invalid, has expired, or was used up/,
		);
		expect((await statusPolls()).map((request) => request.status)).toEqual([200, 404]);
	});

	test('a link that is gone at the first check fails with what to check, even with Output', async () => {
		const { url, numberId } = await linkThatClearsOnConnect();
		await sandbox.scan(numberId);
		const { error } = await waitOn(url);
		expect(error?.message).toBe(
			"The remote pairing link is invalid, has expired, or was used up by its number connecting (404). Nothing was changed. Check the number (Number → Get Status with the link's numberId) before creating a new link.",
		);
	});
});

describe('issue 18 item 5: Give Up After is checked before the first status check', () => {
	test.each<[string, number | string, RegExp]>([
		[
			'an absurdly large number',
			1e300,
			/^Give Up After \(Minutes\) is 1e\+300; use at most 525600 \(a year\)/,
		],
		['Infinity', '={{ Infinity }}', /^Give Up After \(Minutes\) is Infinity; use at most 525600/],
		['a year and a minute', 525_601, /^Give Up After \(Minutes\) is 525601; use at most 525600/],
	])('%s is an input error; nothing is sent', async (_name, timeout, message) => {
		const { error } = await waitFor(suporte.id, { timeout });
		expect(error?.message).toMatch(message);
		expect(await sandbox.requests()).toEqual([]);
		record('badInputs');
	});
});
