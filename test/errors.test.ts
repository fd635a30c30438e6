import type { IDataObject } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { closedPortUrl } from './helpers/receiver';
import type { Fault } from './helpers/sandbox';
import { SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import { activeTrigger } from './helpers/trigger';

const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const getNumber = {
	resource: 'number',
	operation: 'get',
	numberId: { __rl: true, mode: 'id', value: suporte.id },
};
const createNumber = {
	resource: 'number',
	operation: 'create',
	name: 'Loja',
	phoneNumber: '5511955554444',
};

async function run(parameters: IDataObject, credential = sandbox.credential()) {
	const result = await runNode({ parameters, credential });
	// Whatever failed, the key must not be anywhere in what n8n keeps of the run.
	expect(JSON.stringify(result.run)).not.toContain(TENANT_KEY);
	return result;
}

describe('every non-2xx answer becomes an error a user can act on', () => {
	test.each<[string, Fault, RegExp, RegExp, IDataObject?]>([
		[
			'400 with the service text',
			{
				type: 'status',
				status: 400,
				body: { error: 'Validation error: number must have at least 10 digits' },
			},
			/^Pilot Status rejected the input \(400\): Validation error: number must have at least 10 digits\. Nothing was changed\.$/,
			/Phone numbers need country and area code/,
		],
		[
			'401',
			{ type: 'status', status: 401, body: { error: 'Unauthorized' } },
			/^Pilot Status did not accept the API key \(401 Unauthorized\)\. Nothing was changed\. Update the key/,
			/regenerated or rotated/,
		],
		[
			'403 NUMBER_SCOPE_NOT_ALLOWED',
			{ type: 'status', status: 403, body: { error: 'x', code: 'NUMBER_SCOPE_NOT_ALLOWED' } },
			/needs the tenant API key/,
			/Profile → API tab/,
		],
		[
			'403 TENANT_SCOPE_NOT_ALLOWED',
			{
				type: 'status',
				status: 403,
				body: {
					error: 'This endpoint requires a number-scoped API key',
					code: 'TENANT_SCOPE_NOT_ALLOWED',
				},
			},
			/needs a number-scoped API key, but the credential holds the tenant key/,
			/API Keys/,
		],
		[
			'403 without a code',
			{ type: 'status', status: 403, body: { error: 'Grant not allowed' } },
			/^Pilot Status refused this operation \(403\)\. Nothing was changed\.$/,
			/Grant not allowed/,
		],
		[
			'404',
			{ type: 'status', status: 404, body: { error: 'Not found' } },
			/^There is no number with ID "num_suporte" in this Pilot Status account \(404\)\. Nothing was changed\.$/,
			/Pick the number from the list/,
		],
		[
			'409 with a code',
			{
				type: 'status',
				status: 409,
				body: { error: 'Confirm first', code: 'CONFIRMATION_REQUIRED' },
			},
			/409 CONFIRMATION_REQUIRED\): Confirm first/,
			/not in a state/,
		],
		// The node waits a 429 out within the item's Timeout (rateLimits.test.ts): these outlast it.
		[
			'429 without Retry-After, longer than the Timeout',
			{ type: 'status', status: 429, body: { error: 'Too many requests' }, count: 100 },
			/rate limiting requests \(429 Too Many Requests\)\. Nothing was changed\. The request was refused once; the next wait \([\d.]+ s\) would pass this item's Timeout \(0\.8 s\)\. Send fewer items at a time/,
			/Retry On Fail with a wait of 5000 ms or more: this operation changes nothing/,
			{ requestOptions: { timeout: 800 } },
		],
		[
			'429 with a Retry-After longer than the node waits',
			{ type: 'status', status: 429, retryAfter: 120 },
			/Nothing was changed\. The request was refused once and Retry-After asks to wait 120 s, longer than the node waits by itself\. Wait 120 s and run it again\.$/,
			/Batching/,
		],
		[
			'500',
			{ type: 'status', status: 500 },
			/^Pilot Status had a server error \(500\)\. Nothing was changed; try again later\.$/,
			/Usually temporary/,
		],
		[
			'502 HTML page',
			{ type: 'html', status: 502 },
			/^Pilot Status had a server error \(502\)\./,
			/The service said: "an HTML error page"/,
		],
		[
			'503',
			{ type: 'status', status: 503, body: { error: 'Maintenance' } },
			/server error \(503\)/,
			/Maintenance/,
		],
		[
			'200 with malformed JSON',
			{ type: 'malformedJson' },
			/^Pilot Status sent a response the node cannot read \(malformed JSON\)\.$/,
			/Expected JSON/,
		],
		[
			'200 with an HTML page',
			{ type: 'html', status: 200 },
			/cannot read \(an HTML page\)\.$/,
			/Base URL/,
		],
		['200 with an empty body', { type: 'empty' }, /cannot read \(an empty body\)\.$/, /Base URL/],
	])('%s', async (_name, fault, message, description, extra = {}) => {
		await sandbox.fault(fault);
		const { error } = await run({ ...getNumber, ...extra });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(description);
	});

	describe('a delete answered without a body (the docs show none) is done', () => {
		test.each([[200], [204]])('Number → Delete, %i', async (status) => {
			await sandbox.fault({ type: 'empty', status, afterHandling: true, method: 'DELETE' });
			const { items, error } = await run({
				resource: 'number',
				operation: 'delete',
				numberId: { __rl: true, mode: 'id', value: vendas.id },
			});
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json)).toEqual([{ numberId: vendas.id, deleted: true }]);
		});

		test('Webhook → Delete, and a trigger removing its webhooks', async () => {
			const made = await sandbox.api('POST', '/v1/webhooks', {
				body: {
					url: 'https://crm.example.com/pilot',
					events: ['number.connected'],
					whatsappNumberId: suporte.id,
				},
			});
			const webhookId = String(made.body.id);
			await sandbox.fault({ type: 'empty', status: 204, afterHandling: true, method: 'DELETE' });
			const { items, error } = await run({
				resource: 'webhook',
				operation: 'delete',
				webhookId: { __rl: true, mode: 'id', value: webhookId },
			});
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json)).toEqual([{ webhookId, deleted: true }]);

			const trigger = await activeTrigger({
				parameters: { events: ['number.connected'], numbers: 'all' },
				credential: sandbox.credential(),
			});
			try {
				await trigger.activate();
				await sandbox.fault({
					type: 'empty',
					status: 204,
					afterHandling: true,
					method: 'DELETE',
					count: SEED.numbers.length,
				});
				expect(await trigger.delete()).toBe(true);
				expect((await sandbox.state()).webhooks).toEqual([]);
				// Nothing is kept to be deleted again later.
				expect(JSON.stringify(trigger.nodeStaticData())).not.toMatch(/wh_/);
			} finally {
				await trigger.stop();
			}
		});

		test('an answer that must carry data still needs it: Create with an empty 201 fails', async () => {
			await sandbox.fault({ type: 'empty', status: 201, afterHandling: true, method: 'POST' });
			const { error } = await run(createNumber);
			expect(error?.message).toBe(
				'Pilot Status sent a response the node cannot read (an empty body). The change may or may not have been made: check (for example with Get Many) before running it again.',
			);
		});
	});

	test('the 404 of a remote pairing token talks about the link, not a number', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'remotePairing',
				operation: 'getStatus',
				pairingLink: 'rp_gone',
				options: { apiBaseUrl: sandbox.url },
			},
			credential: null,
		});
		expect(error?.message).toBe(
			"The remote pairing link is invalid, has expired, or was used up by its number connecting (404). Nothing was changed. Check the number (Number → Get Status with the link's numberId) before creating a new link.",
		);
	});

	test('a 409 without a code means "already connected" only on Connect', async () => {
		await sandbox.fault({ type: 'status', status: 409, body: { error: 'Number already exists' } });
		const { error } = await run(createNumber);
		expect(error?.message).toBe(
			'Pilot Status refused the operation (409): Number already exists. Nothing was changed.',
		);
	});

	test('a 404 NUMBER_NOT_FOUND on a webhook operation names the number, not a webhook', async () => {
		const { error } = await run({
			resource: 'webhook',
			operation: 'create',
			webhookNumberId: { __rl: true, mode: 'id', value: 'num_gone' },
			url: 'https://example.com/hooks/pilot-status',
			events: ['number.connected'],
		});
		expect(error?.message).toBe(
			'There is no number with ID "num_gone" in this Pilot Status account (404). Nothing was changed.',
		);
	});

	test('server text that happens to contain a key is redacted', async () => {
		await sandbox.fault({
			type: 'status',
			status: 400,
			body: { error: `Key ${TENANT_KEY} is malformed` },
		});
		const { error } = await run(getNumber);
		expect(error?.message).toBe(
			'Pilot Status rejected the input (400): Key [redacted] is malformed. Nothing was changed.',
		);
	});
});

describe('no answer at all', () => {
	test('an unreachable server points at the Base URL', async () => {
		const baseUrl = await closedPortUrl();
		const { error } = await run(getNumber, sandbox.credential({ baseUrl: `${baseUrl}/v1` }));
		expect(error?.message).toBe(
			`Could not reach Pilot Status at ${baseUrl} (ECONNREFUSED). Nothing was sent.`,
		);
		expect(error?.description).toContain('Check the Base URL in the credential');
	});

	test('a reset connection', async () => {
		await sandbox.fault({ type: 'reset' });
		const { error } = await run(getNumber);
		expect(error?.message).toBe(
			`The connection to Pilot Status at ${sandbox.url} closed before it answered (ECONNRESET). Nothing was changed; try again.`,
		);
	});

	test('an answer slower than the node timeout (Settings → Request Options → Timeout)', async () => {
		await sandbox.fault({ type: 'slow', delayMs: 2000 });
		const { error } = await run({ ...getNumber, requestOptions: { timeout: 300 } });
		expect(error?.message).toMatch(
			/^Pilot Status at http:\/\/127\.0\.0\.1:\d+ did not answer in time \(E[A-Z]+\)\. Nothing was changed; try again\.$/,
		);
		expect(error?.description).toContain('Settings → Request Options → Timeout');
	});
});

describe('side effects are never repeated by the node', () => {
	test.each<[string, Fault]>([
		['a 503', { type: 'status', status: 503 }],
		// A 429 is the one answer the node sends again (rateLimits.test.ts); here it outlasts the Timeout.
		['a 429 longer than the Timeout', { type: 'status', status: 429, count: 100 }],
		['a reset connection', { type: 'reset' }],
		['a 401', { type: 'status', status: 401, body: { error: 'Unauthorized' } }],
	])('Create after %s was sent exactly once', async (_name, fault) => {
		await sandbox.fault(fault);
		const { error } = await run({ ...createNumber, requestOptions: { timeout: 800 } });
		expect(error).toBeDefined();
		expect((await sandbox.requests()).filter((request) => request.method === 'POST')).toHaveLength(
			1,
		);
	});
});

describe('continue on fail', () => {
	test('failed items become error items and the others go on', async () => {
		const { items, error } = await runNode({
			parameters: {
				resource: 'number',
				operation: 'getStatus',
				numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			credential: sandbox.credential(),
			settings: { onError: 'continueRegularOutput' },
			items: [
				{ json: { id: suporte.id } },
				{ json: { id: 'num_gone' } },
				{ json: { id: '../api-keys' } },
				{ json: { id: vendas.id } },
			],
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.state ?? item.json.error)).toEqual([
			'OPEN',
			'There is no number with ID "num_gone" in this Pilot Status account (404). Nothing was changed.',
			expect.stringContaining('Number "../api-keys" is not a valid ID'),
			'CLOSED',
		]);
		expect((await sandbox.requests()).map((request) => request.path)).toEqual([
			`/v1/numbers/${suporte.id}/status`,
			'/v1/numbers/num_gone/status',
			`/v1/numbers/${vendas.id}/status`,
		]);
	});
});

test('operations that need the credential say so before sending anything', async () => {
	const { error } = await runNode({ parameters: getNumber, credential: null });
	expect(error?.message).toBe('No Pilot Status credential is selected. Nothing was sent.');
	expect(error?.description).toContain('Profile → API tab');
	expect(await sandbox.requests()).toHaveLength(0);
});
