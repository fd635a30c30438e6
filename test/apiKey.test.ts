import type { IDataObject } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { record } from './helpers/summary';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';

const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;

async function run(parameters: IDataObject, credential = sandbox.credential()) {
	return runNode({ parameters: { resource: 'apiKey', ...parameters }, credential });
}

/** The one shape every API key answer comes out in (Get Many, Regenerate, Rotate Own Key). */
const KEY_FIELDS = [
	'createdAt',
	'key',
	'keyId',
	'keyLast4',
	'keyPrefix',
	'number',
	'numberId',
	'numberName',
	'revealable',
	'scope',
];

describe('API Key → Get Many', () => {
	test('masks keys and key IDs by default (a key ID works like the key)', async () => {
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect((await sandbox.requests())[0]).toMatchObject({ method: 'GET', path: '/v1/api-keys' });
		expect(items.map((item) => item.json)).toEqual([
			{
				numberId: suporte.id,
				number: `+${suporte.number}`,
				numberName: 'Suporte',
				scope: 'number',
				keyId: 'key…orte',
				keyPrefix: 'ps_',
				keyLast4: 'orte',
				key: 'ps_…orte',
				revealable: true,
				createdAt: null,
			},
			{
				numberId: vendas.id,
				number: `+${vendas.number}`,
				numberName: 'Vendas',
				scope: 'number',
				keyId: 'key…ndas',
				keyPrefix: null,
				keyLast4: 'ndas',
				key: null,
				revealable: false,
				createdAt: null,
			},
		]);
		for (const secret of [suporte.key.value, suporte.key.id, vendas.key.id])
			expect(JSON.stringify(items)).not.toContain(secret);
	});

	test('reveals key values only when asked', async () => {
		const { items } = await run({
			operation: 'getAll',
			returnAll: true,
			options: { revealKeys: true },
		});
		expect(items[0].json).toMatchObject({ key: suporte.key.value, keyId: suporte.key.id });
	});

	test('respects Limit', async () => {
		const { items } = await run({ operation: 'getAll', returnAll: false, limit: 1 });
		expect(items).toHaveLength(1);
	});

	test('a number-scoped credential gets the tenant-key message', async () => {
		const { error } = await run(
			{ operation: 'getAll', returnAll: true },
			sandbox.credential({ apiKey: NUMBER_KEY }),
		);
		expect(error?.message).toBe(
			'This operation needs the tenant API key, but the credential holds a number-scoped key (403 NUMBER_SCOPE_NOT_ALLOWED). Nothing was changed.',
		);
		expect(error?.description).toContain('Profile → API tab');
		expect(JSON.stringify(error)).not.toContain(NUMBER_KEY);
	});
});

describe('API Key → Regenerate', () => {
	test('sends the number id, returns the new key once, and the old key is dead', async () => {
		const { items, error } = await run({
			operation: 'regenerate',
			numberId: { __rl: true, mode: 'list', value: suporte.id },
		});
		expect(error).toBeUndefined();
		expect((await sandbox.requests())[0]).toMatchObject({
			method: 'POST',
			path: '/v1/api-keys',
			body: { whatsappNumberId: suporte.id },
		});
		const fresh = String(items[0].json.key);
		expect(items[0].json).toMatchObject({
			numberId: suporte.id,
			scope: 'number',
			keyId: expect.any(String),
			keyPrefix: 'ps_',
			keyLast4: fresh.slice(-4),
		});
		expect(Object.keys(items[0].json).sort()).toEqual(KEY_FIELDS);
		expect((await sandbox.api('GET', '/v1/webhooks', { key: suporte.key.value })).status).toBe(401);
		expect((await sandbox.api('GET', '/v1/webhooks', { key: fresh })).status).toBe(200);
	});

	test('an unknown number is reported with its id', async () => {
		const { error } = await run({
			operation: 'regenerate',
			numberId: { __rl: true, mode: 'id', value: 'num_gone' },
		});
		expect(error?.message).toBe(
			'There is no number with ID "num_gone" in this Pilot Status account (404). Nothing was changed.',
		);
	});

	test('each item regenerates its own number exactly once', async () => {
		const { items } = await runNode({
			parameters: {
				resource: 'apiKey',
				operation: 'regenerate',
				numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			credential: sandbox.credential(),
			items: [{ json: { id: suporte.id } }, { json: { id: vendas.id } }],
		});
		expect(items.map((item) => item.json.numberId)).toEqual([suporte.id, vendas.id]);
		expect((await sandbox.requests()).map((request) => request.body?.whatsappNumberId)).toEqual([
			suporte.id,
			vendas.id,
		]);
	});
});

describe('Regenerate never loses a key', () => {
	const byExpression = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
	const regenerate = (ids: string[], settings?: IDataObject) =>
		runNode({
			parameters: { resource: 'apiKey', operation: 'regenerate', numberId: byExpression },
			credential: sandbox.credential(),
			items: ids.map((id) => ({ json: { id } })),
			settings,
		});

	test('one number fails between two that succeed: both new keys come out, and the failure says which number', async () => {
		const { items, error } = await regenerate([suporte.id, 'num_gone', vendas.id]);
		expect(error).toBeUndefined();
		expect(
			items.map((item) => [item.json.numberId, typeof item.json.key, item.pairedItem]),
		).toEqual([
			[suporte.id, 'string', { item: 0 }],
			['num_gone', 'undefined', { item: 1 }],
			[vendas.id, 'string', { item: 2 }],
		]);
		expect(items[1].json.error).toBe(
			'There is no number with ID "num_gone" in this Pilot Status account (404). Nothing was changed.',
		);
		const state = await sandbox.state();
		for (const item of [items[0], items[2]])
			expect(state.keys.find((key) => key.id === item.json.keyId)?.valid).toBe(true);
		expect(await sandbox.requests()).toHaveLength(3);
		record('sideEffects');
	});

	test('with On Error → Continue the failure is an error item as usual', async () => {
		const { items, error } = await regenerate([suporte.id, 'num_gone'], {
			onError: 'continueRegularOutput',
		});
		expect(error).toBeUndefined();
		// n8n's own error item: the message names the number.
		expect(items[1].json).toEqual({ error: expect.stringContaining('"num_gone"') });
		expect(items[0].json.key).toMatch(/^ps_/);
		record('sideEffects');
	});

	test('when no key changed at all, the node fails as usual', async () => {
		const { items, error } = await regenerate(['num_gone', 'num_gone_too']);
		expect(error?.message).toContain('There is no number with ID "num_gone"');
		expect(items).toEqual([]);
		record('sideEffects');
	});

	test('a bad ID in any item stops the run before any key is replaced', async () => {
		const { error } = await regenerate([suporte.id, '../api-keys/regenerate']);
		expect(error?.message).toContain('Number "../api-keys/regenerate" is not a valid ID');
		expect(await sandbox.requests()).toHaveLength(0);
		record('sideEffects');
	});
});

describe('Rotate Own Key runs once', () => {
	test('several input items are refused before anything is sent', async () => {
		const { error } = await runNode({
			parameters: { resource: 'apiKey', operation: 'rotateOwnKey' },
			credential: sandbox.credential(),
			items: [{ json: {} }, { json: {} }],
		});
		expect(error?.message).toBe(
			'Rotate Own Key received 2 items, but the credential has one key and rotates once. Nothing was sent.',
		);
		expect(error?.description).toContain('Settings → Execute Once');
		expect(await sandbox.requests()).toHaveLength(0);
		record('sideEffects');
	});

	test('with Settings → Execute Once it rotates once and the new key comes out', async () => {
		const { items, error } = await runNode({
			parameters: { resource: 'apiKey', operation: 'rotateOwnKey' },
			credential: sandbox.credential(),
			items: [{ json: {} }, { json: {} }, { json: {} }],
			settings: { executeOnce: true },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.key).toMatch(/^ps_/);
		expect(await sandbox.requests()).toHaveLength(1);
		record('sideEffects');
	});
});

describe('API Key → Rotate Own Key', () => {
	test('returns the new key of the credential, and the credential stops working', async () => {
		const { items } = await run({ operation: 'rotateOwnKey' });
		expect((await sandbox.requests())[0]).toMatchObject({
			method: 'POST',
			path: '/v1/api-keys/regenerate',
			keyId: SEED.tenantKey.id,
		});
		expect(items[0].json).toMatchObject({ scope: 'tenant', key: expect.stringMatching(/^ps_/) });
		expect(Object.keys(items[0].json).sort()).toEqual(KEY_FIELDS);

		const after = await run({ operation: 'getAll', returnAll: true });
		expect(after.error?.message).toMatch(
			/^Pilot Status did not accept the API key \(401 Unauthorized\)/,
		);
		const withNewKey = await run(
			{ operation: 'getAll', returnAll: true },
			sandbox.credential({ apiKey: String(items[0].json.key) }),
		);
		expect(withNewKey.error).toBeUndefined();
		expect(JSON.stringify(after.error)).not.toContain(TENANT_KEY);
	});
});
