import { takeLogs } from './helpers/logs';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { listSearch, runNode, testCredential } from './helpers/n8n';
import { closedPortUrl } from './helpers/receiver';
import type { Fault } from './helpers/sandbox';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import { findSecrets } from './helpers/secrets';
import { record } from './helpers/summary';
import { activeTrigger } from './helpers/trigger';

// Every error path, run with known keys: no key (or key ID) may appear in an error message, its
// description, the error object itself (deeply, `cause` included), the run data n8n keeps, or
// anything n8n logged at debug level while it happened.
const sandbox = useSandbox();
const WRONG_KEY = 'ps_example_wrong_key_value';
const SECRETS = [TENANT_KEY, SEED.tenantKey.id, NUMBER_KEY, WRONG_KEY];

const getStatus = {
	resource: 'number',
	operation: 'getStatus',
	numberId: { __rl: true, mode: 'id', value: SEED.numbers[1].id },
};
const create = {
	resource: 'number',
	operation: 'create',
	name: 'Loja',
	phoneNumber: '5511955554444',
};
const byKey = () => sandbox.credential();
const byId = () => sandbox.credential({ keyType: 'apiKeyId', apiKeyId: SEED.tenantKey.id });

interface Outcome {
	error?: unknown;
	run?: unknown;
	message?: string;
}

async function nodeRun(
	parameters: IDataObject,
	credential: ICredentialDataDecryptedObject | null,
	fault?: Fault,
): Promise<Outcome> {
	if (fault) await sandbox.fault(fault);
	const result = await runNode({
		parameters: { ...parameters, requestOptions: { timeout: 500 } },
		credential,
	});
	// A change that happened is never turned into a failure: a problem after it is in the item.
	const problem =
		result.error?.message ?? (result.items[0]?.json.qrCodeError as string | undefined);
	return { error: result.error, run: result.run, message: problem };
}

const FAULTS: Array<[string, Fault]> = [
	['400', { type: 'status', status: 400, body: { error: 'Validation error' } }],
	['401', { type: 'status', status: 401, body: { error: 'Unauthorized' } }],
	[
		'403 NUMBER_SCOPE_NOT_ALLOWED',
		{ type: 'status', status: 403, body: { error: 'x', code: 'NUMBER_SCOPE_NOT_ALLOWED' } },
	],
	[
		'403 TENANT_SCOPE_NOT_ALLOWED',
		{ type: 'status', status: 403, body: { error: 'x', code: 'TENANT_SCOPE_NOT_ALLOWED' } },
	],
	['404', { type: 'status', status: 404, body: { error: 'Number not found' } }],
	['409', { type: 'status', status: 409, body: { error: 'Already connected' } }],
	['429 with Retry-After', { type: 'status', status: 429, retryAfter: 3 }],
	['500', { type: 'status', status: 500 }],
	['502 HTML', { type: 'html', status: 502 }],
	['503', { type: 'status', status: 503 }],
	['invalid JSON', { type: 'malformedJson' }],
	['HTML with 200', { type: 'html', status: 200 }],
	['empty body', { type: 'empty' }],
	['reset connection', { type: 'reset' }],
	['slow beyond the timeout', { type: 'slow', delayMs: 1500 }],
	[
		'400 echoing the key ID and the key in `code`',
		{
			type: 'status',
			status: 400,
			body: { error: `Unknown key ${SEED.tenantKey.id} (${TENANT_KEY})`, code: TENANT_KEY },
		},
	],
	[
		'403 echoing the key ID as an error-code-shaped `code`',
		{
			type: 'status',
			status: 403,
			body: { error: 'Forbidden', code: SEED.tenantKey.id.toUpperCase() },
		},
	],
];

const paths: Array<[string, () => Promise<Outcome>]> = [
	...FAULTS.map(([name, fault]): [string, () => Promise<Outcome>] => [
		`Get Status, API key: ${name}`,
		() => nodeRun(getStatus, byKey(), fault),
	]),
	...FAULTS.filter(([name]) =>
		['400', '429 with Retry-After', '503', 'reset connection', 'invalid JSON'].includes(name),
	).map(([name, fault]): [string, () => Promise<Outcome>] => [
		`Create, API key ID: ${name}`,
		() => nodeRun(create, byId(), fault),
	]),
	['Create: corrupt QR code', () => nodeRun(create, byKey(), { type: 'badQr' })],
	[
		'unreachable server, API key',
		async () => nodeRun(getStatus, sandbox.credential({ baseUrl: await closedPortUrl() })),
	],
	[
		'unreachable server, API key ID',
		async () => nodeRun(getStatus, { ...byId(), baseUrl: await closedPortUrl() }),
	],
	['a wrong key', () => nodeRun(getStatus, sandbox.credential({ apiKey: WRONG_KEY }))],
	['a number-scoped key', () => nodeRun(getStatus, sandbox.credential({ apiKey: NUMBER_KEY }))],
	[
		'a rotated key',
		async () => {
			await sandbox.api('POST', '/v1/api-keys/regenerate');
			return nodeRun(getStatus, byKey());
		},
	],
	['an empty key', () => nodeRun(getStatus, sandbox.credential({ apiKey: ' ' }))],
	['no credential', () => nodeRun(getStatus, null)],
	['a bad phone number', () => nodeRun({ ...create, phoneNumber: '={{ "12" }}' }, byKey())],
	[
		'a path trick in the id',
		() =>
			nodeRun(
				{ ...getStatus, numberId: { __rl: true, mode: 'id', value: '={{ "../api-keys" }}' } },
				byKey(),
			),
	],
	[
		'Wait for Connection timing out',
		() =>
			nodeRun(
				{
					resource: 'number',
					operation: 'waitForConnection',
					numberId: getStatus.numberId,
					pollInterval: 0.5,
					timeout: 0.01,
				},
				byKey(),
			),
	],
	[
		'Wait for Connection with persistent 503s',
		() =>
			nodeRun(
				{
					resource: 'number',
					operation: 'waitForConnection',
					numberId: getStatus.numberId,
					pollInterval: 0.5,
					timeout: 1,
				},
				byId(),
				{
					type: 'status',
					status: 503,
					retryAfter: 0,
					count: 10,
				},
			),
	],
	[
		'the number list with a number-scoped key',
		async () => {
			try {
				await listSearch({
					method: 'searchNumbers',
					credential: sandbox.credential({ apiKey: NUMBER_KEY }),
				});
				return {};
			} catch (error) {
				return { error, message: (error as Error).message };
			}
		},
	],
	[
		'trigger activation failing',
		async () => {
			const trigger = await activeTrigger({
				parameters: { events: ['*'], numbers: 'selected', numberIds: ['num_gone'] },
				credential: byKey(),
			});
			try {
				await trigger.activate();
				return {};
			} catch (error) {
				return { error, message: (error as Error).message };
			} finally {
				await trigger.stop();
			}
		},
	],
	...[
		['wrong key', WRONG_KEY],
		['number-scoped key', NUMBER_KEY],
	].map(([name, apiKey]): [string, () => Promise<Outcome>] => [
		`credential test, ${name}`,
		async () => {
			const verdict = await testCredential(sandbox.credential({ apiKey }));
			return { message: verdict.message };
		},
	]),
	[
		'credential test, unreachable',
		async () => ({
			message: (await testCredential(sandbox.credential({ baseUrl: await closedPortUrl() })))
				.message,
		}),
	],
];

let loggedSomething = false;

test.each(paths)('%s', async (_name, run) => {
	takeLogs();
	const outcome = await run();
	const logs = takeLogs();
	loggedSomething ||= logs.length > 0;
	expect(outcome.message ?? outcome.error).toBeDefined();
	const leaks = findSecrets(
		{ message: outcome.message, error: outcome.error, run: outcome.run, logs },
		SECRETS,
	);
	record('secretChecks');
	record('leaks', leaks.length);
	expect(leaks).toEqual([]);
});

test('the search covers n8n’s log output (it logged while the paths ran)', () => {
	expect(loggedSomething).toBe(true);
});

test('control: the search finds a key hidden in an error’s non-enumerable cause, as HTTP errors carry it', () => {
	const httpError = new Error('Request failed', {
		cause: { config: { headers: { 'x-api-key': TENANT_KEY } } },
	});
	expect(Object.keys(httpError)).not.toContain('cause');
	expect(findSecrets({ error: httpError }, SECRETS)).toEqual([[TENANT_KEY.slice(0, 6), 'error']]);
});
