import { sleep } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import {
	startGarbageServer,
	startMismatchedTlsServer,
	startRedirectServer,
} from './helpers/badServers';
import { listSearch, runNode, testCredential } from './helpers/n8n';
import { startReceiver } from './helpers/receiver';
import type { Receiver } from './helpers/receiver';
import type { Fault } from './helpers/sandbox';
import { SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';
import { activeTrigger } from './helpers/trigger';

// Holes found by an outside review of 0.1.0. Each test failed on 0.1.0 and holds now; the README's
// "Reliability and security" section describes each class.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const getNumber = { resource: 'number', operation: 'get', numberId: byId(suporte.id) };
const createNumber = {
	resource: 'number',
	operation: 'create',
	name: 'Loja',
	phoneNumber: '5511955554444',
};

/** Regenerate for Suporte and Vendas, one item each, with Retry On Fail and `maxTries`. */
const regenerateBothWithRetries = (maxTries: number, requestOptions: IDataObject = {}) =>
	runNode({
		parameters: {
			resource: 'apiKey',
			operation: 'regenerate',
			numberId: byId('={{ $json.id }}'),
			requestOptions,
		},
		credential: sandbox.credential(),
		items: [{ json: { id: suporte.id } }, { json: { id: vendas.id } }],
		settings: { retryOnFail: true, maxTries, waitBetweenTries: 100 },
	});

let elsewhere: Receiver;
beforeAll(async () => {
	elsewhere = await startReceiver();
});
afterAll(async () => {
	await elsewhere.stop();
});
beforeEach(() => {
	elsewhere.received.length = 0;
});

describe('redirects never carry the key', () => {
	const STATUSES = [301, 302, 303, 307, 308];

	async function redirecting(status: number, location: string = elsewhere.url) {
		const server = await startRedirectServer({ status, location });
		const credential = sandbox.credential({ baseUrl: server.url });
		return { server, credential };
	}

	test.each(STATUSES)('a %i on a declarative operation is refused and named', async (status) => {
		const { server, credential } = await redirecting(status);
		try {
			const { error } = await runNode({ parameters: createNumber, credential });
			expect(error?.message).toBe(
				`Pilot Status at ${server.url} answered with a redirect (${status}), which the node does not follow: the API key was not sent anywhere else. Nothing was changed.`,
			);
			expect(error?.description).toContain('Base URL');
			expect(server.received).toHaveLength(1);
			expect(elsewhere.received).toEqual([]);
		} finally {
			await server.stop();
		}
		record('redirects');
	});

	test('a redirect loop ends at the first answer', async () => {
		const { server, credential } = await redirecting(302, 'self');
		try {
			const { error } = await runNode({ parameters: getNumber, credential });
			expect(error?.message).toContain('answered with a redirect (302)');
			expect(server.received).toHaveLength(1);
		} finally {
			await server.stop();
		}
		record('redirects');
	});

	test.each([
		[
			'the number list',
			(credential: ICredentialDataDecryptedObject) =>
				listSearch({ method: 'searchNumbers', credential }),
		],
		[
			'Wait for Connection',
			async (credential: ICredentialDataDecryptedObject) => {
				const { error } = await runNode({
					parameters: {
						resource: 'number',
						operation: 'waitForConnection',
						numberId: byId(suporte.id),
						pollInterval: 0.5,
						timeout: 0.05,
					},
					credential,
				});
				throw new Error(error?.message);
			},
		],
		[
			'trigger registration',
			async (credential: ICredentialDataDecryptedObject) => {
				const trigger = await activeTrigger({
					parameters: { events: ['number.connected'], numbers: 'all' },
					credential,
				});
				try {
					await trigger.activate();
				} finally {
					await trigger.stop();
				}
			},
		],
		[
			'Regenerate',
			async (credential: ICredentialDataDecryptedObject) => {
				const { error } = await runNode({
					parameters: { resource: 'apiKey', operation: 'regenerate', numberId: byId(suporte.id) },
					credential,
				});
				throw new Error(error?.message);
			},
		],
	])('%s refuses a redirect too', async (_name, call) => {
		const { server, credential } = await redirecting(307);
		try {
			await expect(call(credential)).rejects.toThrow(
				`Pilot Status at ${server.url} answered with a redirect (307)`,
			);
			expect(elsewhere.received).toEqual([]);
		} finally {
			await server.stop();
		}
		record('redirects');
	});

	test('public remote pairing calls do not follow a redirect either', async () => {
		const server = await startRedirectServer({ status: 302, location: elsewhere.url });
		try {
			const { error } = await runNode({
				parameters: {
					resource: 'remotePairing',
					operation: 'getInfo',
					pairingLink: 'rp_test',
					options: { apiBaseUrl: server.url },
				},
				credential: null,
			});
			expect(error?.message).toContain(
				`Pilot Status at ${server.url} answered with a redirect (302)`,
			);
			expect(elsewhere.received).toEqual([]);
		} finally {
			await server.stop();
		}
		record('redirects');
	});

	test.each(STATUSES)('the credential test reports a %i without following it', async (status) => {
		const { server, credential } = await redirecting(status);
		try {
			const result = await testCredential(credential);
			expect(result).toEqual({
				status: 'Error',
				message: `The Base URL answered with a redirect (${status}), which is never followed: the key was not sent anywhere else. Use the API's own address, https://pilotstatus.com.br.`,
			});
			expect(elsewhere.received).toEqual([]);
		} finally {
			await server.stop();
		}
		record('redirects');
	});
});

describe('the Base URL is checked before anything is sent', () => {
	test.each([
		[
			'another scheme',
			'ftp://127.0.0.1:2121',
			/Base URL ftp:\/\/127\.0\.0\.1:2121 uses ftp:\/\/; only https:\/\//,
		],
		[
			'a user and password',
			'http://admin:secret@127.0.0.1:9',
			/Base URL http:\/\/127\.0\.0\.1:9 contains a user name or password/,
		],
		[
			'a query',
			'http://127.0.0.1:9/?key=ps_example_x',
			/Base URL http:\/\/127\.0\.0\.1:9 has a query \(\?\) or fragment/,
		],
		['a fragment', 'http://127.0.0.1:9/#v1', /has a query \(\?\) or fragment \(#\)/],
		[
			'something that is not a URL',
			'pilotstatus dot com',
			/^The Pilot Status credential's Base URL is not a web address/,
		],
	])('%s', async (_name, baseUrl, message) => {
		const { error } = await runNode({
			parameters: getNumber,
			credential: sandbox.credential({ baseUrl }),
		});
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('Nothing was sent');
		// Only the origin is ever shown: not the password, not the query.
		expect(error?.message).not.toMatch(/secret|ps_example_x|admin/);
		expect(await sandbox.requests()).toEqual([]);
		record('badInputs');
	});

	test('the remote pairing API Base URL option is checked the same way', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'remotePairing',
				operation: 'getStatus',
				pairingLink: 'rp_test',
				options: { apiBaseUrl: 'http://user:pw@127.0.0.1:9' },
			},
			credential: null,
		});
		expect(error?.message).toBe(
			"API Base URL http://127.0.0.1:9 contains a user name or password. Remove it: the API key goes in the credential's key field, never in the address. Nothing was sent.",
		);
		record('badInputs');
	});

	test('the credential test says what is wrong with the Base URL', async () => {
		const result = await testCredential(sandbox.credential({ baseUrl: 'ftp://127.0.0.1:2121' }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Base URL ftp://127.0.0.1:2121 uses ftp://;');
		record('badInputs');
	});
});

describe('Settings → Request Options apply to the custom operations as to the routed ones', () => {
	const regenerate = {
		resource: 'apiKey',
		operation: 'regenerate',
		numberId: byId(suporte.id),
	};

	test('Ignore SSL Issues lets Regenerate reach a server with a self-signed certificate', async () => {
		const server = await startMismatchedTlsServer();
		try {
			const credential = sandbox.credential({ baseUrl: server.url });
			const refused = await runNode({ parameters: regenerate, credential });
			expect(refused.error?.message).toMatch(/^The secure connection to .* failed \(TLS/);
			expect(server.received).toEqual([]);
			await runNode({
				parameters: { ...regenerate, requestOptions: { allowUnauthorizedCerts: true } },
				credential,
			});
			expect(server.received.map((request) => `${request.method} ${request.url}`)).toEqual([
				'POST /v1/api-keys',
			]);
		} finally {
			await server.stop();
		}
	});

	test('Proxy sends Regenerate through the proxy', async () => {
		const proxy = await startReceiver();
		try {
			await runNode({
				parameters: { ...regenerate, requestOptions: { proxy: proxy.url } },
				credential: sandbox.credential(),
			});
			expect(proxy.received.map((request) => `${request.method} ${request.url}`)).toEqual([
				`POST ${sandbox.url}/v1/api-keys`,
			]);
			expect(await sandbox.requests()).toEqual([]);
		} finally {
			await proxy.stop();
		}
	});

	test('a Proxy without a port is refused before sending', async () => {
		const { error } = await runNode({
			parameters: { ...regenerate, requestOptions: { proxy: 'myproxy' } },
			credential: sandbox.credential(),
		});
		expect(error?.message).toBe(
			'Settings → Request Options → Proxy is not a proxy address with a host and a port, e.g. http://myproxy:3128. Nothing was sent.',
		);
		expect(await sandbox.requests()).toEqual([]);
	});
});

describe('every transport failure has a message in the user’s terms', () => {
	const RAW_LIBRARY_WORDS =
		/wrong version number|self[- ]signed|Parse Error|socket hang up|Hostname\/IP|ERR_BAD|getaddrinfo/;

	test('https to a server that does not speak TLS', async () => {
		const { error } = await runNode({
			parameters: getNumber,
			credential: sandbox.credential({ baseUrl: sandbox.url.replace('http:', 'https:') }),
		});
		const origin = sandbox.url.replace('http:', 'https:');
		expect(error?.message).toMatch(
			new RegExp(`^The secure connection to ${origin.replace(/[./]/g, '\\$&')} failed \\(TLS`),
		);
		expect(error?.message).toContain('Nothing was sent.');
		expect(error?.description).toContain('Use https:// only with the API');
		expect(error?.message).not.toMatch(RAW_LIBRARY_WORDS);
		record('transport');
	});

	test('a certificate issued for another name', async () => {
		const server = await startMismatchedTlsServer();
		try {
			const { error } = await runNode({
				parameters: createNumber,
				credential: sandbox.credential({ baseUrl: server.url }),
			});
			expect(error?.message).toMatch(
				/^The secure connection to https:\/\/127\.0\.0\.1:\d+ failed \(TLS/,
			);
			expect(error?.message).not.toMatch(RAW_LIBRARY_WORDS);
			expect(server.received).toEqual([]);
		} finally {
			await server.stop();
		}
		record('transport');
	});

	test('an answer that is not HTTP', async () => {
		const server = await startGarbageServer();
		try {
			const { error } = await runNode({
				parameters: createNumber,
				credential: sandbox.credential({ baseUrl: server.url }),
			});
			expect(error?.message).toMatch(
				/^The server at http:\/\/127\.0\.0\.1:\d+ answered with something that is not valid HTTP \(HPE_[A-Z_]+\)\. The change may or may not have been made/,
			);
			expect(error?.message).not.toMatch(RAW_LIBRARY_WORDS);
		} finally {
			await server.stop();
		}
		record('transport');
	});

	test('the credential test explains TLS trouble instead of a raw code', async () => {
		const server = await startMismatchedTlsServer();
		try {
			const result = await testCredential(sandbox.credential({ baseUrl: server.url }));
			expect(result.status).toBe('Error');
			expect(result.message).not.toMatch(RAW_LIBRARY_WORDS);
		} finally {
			await server.stop();
		}
		record('transport');
	});
});

describe('HTTP answers are classified by status, never by words in their text', () => {
	test.each([
		[
			{ error: 'Pairing timeout: the QR code expired', code: 'PAIRING_TIMEOUT' },
			'400 PAIRING_TIMEOUT',
		],
		[{ error: 'upstream said ETIMEDOUT and ECONNREFUSED' }, '400'],
		[{ error: 'socket hang up' }, '400'],
	])('a 400 saying %j stays a 400', async (body, status) => {
		await sandbox.fault({ type: 'status', status: 400, body });
		const { error } = await runNode({ parameters: getNumber, credential: sandbox.credential() });
		expect(error?.message).toBe(
			`Pilot Status rejected the input (${status}): ${body.error}. Nothing was changed.`,
		);
		expect(error?.httpCode).toBe('400');
		record('transport');
	});
});

describe('Retry On Fail never repeats a side effect', () => {
	test('3 items, one rate limited: a retry sends only that one, and 3 numbers exist', async () => {
		await sandbox.fault({
			type: 'status',
			status: 429,
			method: 'POST',
			path: '/v1/numbers',
			count: 1,
		});
		// A Timeout shorter than the node's own wait after a 429 (rateLimits.test.ts): the try fails.
		const { items, error } = await runNode({
			parameters: {
				...createNumber,
				name: '={{ $json.name }}',
				phoneNumber: '={{ $json.phone }}',
				requestOptions: { timeout: 800 },
			},
			credential: sandbox.credential(),
			items: [0, 1, 2].map((index) => ({
				json: { name: `Loja ${index}`, phone: `551190000000${index}` },
			})),
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 100 },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.name)).toEqual(['Loja 0', 'Loja 1', 'Loja 2']);
		const posts = (await sandbox.requests()).filter((request) => request.method === 'POST');
		expect(posts).toHaveLength(4);
		const created = (await sandbox.state()).numbers.filter((number) =>
			number.name.startsWith('Loja'),
		);
		expect(created).toHaveLength(3);
		record('sideEffects');
	});

	test('Regenerate with Retry On Fail regenerates only the number whose earlier try failed', async () => {
		await sandbox.fault({
			type: 'status',
			status: 429,
			method: 'POST',
			path: '/v1/api-keys',
			count: 1,
		});
		// A Timeout shorter than the node's own wait after a 429 (rateLimits.test.ts): the try fails.
		const { items } = await regenerateBothWithRetries(2, { timeout: 800 });
		// The first item failed, so n8n retried the node: the second number was not regenerated twice.
		expect(items.map((item) => typeof item.json.key)).toEqual(['string', 'string']);
		const state = await sandbox.state();
		expect(state.keys.filter((key) => key.numberId === vendas.id && key.valid)).toHaveLength(1);
		expect(
			(await sandbox.requests()).filter((request) => request.body?.whatsappNumberId === vendas.id),
		).toHaveLength(1);
		record('sideEffects');
	});
});

describe('Retry On Fail never sends again what may already have been done', () => {
	const threeNumbers = {
		parameters: { ...createNumber, name: '={{ $json.name }}', phoneNumber: '={{ $json.phone }}' },
		items: [0, 1, 2].map((index) => ({
			json: { name: `Loja ${index}`, phone: `551190000000${index}` },
		})),
		settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
	};

	test.each<[string, Fault]>([
		['a server error', { type: 'status', status: 503 }],
		['a connection dropped on the way back', { type: 'reset' }],
		['an answer it cannot read', { type: 'html', status: 200 }],
	])('Create: the number was made but %s hid it; no retry sends it again', async (_name, fault) => {
		await sandbox.fault({
			...fault,
			afterHandling: true,
			method: 'POST',
			path: '/v1/numbers',
			count: 1,
		});
		const { error } = await runNode({ ...threeNumbers, credential: sandbox.credential() });
		expect(error?.message).toMatch(
			/The change may or may not have been made: check \(for example with Get Many\) before running it again\.$/,
		);
		expect((await sandbox.requests()).filter((request) => request.method === 'POST')).toHaveLength(
			3,
		);
		const created = (await sandbox.state()).numbers.filter((number) =>
			number.name.startsWith('Loja'),
		);
		expect(created).toHaveLength(3);
		record('sideEffects');
	});

	test('Delete: a lost answer is not followed by a second DELETE and a misleading 404', async () => {
		const id = await sandbox.newNumber();
		await sandbox.fault({ type: 'status', status: 502, afterHandling: true, method: 'DELETE' });
		const { error } = await runNode({
			parameters: { resource: 'number', operation: 'delete', numberId: byId(id) },
			credential: sandbox.credential(),
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
		});
		expect(error?.message).toBe(
			'Pilot Status had a server error (502). The change may or may not have been made: check (for example with Get Many) before running it again.',
		);
		expect(
			(await sandbox.requests()).filter((request) => request.method === 'DELETE'),
		).toHaveLength(1);
		record('sideEffects');
	});

	test('Regenerate: a lost answer is not regenerated again; the other number still gets its key', async () => {
		await sandbox.fault({
			type: 'status',
			status: 500,
			afterHandling: true,
			method: 'POST',
			path: '/v1/api-keys',
			count: 1,
		});
		const { items } = await regenerateBothWithRetries(3);
		expect(items[0].json.error).toMatch(
			/^Pilot Status had a server error \(500\)\. The change may/,
		);
		expect(typeof items[1].json.key).toBe('string');
		expect((await sandbox.requests()).filter((request) => request.method === 'POST')).toHaveLength(
			2,
		);
		record('sideEffects');
	});
	test.each<[string, Fault]>([
		[
			'the key was rotated but a server error hid it',
			{ type: 'status', status: 502, afterHandling: true },
		],
		['a server error came before the rotation', { type: 'status', status: 503 }],
	])(
		'Rotate Own Key: %s; no retry sends it again with a key that may be dead',
		async (_name, fault) => {
			await sandbox.fault({ ...fault, method: 'POST', path: '/v1/api-keys/regenerate', count: 1 });
			const { error } = await runNode({
				parameters: { resource: 'apiKey', operation: 'rotateOwnKey' },
				credential: sandbox.credential(),
				settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
			});
			// Not the 401 a second try with the replaced key would get ("Nothing was changed"): the truth.
			expect(error?.message).toMatch(
				/^Pilot Status had a server error \(50[23]\)\. The change may or may not have been made/,
			);
			expect(
				(await sandbox.requests()).filter((request) => request.method === 'POST'),
			).toHaveLength(1);
			record('sideEffects');
		},
	);
});

describe('an odd but successful answer never crashes an item after its side effect', () => {
	test.each([
		[
			'a number that is a JSON number',
			{ instance: { id: 'num_odd1', number: 5511955554444, status: 'CONNECTING' } },
		],
		['no instance at all', { id: 'num_odd2' }],
		['an instance that is a string', { instance: 'num_odd3' }],
		['a pairing code that is a number', { instance: { id: 'num_odd4' }, pairingCode: 1234 }],
	])('Create with %s still outputs its item', async (_name, body) => {
		await sandbox.fault({
			type: 'status',
			status: 201,
			method: 'POST',
			path: '/v1/numbers',
			body: { ...body, qrcodeBase64: 'not a qr code' },
		});
		const { items, error } = await runNode({
			parameters: createNumber,
			credential: sandbox.credential(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.qrCodeError).toMatch(/^Pilot Status sent no usable QR code/);
		record('sideEffects');
	});

	test('a created number with a QR code and an odd number type still gets its file', async () => {
		const created = await sandbox.api('POST', '/v1/numbers', {
			body: { name: 'Template', number: '5511955550001' },
		});
		await sandbox.fault({
			type: 'status',
			status: 201,
			method: 'POST',
			path: '/v1/numbers',
			body: { ...created.body, instance: { id: 'num_odd5', number: 5511955550002 } },
		});
		const { items } = await runNode({ parameters: createNumber, credential: sandbox.credential() });
		expect(items[0].json).toMatchObject({ id: 'num_odd5', number: '+5511955550002' });
		expect(items[0].binary?.data.fileName).toBe('qr-code-5511955550002.png');
		record('sideEffects');
	});
});

describe('Wait for Connection never polls hot and always ends on time', () => {
	test.each([['0'], ['-5'], ['0.001'], ['Wed, 21 Oct 2015 07:28:00 GMT'], ['soon']])(
		'Retry-After: %s never makes it poll faster than Poll Every',
		async (retryAfter) => {
			const numberId = await sandbox.newNumber('Wait', '5511955559999');
			await sandbox.fault({
				type: 'status',
				status: 429,
				retryAfter,
				count: 1000,
				path: '/v1/numbers/',
			});
			const started = Date.now();
			await runNode({
				parameters: {
					resource: 'number',
					operation: 'waitForConnection',
					numberId: byId(numberId),
					pollInterval: 1,
					timeout: 0.05,
					ifNotConnected: 'output',
				},
				credential: sandbox.credential(),
			});
			const seconds = (Date.now() - started) / 1000;
			const polls = (await sandbox.requests()).filter((request) =>
				request.path.endsWith('/status'),
			);
			expect(polls.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
			record('polling');
		},
	);

	test('a server that never answers ends the wait on time (Give Up After holds)', async () => {
		const numberId = await sandbox.newNumber('Wait', '5511955559999');
		await sandbox.fault({ type: 'slow', delayMs: 20_000, count: 10, path: '/v1/numbers/' });
		const started = Date.now();
		const { items } = await runNode({
			parameters: {
				resource: 'number',
				operation: 'waitForConnection',
				numberId: byId(numberId),
				pollInterval: 1,
				timeout: 0.05,
				ifNotConnected: 'output',
			},
			credential: sandbox.credential(),
		});
		expect(items[0].json).toMatchObject({ connected: false, reason: 'timeout' });
		expect((Date.now() - started) / 1000).toBeLessThan(6);
		record('polling');
	});

	test('the same holds for a pairing link (public calls)', async () => {
		const { body } = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
			body: { name: 'Link', number: '5511955558888' },
		});
		const token = String(body.remotePairingUrl).split('/').pop();
		await sandbox.fault({ type: 'slow', delayMs: 20_000, count: 10, path: '/v1/remote-pairing/' });
		const started = Date.now();
		const { items } = await runNode({
			parameters: {
				resource: 'remotePairing',
				operation: 'waitForConnection',
				pairingLink: token,
				pollInterval: 1,
				timeout: 0.05,
				ifNotConnected: 'output',
				options: { apiBaseUrl: sandbox.url },
			},
			credential: null,
		});
		expect(items[0].json).toMatchObject({ connected: false, reason: 'timeout' });
		expect((Date.now() - started) / 1000).toBeLessThan(6);
		record('polling');
	});

	test.each([
		['a number', 'number'],
		['a pairing link', 'remotePairing'],
	])('stopping the execution stops the status check in flight (%s)', async (_name, resource) => {
		const numberId = await sandbox.newNumber('Wait', '5511955559999');
		const link = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
			body: { name: 'Link', number: '5511955558887' },
		});
		await sandbox.control('DELETE', '/requests');
		await sandbox.fault({ type: 'slow', delayMs: 20_000, count: 10 });
		const parameters =
			resource === 'number'
				? { resource, numberId: byId(numberId) }
				: {
						resource,
						pairingLink: String(link.body.remotePairingUrl),
						options: { apiBaseUrl: sandbox.url },
					};
		const started = Date.now();
		await runNode({
			parameters: { ...parameters, operation: 'waitForConnection', pollInterval: 1, timeout: 5 },
			credential: resource === 'number' ? sandbox.credential() : null,
			cancelAfterMs: 1000,
		});
		expect((Date.now() - started) / 1000).toBeLessThan(5);
		await sleep(500);
		const [poll, ...more] = await sandbox.requests();
		expect(poll.clientClosedEarly).toBe(true);
		expect(more).toEqual([]);
		record('polling');
	});
});

test('no key is echoed by the redirect checks (the key only ever went to the Base URL)', () => {
	expect(JSON.stringify(elsewhere.received)).not.toContain(TENANT_KEY);
});
