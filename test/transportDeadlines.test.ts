import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import {
	startCutOffProxy,
	startDripServer,
	startSwitchingProtocolsServer,
} from './helpers/badServers';
import { listSearch, runNode } from './helpers/n8n';
import type { NodeRun } from './helpers/n8n';
import { SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';
import { activeTrigger } from './helpers/trigger';

// Issue 18, items 1 and 6: an answer cut off after its status and headers is a lost answer (a
// change may have been made, and the node never sends it again), and every request ends by its
// deadline however slowly the server answers. Each test failed on 0.2.0.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const retries = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };
const MAY_HAVE_CHANGED =
	/The change may or may not have been made: check \(for example with Get Many\) before running it again\.$/;
const CUT_OFF =
	/^The answer from Pilot Status at http:\/\/127\.0\.0\.1:\d+ was cut off before it was complete/;

/** Seconds since `started`. */
const secondsSince = (started: number) => (Date.now() - started) / 1000;

/** A run, and how long it took. */
async function timed(run: () => Promise<NodeRun>) {
	const started = Date.now();
	const result = await run();
	return { ...result, seconds: secondsSince(started) };
}

const modes = [
	['a body shorter than its Content-Length', 'length'],
	['a chunked body whose last chunk never comes', 'chunked'],
] as const;

describe('an answer cut off after its headers is a lost answer', () => {
	test.each(modes)(
		'Create under Retry On Fail (3 tries), %s: one number is made and the item says the change may have happened',
		async (_name, mode) => {
			const proxy = await startCutOffProxy({
				upstream: sandbox.url,
				mode,
				cut: (request) => request.method === 'POST',
			});
			try {
				const { error } = await runNode({
					parameters: {
						resource: 'number',
						operation: 'create',
						name: 'Cut Off',
						phoneNumber: '5511955554444',
					},
					credential: sandbox.credential({ baseUrl: proxy.url }),
					settings: retries,
				});
				expect(error?.message).toMatch(CUT_OFF);
				expect(error?.message).toMatch(MAY_HAVE_CHANGED);
				expect(proxy.received.filter((request) => request.method === 'POST')).toHaveLength(1);
				const made = (await sandbox.state()).numbers.filter((number) => number.name === 'Cut Off');
				expect(made).toHaveLength(1);
			} finally {
				await proxy.stop();
			}
			record('cutOff');
		},
	);

	test.each(modes)(
		'Regenerate under Retry On Fail (3 tries), %s: the key is replaced once and the item says so may have happened',
		async (_name, mode) => {
			const proxy = await startCutOffProxy({
				upstream: sandbox.url,
				mode,
				cut: (request) => request.method === 'POST',
			});
			try {
				const { error } = await runNode({
					parameters: { resource: 'apiKey', operation: 'regenerate', numberId: byId(suporte.id) },
					credential: sandbox.credential({ baseUrl: proxy.url }),
					settings: retries,
				});
				expect(error?.message).toMatch(CUT_OFF);
				expect(error?.message).toMatch(MAY_HAVE_CHANGED);
				expect(proxy.received.filter((request) => request.method === 'POST')).toHaveLength(1);
				// One regeneration: the seeded key was replaced by exactly one new key.
				const keys = (await sandbox.state()).keys.filter((key) => key.numberId === suporte.id);
				expect(keys.filter((key) => key.valid)).toHaveLength(1);
				expect(keys.filter((key) => !key.valid)).toHaveLength(1);
			} finally {
				await proxy.stop();
			}
			record('cutOff');
		},
	);

	const reads: Array<[string, (credential: ICredentialDataDecryptedObject) => Promise<string>]> = [
		[
			'Get (routed)',
			async (credential) => {
				const { error } = await runNode({
					parameters: { resource: 'number', operation: 'get', numberId: byId(suporte.id) },
					credential,
				});
				return String(error?.message);
			},
		],
		[
			'the number search of a picker (custom)',
			async (credential) =>
				await listSearch({ method: 'searchNumbers', credential }).then(
					() => 'no error',
					(error: Error) => error.message,
				),
		],
	];
	test.each(reads)(
		'a read cut off, %s: says so, and that trying again is safe',
		async (_name, read) => {
			const proxy = await startCutOffProxy({ upstream: sandbox.url, mode: 'chunked' });
			try {
				const message = await read(sandbox.credential({ baseUrl: proxy.url }));
				expect(message).toMatch(CUT_OFF);
				expect(message).toMatch(/\. Nothing was changed; try again\.$/);
			} finally {
				await proxy.stop();
			}
			record('cutOff');
		},
	);
});

/** The servers that never finish an answer, each started for one test. */
const neverFinishing = [
	['a server that sends one byte every 200 ms', () => startDripServer({ intervalMs: 200 })],
	['a server that answers 101 Switching Protocols', () => startSwitchingProtocolsServer()],
] as const;

const NOT_IN_TIME =
	/^Pilot Status at http:\/\/127\.0\.0\.1:\d+ did not answer in time \(ETIMEDOUT\)\. /;

/** The error's description says how long the request had. */
const stoppedAfter = (seconds: number) =>
	`It was stopped after ${seconds} s without a whole answer.`;

describe('every request ends by its deadline', () => {
	/**
	 * One operation of each kind of request: what it sends (with Settings → Request Options →
	 * Timeout), the Timeout in seconds, and whether it changes something (then it runs under Retry On
	 * Fail and must reach the server once).
	 */
	const operations: Array<[string, (url: string) => IDataObject, number, 'read' | 'change']> = [
		[
			'a routed read (Get Many)',
			() => ({ resource: 'number', operation: 'getAll', returnAll: true }),
			1.5,
			'read',
		],
		[
			'a routed change (Create)',
			() => ({
				resource: 'number',
				operation: 'create',
				name: 'Slow',
				phoneNumber: '5511955554444',
			}),
			1,
			'change',
		],
		[
			'a public routed call (remote pairing status)',
			(url) => ({
				resource: 'remotePairing',
				operation: 'getStatus',
				pairingLink: 'example-pairing-token',
				options: { apiBaseUrl: url },
			}),
			1.5,
			'read',
		],
		[
			'a custom change (Regenerate)',
			() => ({ resource: 'apiKey', operation: 'regenerate', numberId: byId(suporte.id) }),
			1.5,
			'change',
		],
	];
	const cases = operations.flatMap(([operation, parameters, timeout, kind]) =>
		neverFinishing.map(
			([server, start]) => [`${operation}: ${server}`, parameters, timeout, kind, start] as const,
		),
	);

	test.each(cases)(
		'%s ends at Settings → Request Options → Timeout; a change is sent once',
		async (_name, parameters, timeout, kind, start) => {
			const server = await start();
			try {
				const publicCall = parameters(server.url).resource === 'remotePairing';
				const { error, seconds } = await timed(() =>
					runNode({
						parameters: { ...parameters(server.url), requestOptions: { timeout: timeout * 1000 } },
						credential: publicCall ? null : sandbox.credential({ baseUrl: server.url }),
						settings: kind === 'change' ? retries : undefined,
					}),
				);
				expect(error?.message).toMatch(NOT_IN_TIME);
				expect(error?.description).toContain(stoppedAfter(timeout));
				if (kind === 'change') {
					expect(error?.message).toMatch(MAY_HAVE_CHANGED);
					expect(server.received).toHaveLength(1);
				} else {
					expect(error?.message).toMatch(/Nothing was changed; try again\.$/);
				}
				expect(seconds).toBeLessThan(timeout + 3);
			} finally {
				await server.stop();
			}
			record('deadlines');
		},
	);

	test.each(neverFinishing)(
		'Wait for Connection (polling) ends at Give Up After, a status check in flight included: %s',
		async (_name, start) => {
			const server = await start();
			try {
				// Give Up After 3 s; the check's own Timeout (30 s by default) would outlast it.
				const { items, seconds } = await timed(() =>
					runNode({
						parameters: {
							resource: 'number',
							operation: 'waitForConnection',
							numberId: byId(suporte.id),
							pollInterval: 1,
							timeout: 0.05,
							ifNotConnected: 'output',
						},
						credential: sandbox.credential({ baseUrl: server.url }),
					}),
				);
				expect(items[0]?.json).toMatchObject({ connected: false, reason: 'timeout' });
				expect(seconds).toBeLessThan(3 + 3);
			} finally {
				await server.stop();
			}
			record('deadlines');
		},
	);

	test('the trigger’s activation ends at its 30 s deadline: both servers', async () => {
		const servers = await Promise.all(neverFinishing.map(([, start]) => start()));
		try {
			const outcomes = await Promise.all(
				servers.map(async (server, index) => {
					const trigger = await activeTrigger({
						parameters: { events: ['number.connected'], numbers: 'all' } as IDataObject,
						credential: sandbox.credential({ baseUrl: server.url }),
						workflowName: `deadline ${index}`,
					});
					const started = Date.now();
					try {
						const error = await trigger.activate().then(
							() => undefined,
							(failure: Error & { description?: string }) => failure,
						);
						return { error, seconds: secondsSince(started) };
					} finally {
						await trigger.stop();
					}
				}),
			);
			for (const { error, seconds } of outcomes) {
				expect(error?.message).toMatch(NOT_IN_TIME);
				expect(error?.description).toContain(stoppedAfter(30));
				expect(seconds).toBeLessThan(30 + 3);
				record('deadlines');
			}
		} finally {
			await Promise.all(servers.map((server) => server.stop()));
		}
	}, 60_000);
});
