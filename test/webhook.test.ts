import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { listSearch, runNode } from './helpers/n8n';
import type { Fault } from './helpers/sandbox';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Webhook → Get Many, Get, Create, Update, Delete, Get Delivery Logs against the sandbox.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const TRIGGER_URL = `http://127.0.0.1:5678/webhook/7f1c1f5e-8e2b-4b8a-9d1e-2a3b4c5d6e7f/webhook?secret=${'a1'.repeat(32)}`;
const WAIT_URL =
	'http://127.0.0.1:5678/webhook-waiting/42?signature=abc123&number=num_x&started=1&secret=def456';

async function run(
	parameters: IDataObject,
	items?: INodeExecutionData[],
	credential = sandbox.credential(),
) {
	return runNode({ parameters: { resource: 'webhook', ...parameters }, credential, items });
}

async function seedWebhooks() {
	const made = [];
	for (const body of [
		{
			url: 'https://crm.example.com/pilot',
			name: 'CRM',
			events: ['*'],
			whatsappNumberId: suporte.id,
		},
		{
			url: TRIGGER_URL,
			name: 'n8n: Onboarding',
			events: ['number.connected'],
			whatsappNumberId: vendas.id,
		},
		{
			url: WAIT_URL,
			name: `n8n Wait for Connection · execution 42 · until ${new Date(Date.now() + 600_000).toISOString()}`,
			events: ['number.connected'],
			whatsappNumberId: suporte.id,
		},
	]) {
		made.push(String((await sandbox.api('POST', '/v1/webhooks', { body })).body.id));
	}
	await sandbox.control('DELETE', '/requests');
	return made;
}

describe('Webhook → Get Many', () => {
	test('lists every webhook in one shape, marks the trigger’s and the wait’s, hides their secrets', async () => {
		const [crm, trigger, wait] = await seedWebhooks();
		const { items, error } = await run({
			operation: 'getAll',
			returnAll: true,
			simplifyWebhook: false,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				id: crm,
				name: 'CRM',
				url: 'https://crm.example.com/pilot',
				numberId: suporte.id,
				events: ['*'],
				active: true,
				createdByTrigger: false,
				createdByWaitForConnection: false,
			}),
			expect.objectContaining({
				id: trigger,
				url: 'http://127.0.0.1:5678/webhook/…/webhook?secret=…',
				createdByTrigger: true,
			}),
			expect.objectContaining({ id: wait, createdByWaitForConnection: true }),
		]);
		expect(Object.keys(items[0].json).sort()).toEqual([
			'active',
			'createdAt',
			'createdByTrigger',
			'createdByWaitForConnection',
			'environment',
			'events',
			'id',
			'lastTriggered',
			'name',
			'numberId',
			'updatedAt',
			'url',
		]);
		const text = JSON.stringify(items);
		expect(text).not.toContain('a1a1a1');
		expect(text).not.toContain('abc123');
		expect(text).not.toContain('def456');
		expect((await sandbox.requests())[0]).toMatchObject({ method: 'GET', path: '/v1/webhooks' });
	});

	test('Simplify (on by default) keeps who it is, where it goes and whether it is active', async () => {
		await seedWebhooks();
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect(Object.keys(items[0].json).sort()).toEqual([
			'active',
			'createdByTrigger',
			'createdByWaitForConnection',
			'events',
			'id',
			'name',
			'numberId',
			'url',
		]);
	});

	test('Reveal Secrets in URLs shows them', async () => {
		await seedWebhooks();
		const { items } = await run({
			operation: 'getAll',
			returnAll: true,
			options: { revealSecrets: true },
		});
		expect(items[1].json.url).toBe(TRIGGER_URL);
	});

	test('secrets other receivers put in their URLs are hidden too: token, key, user and password, a raw key', async () => {
		const urls = [
			'https://crm.example.com/hooks?token=s3cr3t&source=pilot',
			'https://crm.example.com/hooks?Api_Key=abc&X-Auth=def',
			'https://user:p4ssw0rd@crm.example.com/hooks',
			'https://sk_live_abc123@api.example.com/hooks#token=s3cr3t',
			'https://crm.example.com/hooks/ps_example_0123456789abcdef?id=1',
			'https://crm.example.com/groups_onboarding/steps_done?number=1',
		];
		for (const url of urls) {
			await sandbox.api('POST', '/v1/webhooks', {
				body: { url, events: ['*'], whatsappNumberId: suporte.id },
			});
		}
		const { items } = await run({ operation: 'getAll', returnAll: true });
		const shown = items.map((item) => item.json.url).sort();
		expect(shown).toEqual(
			[
				'https://crm.example.com/hooks?token=…&source=pilot',
				'https://crm.example.com/hooks?Api_Key=…&X-Auth=…',
				'https://…:…@crm.example.com/hooks',
				'https://…@api.example.com/hooks#…',
				'https://crm.example.com/hooks/…?id=…',
				'https://crm.example.com/groups_onboarding/steps_done?number=…',
			].sort(),
		);
	});

	test('one number’s webhooks, and Limit', async () => {
		await seedWebhooks();
		const { items } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { numberId: byId(suporte.id) },
		});
		expect(items.map((item) => item.json.numberId)).toEqual([suporte.id, suporte.id]);
		const limited = await run({ operation: 'getAll', returnAll: false, limit: 1 });
		expect(limited.items).toHaveLength(1);
	});
});

describe('Webhook → Create, Get, Update, Delete', () => {
	test('Create sends the number, URL and events, and outputs the webhook', async () => {
		const { items, error } = await run({
			operation: 'create',
			webhookNumberId: byId(suporte.id),
			url: 'https://crm.example.com/in',
			events: ['number.connected', 'number.disconnected'],
			options: { name: 'CRM' },
		});
		expect(error).toBeUndefined();
		const [request] = await sandbox.requests();
		expect(request).toMatchObject({
			method: 'POST',
			path: '/v1/webhooks',
			body: {
				url: 'https://crm.example.com/in',
				events: ['number.connected', 'number.disconnected'],
				whatsappNumberId: suporte.id,
				name: 'CRM',
			},
		});
		expect(items[0].json).toMatchObject({ name: 'CRM', numberId: suporte.id, active: true });
	});

	test('Create with Active off creates the webhook paused', async () => {
		const { items } = await run({
			operation: 'create',
			webhookNumberId: byId(suporte.id),
			url: 'https://crm.example.com/in',
			events: ['*'],
			options: { active: false },
		});
		// The same item as an active Create (the pause's answer lacks the number), only paused.
		expect(items[0].json).toMatchObject({
			numberId: suporte.id,
			url: 'https://crm.example.com/in',
			events: ['*'],
			active: false,
			createdByTrigger: false,
		});
		const state = await sandbox.state();
		expect(state.webhooks[0].active).toBe(false);
	});

	test('Create checks the URL and the events before sending', async () => {
		const { error } = await run({
			operation: 'create',
			webhookNumberId: byId(suporte.id),
			url: '={{ "ftp://x" }}',
			events: '={{ [] }}',
		});
		expect(error?.message).toBe(
			'2 fields need a fix: URL "ftp://x" is not an http(s) address, e.g. https://example.com/hooks/pilot-status. Events is empty: a webhook without events receives nothing. Choose at least one, or All Events. Nothing was sent.',
		);
		expect(await sandbox.requests()).toEqual([]);
	});

	test('Get reads one webhook, picked from the list', async () => {
		const [crm] = await seedWebhooks();
		const { results } = await listSearch({
			method: 'searchWebhooks',
			credential: sandbox.credential(),
		});
		expect(results.map((result) => result.name)).toEqual([
			'CRM → https://crm.example.com/pilot · active',
			'n8n: Onboarding (Pilot Status Trigger) → http://127.0.0.1:5678/webhook/…/webhook?secret=… · active',
			expect.stringMatching(
				/^n8n Wait for Connection · execution 42 · until .* \(Wait for Connection\) → .* · active$/,
			),
		]);
		const { items } = await run({
			operation: 'get',
			webhookId: { __rl: true, mode: 'list', value: results[0].value },
		});
		expect(items[0].json).toMatchObject({ id: crm, name: 'CRM' });
	});

	test('Update pauses and resumes, and changes only what was added', async () => {
		const [crm] = await seedWebhooks();
		const paused = await run({
			operation: 'update',
			webhookId: byId(crm),
			updateFields: { active: false },
		});
		expect(paused.items[0].json.active).toBe(false);
		expect((await sandbox.requests())[0]).toMatchObject({
			method: 'PATCH',
			path: `/v1/webhooks/${crm}`,
			body: { active: false },
		});
		const resumed = await run({
			operation: 'update',
			webhookId: byId(crm),
			updateFields: { active: true, events: ['number.removed'] },
		});
		expect(resumed.items[0].json).toMatchObject({ active: true, events: ['number.removed'] });
	});

	test('Update with nothing to change is refused before sending', async () => {
		const [crm] = await seedWebhooks();
		const { error } = await run({ operation: 'update', webhookId: byId(crm), updateFields: {} });
		expect(error?.message).toContain('Update Fields is empty');
		expect(await sandbox.requests()).toEqual([]);
	});

	test('Delete removes it and says so', async () => {
		const [crm] = await seedWebhooks();
		const { items } = await run({ operation: 'delete', webhookId: byId(crm) });
		expect(items[0].json).toEqual({ webhookId: crm, deleted: true });
		expect((await sandbox.state()).webhooks.map((webhook) => webhook.id)).not.toContain(crm);
	});
});

describe('Webhook → Get Delivery Logs', () => {
	test('real deliveries, newest first, with event, status code, time and attempt', async () => {
		const { body } = await sandbox.api('POST', '/v1/webhooks', {
			body: { url: 'http://127.0.0.1:9/nowhere', events: ['*'], whatsappNumberId: suporte.id },
		});
		await sandbox.control('POST', '/events', {
			numberId: suporte.id,
			event: 'number.connected',
			repeat: 2,
		});
		await sandbox.control('POST', '/events', {
			numberId: suporte.id,
			event: 'number.disconnected',
		});
		const { items, error } = await run({
			operation: 'getLogs',
			webhookId: byId(String(body.id)),
			returnAll: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.event, item.json.attempt, item.json.status])).toEqual([
			['number.disconnected', 1, 'FAILED'],
			['number.connected', 2, 'FAILED'],
			['number.connected', 1, 'FAILED'],
		]);
		expect(items[0].json).toMatchObject({
			webhookId: body.id,
			statusCode: 0,
			createdAt: expect.stringMatching(/^\d{4}-/),
		});
		const request = (await sandbox.requests()).slice(-1)[0];
		expect(request).toMatchObject({ path: `/v1/webhooks/${body.id}/logs`, query: { limit: '50' } });
	});

	test('an event filter and Limit', async () => {
		const { body } = await sandbox.api('POST', '/v1/webhooks', {
			body: { url: 'http://127.0.0.1:9/nowhere', events: ['*'], whatsappNumberId: suporte.id },
		});
		await sandbox.control('POST', '/events', {
			numberId: suporte.id,
			event: 'number.connected',
			repeat: 3,
		});
		const { items } = await run({
			operation: 'getLogs',
			webhookId: byId(String(body.id)),
			returnAll: false,
			limit: 2,
			options: { event: 'number.connected' },
		});
		expect(items).toHaveLength(2);
		expect((await sandbox.requests()).slice(-1)[0].query).toEqual({
			limit: '50',
			event: 'number.connected',
		});
	});
});

describe('Webhook → Get Delivery Logs, answers the docs do not show', () => {
	const log = (createdAt: string, data: IDataObject, attemptOf = createdAt) => ({
		event: 'number.connected',
		status: 'FAILED',
		statusCode: 500,
		createdAt,
		payload: { event: 'number.connected', data, createdAt: attemptOf },
	});
	const getLogs = () => run({ operation: 'getLogs', webhookId: byId('wh_any'), returnAll: true });

	test.each([['logs'], ['data'], ['deliveries']])(
		'a list wrapped in {%s: [...]} is read',
		async (wrapper) => {
			const logs = [log('2026-11-23T10:00:00.000Z', { id: 'evt_1' })];
			await sandbox.fault({ type: 'status', status: 200, body: { [wrapper]: logs, total: 1 } });
			const { items, error } = await getLogs();
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.createdAt)).toEqual(['2026-11-23T10:00:00.000Z']);
		},
	);

	test('an answer without one list is an error, not "no deliveries"', async () => {
		await sandbox.fault({ type: 'status', status: 200, body: { logs: [], older: [] } });
		const { error } = await getLogs();
		expect(error?.message).toBe(
			'Pilot Status sent a response the node cannot read (JSON without the expected list).',
		);
	});

	test('where data.id is the number’s ID, separate connects are not counted as retries of one', async () => {
		const data = { id: suporte.id };
		await sandbox.fault({
			type: 'status',
			status: 200,
			body: [
				log('2026-11-21T10:00:00.000Z', data),
				log('2026-11-22T10:00:00.000Z', data),
				// A retry of the second: the same payload, logged a minute later.
				log('2026-11-22T10:01:00.000Z', data, '2026-11-22T10:00:00.000Z'),
			],
		});
		const { items } = await getLogs();
		expect(items.map((item) => item.json.attempt)).toEqual([2, 1, 1]);
	});
});

describe('errors, each with the fix', () => {
	test.each<[string, Fault, RegExp]>([
		[
			'an unknown webhook',
			{
				type: 'status',
				status: 404,
				body: { error: 'Webhook not found', code: 'WEBHOOK_NOT_FOUND' },
			},
			/^Webhook "wh_gone" was not found \(404 WEBHOOK_NOT_FOUND\)\. Nothing was changed\.$/,
		],
		[
			'NUMBER_REQUIRED',
			{ type: 'status', status: 400, body: { error: 'x', code: 'NUMBER_REQUIRED' } },
			/NUMBER_REQUIRED\)\. Nothing was changed\. Pick the number/,
		],
		[
			'NUMBER_MISMATCH',
			{ type: 'status', status: 400, body: { error: 'x', code: 'NUMBER_MISMATCH' } },
			/NUMBER_MISMATCH\)\. Nothing was changed\. Pick that key’s own number, or use the tenant key\./,
		],
	])('%s', async (_name, fault, message) => {
		await sandbox.fault(fault);
		const { error } = await run({ operation: 'get', webhookId: byId('wh_gone') });
		expect(error?.message).toMatch(message);
	});

	test('a number-scoped key creating a webhook for another number gets NUMBER_MISMATCH explained', async () => {
		const { error } = await run(
			{
				operation: 'create',
				webhookNumberId: byId(vendas.id),
				url: 'https://crm.example.com/in',
				events: ['*'],
			},
			undefined,
			sandbox.credential({ apiKey: NUMBER_KEY }),
		);
		expect(error?.message).toContain('(400 NUMBER_MISMATCH)');
		expect(JSON.stringify(error)).not.toContain(NUMBER_KEY);
	});
});

describe('issue 18 item 12: Create with Active off returns a paused webhook or says why not', () => {
	const createPaused = () =>
		run({
			operation: 'create',
			webhookNumberId: byId(suporte.id),
			url: 'https://crm.example.com/in',
			events: ['*'],
			options: { active: false },
		});
	const patches = async () =>
		(await sandbox.requests()).filter((request) => request.method === 'PATCH');

	test.each<[string, IDataObject]>([
		['no id', { name: 'CRM', url: 'https://crm.example.com/in', active: true }],
		['an id of "..", which would leave its path segment', { id: '..', active: true }],
		['an id that is not text', { id: { value: 'wh_1' }, active: true }],
	])(
		'a create answer with %s: the item says it could not be paused; no PATCH is sent',
		async (_name, body) => {
			await sandbox.fault({
				type: 'status',
				status: 201,
				body,
				afterHandling: true,
				method: 'POST',
				path: '/v1/webhooks',
			});
			const { items, error } = await createPaused();
			expect(error).toBeUndefined();
			expect(items[0].json.activeError).toBe(
				'The webhook was created but could not be paused: Pilot Status’s answer named no usable webhook ID, so it is probably delivering already. Find it with Webhook → Get Many and pause it with Update → Active.',
			);
			expect(await patches()).toEqual([]);
			record('faults');
		},
	);

	test('a pause answered with active: true is not reported as paused', async () => {
		await sandbox.fault({
			type: 'status',
			status: 200,
			body: { active: true },
			method: 'PATCH',
			path: '/v1/webhooks/',
		});
		const { items } = await createPaused();
		expect(items[0].json.active).toBe(true);
		expect(items[0].json.activeError).toBe(
			'The webhook was created but could not be paused: Pilot Status answered that it is still active. Pause it with Update → Active.',
		);
		record('faults');
	});

	test('a pause that fails says so on the item; the webhook is not created twice', async () => {
		await sandbox.fault({ type: 'status', status: 500, method: 'PATCH', path: '/v1/webhooks/' });
		const { items, error } = await createPaused();
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			active: true,
			activeError: expect.stringMatching(
				/^The webhook was created but could not be paused: .*500.* Pause it with Update → Active\.$/,
			),
		});
		expect((await sandbox.state()).webhooks).toHaveLength(1);
		record('faults');
	});
});
