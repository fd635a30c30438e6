import { takeLogs } from './helpers/logs';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { NODE_TYPE, listSearch, runNode, testCredential } from './helpers/n8n';
import { closedPortUrl } from './helpers/receiver';
import type { Fault } from './helpers/sandbox';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import { disguises, findDisguisedSecrets, findSecrets } from './helpers/secrets';
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
	// Longer than the node waits by itself, so the 429's error path runs (shorter ones are waited out).
	['429 with Retry-After', { type: 'status', status: 429, retryAfter: 120 }],
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

// Issue 18, item 10: the service may echo the credential's key or key ID in another form. Every
// disguise is echoed in the text the node quotes (the message of a 400, the description of a 503),
// by a credential that holds that secret (a credential holds either the key or the key ID).
describe('a key or key ID echoed in disguise is redacted', () => {
	const ECHOED = [TENANT_KEY, SEED.tenantKey.id];
	const cases = ECHOED.flatMap((secret) =>
		disguises(secret).flatMap(([disguise, echo]) =>
			[400, 503].map((status): [string, number, string, string] => [
				`${secret === TENANT_KEY ? 'key' : 'key ID'} ${disguise}, in a ${status}`,
				status,
				echo,
				secret,
			]),
		),
	);

	test.each(cases)('%s', async (_name, status, echo, secret) => {
		const outcome = await nodeRun(getStatus, secret === TENANT_KEY ? byKey() : byId(), {
			type: 'status',
			status,
			body: { error: `Unknown credential ${echo} for this account` },
		});
		const error = outcome.error as Error & { description?: string };
		// The service's words are quoted (so the echo was really put in front of the user)...
		expect(`${error.message} ${error.description}`).toContain('Unknown credential');
		expect(`${error.message} ${error.description}`).toContain('for this account');
		// ...without the secret in any form.
		const leaks = findDisguisedSecrets(
			{ message: error.message, description: error.description, error, run: outcome.run },
			ECHOED,
		);
		record('echoes');
		record('secretChecks');
		record('leaks', leaks.length);
		expect(leaks).toEqual([]);
	});

	test(`the table covers ${cases.length} echoes`, () => {
		expect(cases.length).toBeGreaterThanOrEqual(40);
	});
});

// Issue 18, item 9: the secrets receivers put in webhook URLs, wherever the node shows a URL:
// outputs, the Webhook list's labels, an AI agent's tool results and server messages quoting one.
describe('a webhook URL’s secret is hidden wherever the URL appears', () => {
	const shapes: Array<[string, string, string[]]> = [
		[
			'our trigger’s secret',
			'https://n8n.example.com/webhook/x/webhook?secret=TrigSecret0123456789',
			['TrigSecret0123456789'],
		],
		[
			'Azure Functions code',
			'https://fn.azurewebsites.net/api/pilot?code=AzFuncCode0123456789%3D%3D',
			['AzFuncCode0123456789'],
		],
		[
			'Azure SAS sig',
			'https://acct.blob.core.windows.net/in/b?sv=2022-11-02&sr=b&sig=SasSig0123456789abc%2Bdef',
			['SasSig0123456789abc'],
		],
		['hmac', 'https://crm.example.com/in?hmac=HmacValue0123456789', ['HmacValue0123456789']],
		[
			'Google Chat key and token',
			'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=GoogleKey0123456789&token=GoogleTok0123456789',
			['GoogleKey0123456789', 'GoogleTok0123456789'],
		],
		[
			'AWS presigned',
			'https://bucket.s3.amazonaws.com/in?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE0123%2F20240101&X-Amz-Signature=deadbeefcafe0123456789',
			['AKIAEXAMPLE0123', 'deadbeefcafe0123456789'],
		],
		[
			'a parameter name nobody listed',
			'https://crm.example.com/in?whatever=OpaqueValue0123&lang=pt',
			['OpaqueValue0123'],
		],
		['a fragment', 'https://crm.example.com/in#FragmentSecret0123', ['FragmentSecret0123']],
		[
			'user and password',
			'https://alice0123:Pa55w0rdSecret@crm.example.com/in',
			['alice0123', 'Pa55w0rdSecret'],
		],
		[
			'Slack path',
			'https://hooks.slack.com/services/T0EXAMPLE1/B0EXAMPLE2/SlackPathToken0123456789',
			['SlackPathToken0123456789'],
		],
		[
			'Discord path',
			'https://discord.com/api/webhooks/123456789012345678/DiscordToken_abcdefghijklmnop0123456789',
			['DiscordToken_abcdefghijklmnop0123456789'],
		],
		[
			'Teams path',
			'https://acme.webhook.office.com/webhookb2/1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b@2b3c4d5e-6f70-8192-a3b4-c5d6e7f80912/IncomingWebhook/0a1b2c3d4e5f60718293a4b5c6d7e8f9/3c4d5e6f-7081-92a3-b4c5-d6e7f8091a2b',
			['0a1b2c3d4e5f60718293a4b5c6d7e8f9', '1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
		],
		['Zapier path', 'https://hooks.zapier.com/hooks/catch/123456/zap1abc/', ['zap1abc']],
		[
			'Make path',
			'https://hook.eu1.make.com/makeabcdefghijklmnop0123456789',
			['makeabcdefghijklmnop0123456789'],
		],
		[
			'n8n webhook UUID path',
			'https://n8n.example.com/webhook/0b6e3c2a-1d4f-4e5a-9b8c-7d6e5f4a3b2c',
			['0b6e3c2a-1d4f-4e5a-9b8c-7d6e5f4a3b2c'],
		],
		['Pipedream host', 'https://eo0123456789abcdef.m.pipedream.net', ['eo0123456789abcdef']],
		['a raw key in the path', `https://crm.example.com/hooks/${TENANT_KEY}`, [TENANT_KEY]],
	];

	async function seed(url: string) {
		await sandbox.api('POST', '/v1/webhooks', {
			body: { url, name: 'Receiver', events: ['*'], whatsappNumberId: SEED.numbers[0].id },
		});
	}

	const getMany = { resource: 'webhook', operation: 'getAll', returnAll: true };

	function checked(shown: Record<string, unknown>, secrets: string[]) {
		const leaks = findSecrets(shown, secrets);
		record('secretChecks', Object.keys(shown).length);
		record('leaks', leaks.length);
		expect(leaks).toEqual([]);
	}

	test.each(shapes)('%s: outputs, list labels and AI tool results', async (_name, url, secrets) => {
		await seed(url);
		const output = await runNode({ parameters: getMany, credential: byKey() });
		const labels = await listSearch({ method: 'searchWebhooks', credential: byKey() });
		const tool = await runNode({
			parameters: getMany,
			credential: byKey(),
			type: `${NODE_TYPE}Tool`,
		});
		const host = new URL(url).hostname.split('.').slice(-2).join('.');
		// Something was shown, masked, for each: the host stays readable.
		expect(output.items.map((item) => item.json.url)).toEqual([expect.stringContaining(host)]);
		expect(output.items[0].json.url).toContain('…');
		expect(labels.results).toEqual([
			expect.objectContaining({ name: expect.stringContaining(host) }),
		]);
		expect(tool.items).toHaveLength(1);
		checked({ output: output.items, labels: labels.results, tool: tool.items }, secrets);
	});

	test.each(shapes)('%s: a server message quoting the URL', async (_name, url, secrets) => {
		for (const status of [400, 503]) {
			await sandbox.fault({
				type: 'status',
				status,
				body: { error: `Delivery to ${url} failed: connection refused` },
			});
			const { error, run } = await runNode({ parameters: getMany, credential: byKey() });
			expect(`${error?.message} ${error?.description}`).toContain('failed: connection refused');
			checked({ message: error?.message, description: error?.description, error, run }, secrets);
		}
	});
});
