'use strict';
// One sandbox process per test file, reset before every test. Tests drive it through its HTTP
// control surface; the node under test reaches its API over real HTTP on 127.0.0.1.
// (Its own process, not in-process: jest's VM context makes the QR encoder ~50x slower.)
const { spawnSandbox } = require('../../sandbox/process');
const { SEED } = require('../../sandbox/seed');

const TENANT_KEY = SEED.tenantKey.value;
const NUMBER_KEY = SEED.numbers[0].key.value;

async function parse(response) {
	const text = await response.text();
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return text;
	}
}

function useSandbox() {
	let running;
	const control = async (method, path, body) => {
		const response = await fetch(`${running.url}/__sandbox${path}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, body: await parse(response) };
	};
	const ok = async (method, path, body) => {
		const result = await control(method, path, body);
		if (result.status >= 400)
			throw new Error(`Sandbox control ${method} ${path} failed: ${JSON.stringify(result.body)}`);
		return result.body;
	};

	beforeAll(async () => {
		running = await spawnSandbox();
	});
	beforeEach(() => ok('POST', '/reset'));
	afterAll(async () => {
		await running?.stop();
	});

	return {
		get url() {
			return running.url;
		},
		control,
		/** API requests received so far, oldest first (key values are never recorded). */
		requests: async () =>
			(await ok('GET', '/requests')).filter((entry) => entry.path.startsWith('/v1/')),
		state: () => ok('GET', '/state'),
		fault: (fault) => ok('POST', '/faults', fault),
		variants: (variants) => ok('PUT', '/variants', variants),
		settings: (settings) => ok('PUT', '/settings', settings),
		scan: (numberId) => ok('POST', `/numbers/${numberId}/scan`),
		/** Every accepted send (each exactly once, oldest first) with its current status. */
		messages: async () => (await ok('GET', '/messages')).messages,
		/** Inbound events delivered so far, scripted replies still pending, background errors. */
		messaging: () => ok('GET', '/messages'),
		/** Moves a sent message to `status` now and delivers its event (any errorMessage on FAILED). */
		messageStatus: (messageId, status, errorMessage) =>
			ok('POST', `/messages/${messageId}/status`, { status, errorMessage }),
		/** Makes a number a Meta number, or URL-only for media, etc. */
		configureNumber: (numberId, config) =>
			ok('PUT', `/numbers/${encodeURIComponent(numberId)}`, config),
		/** A contact writes to the number now (message.received, or message.reply with quotedMessageId). */
		inbound: (numberId, message) =>
			ok('POST', `/numbers/${encodeURIComponent(numberId)}/inbound`, message),
		/** The number's PII mode: STORE_INDEFINITE (default), STORE_X_DAYS (retentionDays) or RELAY_ONLY. */
		privacy: (numberId, config) =>
			ok('PUT', `/numbers/${encodeURIComponent(numberId)}/privacy`, config),
		/** The number's groups as the sandbox keeps them (participants with roles, pinned messages). */
		groups: (numberId) => ok('GET', `/numbers/${encodeURIComponent(numberId)}/groups`),
		/** The account's branding, plan, extra-number purchases and removals, checkout links. */
		account: () => ok('GET', '/account'),
		/** Sets the account's plan (FREE, ON_DEMAND), hasSavedCard, unitPriceBRL, paidExtraNumbers. */
		configureAccount: (config) => ok('PUT', '/account', config),
		/** Adds `count` calls to a number (one a minute, newest last). */
		addCalls: (numberId, count) =>
			ok('POST', `/numbers/${encodeURIComponent(numberId)}/calls`, { count }),
		/** A number's calls, calling settings and permission requests as the sandbox keeps them. */
		calls: (numberId) => ok('GET', `/numbers/${encodeURIComponent(numberId)}/calls`),
		/** The contact answers the next message(s) sent to it, one reply per message. */
		customer: (phone, script) => ok('POST', `/customers/${encodeURIComponent(phone)}`, script),
		/** Creates a number through the API (it starts pairing); resolves with its ID. */
		async newNumber(name = 'Loja', number = '5511955554444') {
			const { body } = await this.api('POST', '/v1/numbers', { body: { name, number } });
			return String(body.instance.id);
		},
		/** Credential data pointing at this sandbox with the tenant key (override any field). */
		credential: (overrides = {}) => ({
			keyType: 'apiKey',
			apiKey: TENANT_KEY,
			baseUrl: running.url,
			...overrides,
		}),
		/** Calls the sandbox API directly with a key (not through n8n). */
		api: async (
			method,
			path,
			{ key = TENANT_KEY, keyHeader = 'x-api-key', body, headers = {} } = {},
		) => {
			const response = await fetch(`${running.url}${path}`, {
				method,
				headers: {
					'content-type': 'application/json',
					...(key ? { [keyHeader]: key } : {}),
					...headers,
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return {
				status: response.status,
				body: await parse(response),
				headers: Object.fromEntries(response.headers),
			};
		},
	};
}

module.exports = { useSandbox, TENANT_KEY, NUMBER_KEY, SEED };
