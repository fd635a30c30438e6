import type { IDataObject } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';

const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;

async function run(parameters: IDataObject, credential = sandbox.credential()) {
	return runNode({ parameters: { resource: 'apiKey', ...parameters }, credential });
}

describe('API Key → Get Many', () => {
	test('masks key values by default', async () => {
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect((await sandbox.requests())[0]).toMatchObject({ method: 'GET', path: '/v1/api-keys' });
		expect(items.map((item) => item.json)).toEqual([
			{
				numberId: suporte.id,
				number: suporte.number,
				displayName: 'Suporte',
				keyId: suporte.key.id,
				keyLast4: 'orte',
				key: 'ps_…orte',
				revealable: true,
			},
			{
				numberId: vendas.id,
				number: vendas.number,
				displayName: 'Vendas',
				keyId: vendas.key.id,
				keyLast4: 'ndas',
				key: null,
				revealable: false,
			},
		]);
		expect(JSON.stringify(items)).not.toContain(suporte.key.value);
	});

	test('reveals key values only when asked', async () => {
		const { items } = await run({
			operation: 'getAll',
			returnAll: true,
			options: { revealKeys: true },
		});
		expect(items[0].json.key).toBe(suporte.key.value);
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
			'This operation needs the tenant API key, but the credential holds a number-scoped key (403)',
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
			keyId: expect.any(String),
			keyPrefix: 'ps_',
			keyLast4: fresh.slice(-4),
		});
		expect((await sandbox.api('GET', '/v1/webhooks', { key: suporte.key.value })).status).toBe(401);
		expect((await sandbox.api('GET', '/v1/webhooks', { key: fresh })).status).toBe(200);
	});

	test('an unknown number is reported with its id', async () => {
		const { error } = await run({
			operation: 'regenerate',
			numberId: { __rl: true, mode: 'id', value: 'num_gone' },
		});
		expect(error?.message).toBe(
			'There is no number with ID "num_gone" in this Pilot Status account (404)',
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

describe('API Key → Rotate Own Key', () => {
	test('returns the new key of the credential, and the credential stops working', async () => {
		const { items } = await run({ operation: 'rotateOwnKey' });
		expect((await sandbox.requests())[0]).toMatchObject({
			method: 'POST',
			path: '/v1/api-keys/regenerate',
			keyId: SEED.tenantKey.id,
		});
		expect(items[0].json).toMatchObject({ scope: 'tenant', key: expect.stringMatching(/^ps_/) });

		const after = await run({ operation: 'getAll', returnAll: true });
		expect(after.error?.message).toBe('Pilot Status did not accept the API key (401 Unauthorized)');
		const withNewKey = await run(
			{ operation: 'getAll', returnAll: true },
			sandbox.credential({ apiKey: String(items[0].json.key) }),
		);
		expect(withNewKey.error).toBeUndefined();
		expect(JSON.stringify(after.error)).not.toContain(TENANT_KEY);
	});
});
