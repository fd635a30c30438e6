import { runNode, testCredential } from './helpers/n8n';
import { closedPortUrl } from './helpers/receiver';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';

const sandbox = useSandbox();
const listNumbers = { resource: 'number', operation: 'getAll', returnAll: true };

describe('authentication headers', () => {
	test('API key mode sends only x-api-key, trimmed, and never Authorization', async () => {
		const { error } = await runNode({
			parameters: listNumbers,
			credential: sandbox.credential({ apiKey: `  ${TENANT_KEY}\n` }),
		});
		expect(error).toBeUndefined();
		const [request] = await sandbox.requests();
		expect(request.authHeaders).toEqual(['x-api-key']);
		expect(request.emptyAuthHeader).toBe(false);
		expect(request.keyId).toBe(SEED.tenantKey.id);
	});

	test('API key ID mode sends only x-api-key-id, and the service resolves it', async () => {
		const { error, items } = await runNode({
			parameters: listNumbers,
			credential: sandbox.credential({ keyType: 'apiKeyId', apiKeyId: SEED.tenantKey.id }),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		const [request] = await sandbox.requests();
		expect(request.authHeaders).toEqual(['x-api-key-id']);
		expect(request.keyId).toBe(SEED.tenantKey.id);
	});

	test('a key left over from the other mode is not sent', async () => {
		await runNode({
			parameters: listNumbers,
			credential: sandbox.credential({
				keyType: 'apiKeyId',
				apiKeyId: SEED.tenantKey.id,
				apiKey: NUMBER_KEY,
			}),
		});
		expect((await sandbox.requests())[0].authHeaders).toEqual(['x-api-key-id']);
	});

	test.each([
		['API Key', { apiKey: '   ' }],
		['API Key ID', { keyType: 'apiKeyId', apiKeyId: '' }],
	])('an empty %s fails before any request, naming the field', async (field, overrides) => {
		const { error } = await runNode({
			parameters: listNumbers,
			credential: sandbox.credential(overrides),
		});
		expect(error?.message).toContain(`has no ${field}`);
		expect(error?.message).toContain('Profile → API tab');
		expect(await sandbox.requests()).toHaveLength(0);
	});

	test.each(['', '/', '/v1', '/v1/', '/V1//'])(
		'Base URL ending in "%s" still reaches /v1/numbers',
		async (suffix) => {
			const { error } = await runNode({
				parameters: listNumbers,
				credential: sandbox.credential({ baseUrl: ` ${sandbox.url}${suffix} ` }),
			});
			expect(error).toBeUndefined();
			expect((await sandbox.requests()).map((request) => request.path)).toEqual(['/v1/numbers']);
		},
	);
});

describe('credential test (as n8n runs it from the credential dialog)', () => {
	test('a tenant key passes, checked against an endpoint every reading of the docs allows it', async () => {
		await expect(testCredential(sandbox.credential())).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(
			(await sandbox.requests()).map((request) => `${request.method} ${request.path}`),
		).toEqual(['GET /v1/numbers']);
	});

	test('a tenant key ID passes', async () => {
		const result = await testCredential(
			sandbox.credential({ keyType: 'apiKeyId', apiKeyId: SEED.tenantKey.id }),
		);
		expect(result.status).toBe('OK');
		expect((await sandbox.requests())[0].authHeaders).toEqual(['x-api-key-id']);
	});

	test('a wrong key is reported as not accepted', async () => {
		const result = await testCredential(sandbox.credential({ apiKey: 'ps_example_wrong_key' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/did not accept this key \(401\)/);
		expect(result.message).not.toContain('ps_example_wrong_key');
	});

	test('a number-scoped key is reported as the wrong kind of key, with where the tenant key lives', async () => {
		const result = await testCredential(sandbox.credential({ apiKey: NUMBER_KEY }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('number-scoped key');
		expect(result.message).toContain('Profile → API tab');
	});

	test('a Base URL with no Pilot Status API behind it is reported', async () => {
		const result = await testCredential(
			sandbox.credential({ baseUrl: `${sandbox.url}/somewhere-else` }),
		);
		expect(result.message).toContain('No Pilot Status API answered at this Base URL');
	});

	test('rate limiting is reported', async () => {
		await sandbox.fault({ type: 'status', status: 429 });
		const result = await testCredential(sandbox.credential());
		expect(result.message).toContain('rate limiting');
	});

	test('an unreachable server fails with the connection error', async () => {
		const result = await testCredential(sandbox.credential({ baseUrl: await closedPortUrl() }));
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
