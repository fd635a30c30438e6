import { createHash, createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { SEED, useSandbox } from './helpers/sandbox';
import type { SandboxState } from './helpers/sandbox';
import { record } from './helpers/summary';
import { activeTrigger } from './helpers/trigger';
import type { ActiveTrigger } from './helpers/trigger';

// The trigger's webhook methods against the sandbox, and real HTTP deliveries into webhook()
// through n8n-core's WebhookContext. What only a real n8n can show (what it saves between calls,
// activation through its REST API) is proven in e2e/trigger.test.js.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
let trigger: ActiveTrigger | undefined;

afterEach(async () => {
	await trigger?.stop();
	trigger = undefined;
});

async function start(parameters: IDataObject) {
	trigger = await activeTrigger({ parameters, credential: sandbox.credential() });
	return trigger;
}

interface Stored {
	registration?: { webhookIds: Record<string, string>; secret: string };
	undeleted?: string[];
}

const webhooks = async (): Promise<SandboxState['webhooks']> => (await sandbox.state()).webhooks;
const stored = (active: ActiveTrigger) => active.nodeStaticData() as IDataObject & Stored;
const numberSecret = (active: ActiveTrigger, numberId: string) =>
	createHmac('sha256', stored(active).registration!.secret).update(numberId).digest('hex');
/** The path and query a number's webhook was registered with. */
const urlFor = (active: ActiveTrigger, numberId: string) =>
	`${new URL(active.webhookUrl).pathname}?secret=${numberSecret(active, numberId)}`;
let unique = 0;
const eventId = () => `evt_test_${Date.now()}_${(unique += 1)}`;
/** What the trigger keeps of a delivery key: 96 bits of its SHA-256, in base64url. */
const digest = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 16);

describe('webhook registration', () => {
	test('activation registers one webhook per number, each with its own secret', async () => {
		const active = await start({
			events: ['number.connected', 'number.disconnected'],
			numbers: 'all',
		});
		await active.activate();
		const registered = await webhooks();
		expect(registered.map((webhook) => webhook.whatsappNumberIds)).toEqual([
			[suporte.id],
			[vendas.id],
		]);
		for (const webhook of registered) {
			const [numberId] = webhook.whatsappNumberIds;
			expect(webhook.url).toBe(`${active.webhookUrl}?secret=${numberSecret(active, numberId)}`);
			expect(webhook.events).toEqual(['number.connected', 'number.disconnected']);
			expect(webhook.name).toBe('n8n: Onboarding');
		}
		expect(registered[0].url).not.toBe(registered[1].url);
		expect(stored(active).registration!.webhookIds).toEqual({
			[suporte.id]: registered[0].id,
			[vendas.id]: registered[1].id,
		});
		expect(
			(await sandbox.requests())
				.filter((request) => request.method === 'POST')
				.map((request) => request.body?.whatsappNumberId),
		).toEqual([suporte.id, vendas.id]);
	});

	test('selected numbers only; events only sent to "*" subscriptions subscribe to "*"', async () => {
		const active = await start({
			events: ['number.connected', 'number.health_blocked'],
			numbers: 'selected',
			numberIds: [vendas.id],
		});
		await active.activate();
		expect(
			(await webhooks()).map((webhook) => [webhook.whatsappNumberIds, webhook.events]),
		).toEqual([[[vendas.id], ['*']]]);
	});

	test('checkExists finds the webhooks again after a restart, so nothing is registered twice', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		active.restart();
		expect(await active.checkExists()).toBe(true);
		await active.activate();
		expect(await webhooks()).toHaveLength(2);
	});

	test('a webhook deleted behind n8n’s back is noticed, and activation registers a clean set', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		const first = stored(active).registration!.webhookIds[suporte.id];
		await sandbox.api('DELETE', `/v1/webhooks/${first}`);
		expect(await active.checkExists()).toBe(false);
		await active.activate();
		expect(await webhooks()).toHaveLength(2);
		expect((await webhooks()).map((webhook) => webhook.id)).not.toContain(first);
	});

	test('changed settings replace the old webhooks', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		active.setParameters({ events: ['number.removed'] });
		await active.activate();
		expect((await webhooks()).map((webhook) => webhook.events)).toEqual([
			['number.removed'],
			['number.removed'],
		]);
	});

	test('deactivation deletes exactly the webhooks pointing at this trigger', async () => {
		const other = await sandbox.api('POST', '/v1/webhooks', {
			body: { url: 'https://example.com/crm', events: ['*'], whatsappNumberId: suporte.id },
		});
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		expect(await active.delete()).toBe(true);
		expect((await webhooks()).map((webhook) => webhook.id)).toEqual([other.body.id]);
		expect(stored(active).registration).toBeUndefined();
	});

	test('deactivation tolerates webhooks that are already gone', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [vendas.id],
		});
		await active.activate();
		await sandbox.api(
			'DELETE',
			`/v1/webhooks/${stored(active).registration!.webhookIds[vendas.id]}`,
		);
		expect(await active.delete()).toBe(true);
	});

	test('selecting no numbers is refused with a clear message', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [],
		});
		await expect(active.activate()).rejects.toThrow('No numbers are selected');
	});

	test('a number-scoped credential gets the tenant-key message', async () => {
		trigger = await activeTrigger({
			parameters: { events: ['number.connected'], numbers: 'all' },
			credential: sandbox.credential({ apiKey: suporte.key.value }),
		});
		await expect(trigger.activate()).rejects.toThrow('needs the tenant API key');
	});
});

describe('the trigger’s settings are checked before anything is sent', () => {
	test.each([
		['comma-separated text', `={{ "${suporte.id}, ${vendas.id},${vendas.id}," }}`],
		['a list', `={{ ["${vendas.id}", "${suporte.id}"] }}`],
	])(
		'Number IDs from an expression as %s register one webhook per number',
		async (_name, numberIds) => {
			const active = await start({ events: ['number.connected'], numbers: 'selected', numberIds });
			await active.activate();
			expect((await webhooks()).map((webhook) => webhook.whatsappNumberIds[0]).sort()).toEqual(
				[suporte.id, vendas.id].sort(),
			);
			expect(Object.keys(stored(active).registration!.webhookIds).sort()).toEqual(
				[suporte.id, vendas.id].sort(),
			);
			record('trigger');
		},
	);

	test.each([
		[
			'a phone number among the IDs',
			{ numbers: 'selected', numberIds: `={{ "${suporte.id}, +55 11 99999-9999" }}` },
			'Number Names or IDs "+55 11 99999-9999" looks like a phone number, not an ID.',
		],
		[
			'text that is no ID',
			{ numbers: 'selected', numberIds: ['not an id!'] },
			'Number Names or IDs "not an id!" is not a valid ID.',
		],
		[
			'an expression that gives a list with an object in it',
			{ numbers: 'selected', numberIds: `={{ ["${suporte.id}", { "id": "${vendas.id}" }] }}` },
			'Number Names or IDs must be text, but the value is object.',
		],
		[
			'an expression that gives empty text',
			{ numbers: 'selected', numberIds: '={{ "" }}' },
			'No numbers are selected: choose at least one under Number Names or IDs, or set Numbers to All Numbers.',
		],
		[
			'no events (All Numbers: not even the numbers are listed)',
			{ events: [], numbers: 'all' },
			'Events is empty: a webhook without events receives nothing. Choose at least one, or All Events.',
		],
		[
			'no events and a bad ID, named together',
			{ events: '={{ "" }}', numbers: 'selected', numberIds: ['num bad'] },
			'2 fields need a fix: Events is empty',
		],
	])(
		'%s is refused with a message naming the field, and nothing is sent',
		async (_name, parameters, message) => {
			const active = await start({ events: ['number.connected'], ...parameters });
			const failure = await active.activate().catch((error: Error) => error);
			expect(failure).toBeInstanceOf(Error);
			expect((failure as Error).message).toContain(message);
			expect((failure as Error).message).toContain('Nothing was sent.');
			expect(await sandbox.requests()).toEqual([]);
			expect(stored(active).registration).toBeUndefined();
			record('trigger');
		},
	);

	test('settings made bad after activation are refused by checkExists before any request', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		const sent = (await sandbox.requests()).length;
		active.setParameters({ numbers: 'selected', numberIds: '={{ "num_01, +5511999999999" }}' });
		await expect(active.checkExists()).rejects.toThrow(
			'Number Names or IDs "+5511999999999" looks like a phone number',
		);
		expect(await sandbox.requests()).toHaveLength(sent);
		expect(await webhooks()).toHaveLength(2);
		record('trigger');
	});
});

describe('checkExists rides out answers that say nothing about the webhooks', () => {
	// At n8n's startup every active trigger runs checkExists at once; a rate limit there must not
	// fail the activation of every trigger workflow.
	test.each([
		['a rate limit (429)', { type: 'status', status: 429 }],
		['a server error (500)', { type: 'status', status: 500 }],
		['a server error (503)', { type: 'status', status: 503 }],
		['no answer (connection reset)', { type: 'reset' }],
	] as const)(
		'%s counts as still registered: nothing is registered again',
		async (_name, fault) => {
			const active = await start({ events: ['number.connected'], numbers: 'all' });
			await active.activate();
			const before = await webhooks();
			await sandbox.fault({ ...fault, method: 'GET', path: '/v1/webhooks/' });
			active.restart();
			expect(await active.checkExists()).toBe(true);
			expect((await sandbox.requests()).filter((request) => request.fault)).toHaveLength(1);
			await active.activate();
			expect(await webhooks()).toEqual(before);
			expect(
				(await sandbox.requests()).filter((request) => request.method === 'POST'),
			).toHaveLength(2);
			record('trigger');
		},
	);

	test('a rate limit on listing the numbers (All Numbers) counts as still registered too', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		await sandbox.fault({ type: 'status', status: 429, method: 'GET', path: '/v1/numbers' });
		expect(await active.checkExists()).toBe(true);
		record('trigger');
	});

	test('a 404 still means gone, and other answers still fail with their message', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		await sandbox.fault({ type: 'status', status: 404, method: 'GET', path: '/v1/webhooks/' });
		expect(await active.checkExists()).toBe(false);
		await sandbox.fault({ type: 'status', status: 401, method: 'GET', path: '/v1/webhooks/' });
		await expect(active.checkExists()).rejects.toThrow(
			'Pilot Status did not accept the API key (401 Unauthorized)',
		);
		record('trigger');
	});
});

describe('registration is all or nothing, and nothing is silently left behind', () => {
	test('if one registration fails, the ones made are removed and the error says why', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [suporte.id, 'num_gone'],
		});
		await expect(active.activate()).rejects.toThrow(
			'There is no number with ID "num_gone" in this Pilot Status account (404)',
		);
		expect(await webhooks()).toEqual([]);
		record('trigger');
	});

	test('a webhook the rollback cannot delete is named, remembered and removed at the next activation', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [suporte.id, 'num_gone'],
		});
		await sandbox.fault({ type: 'status', status: 500, method: 'DELETE', path: '/v1/webhooks/' });
		const failure = await active.activate().catch((error: Error) => error);
		const [stuck] = (await webhooks()).map((webhook) => webhook.id);
		expect(String(failure)).toContain(`1 webhook(s) could not be deleted: ${stuck}`);
		expect(stored(active).undeleted).toEqual([stuck]);

		active.setParameters({ numberIds: [vendas.id] });
		await active.activate();
		expect((await webhooks()).map((webhook) => webhook.whatsappNumberIds)).toEqual([[vendas.id]]);
		expect(stored(active).undeleted).toBeUndefined();
		record('trigger');
	});

	test('a partly failed deactivation is named; activating again registers every chosen number', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		const ids = stored(active).registration!.webhookIds;
		await sandbox.fault({
			type: 'status',
			status: 503,
			method: 'DELETE',
			path: `/v1/webhooks/${ids[vendas.id]}`,
		});
		await expect(active.delete()).rejects.toThrow(
			`The trigger was deactivated, but 1 webhook(s) could not be deleted: ${ids[vendas.id]}`,
		);
		expect(stored(active).registration).toBeUndefined();

		await active.activate();
		const after = await webhooks();
		expect(after.map((webhook) => webhook.whatsappNumberIds)).toEqual([[suporte.id], [vendas.id]]);
		expect(after.map((webhook) => webhook.id)).not.toContain(ids[vendas.id]);
		record('trigger');
	});

	test('a webhook pointing at this trigger whose ID was never saved is removed too', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [suporte.id],
		});
		const stray = await sandbox.api('POST', '/v1/webhooks', {
			body: { url: `${active.webhookUrl}?secret=old`, events: ['*'], whatsappNumberId: vendas.id },
		});
		await active.activate();
		expect((await webhooks()).map((webhook) => webhook.id)).not.toContain(stray.body.id);
		record('trigger');
	});

	test('a create answer without an ID is an error, not a webhook nobody can remove', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [vendas.id],
		});
		await sandbox.fault({
			type: 'status',
			status: 201,
			body: { ok: true },
			method: 'POST',
			path: '/v1/webhooks',
		});
		await expect(active.activate()).rejects.toThrow(
			`Pilot Status created a webhook for number "${vendas.id}" but did not say its ID`,
		);
		expect(stored(active).registration).toBeUndefined();
		record('trigger');
	});

	test('"All Numbers" on an account without numbers fails activation with a clear message', async () => {
		for (const number of SEED.numbers) await sandbox.api('DELETE', `/v1/numbers/${number.id}`);
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await expect(active.activate()).rejects.toThrow('The Pilot Status account has no numbers yet');
		record('trigger');
	});
});

describe('deliveries from the service', () => {
	test('a simulated scan starts the workflow with the event, the number and receivedAt on top', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		const scan = await sandbox.scan(vendas.id);
		expect((scan.deliveries as IDataObject[]).map((delivery) => delivery.statusCode)).toEqual([
			200,
		]);
		expect(active.runs).toHaveLength(1);
		const [item] = active.runs[0];
		expect(item.json).toEqual({
			event: 'number.connected',
			numberId: vendas.id,
			receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
			data: expect.objectContaining({
				id: expect.stringMatching(/^evt_/),
				numberId: vendas.id,
				number: '+5511988888888',
				state: 'OPEN',
			}),
			createdAt: expect.any(String),
		});
	});

	test('a removed number’s event arrives too', async () => {
		const active = await start({ events: ['number.removed'], numbers: 'all' });
		await active.activate();
		await sandbox.api('DELETE', `/v1/numbers/${suporte.id}`);
		expect(active.runs.map((run) => run[0].json.event)).toEqual(['number.removed']);
	});

	test('a call without the secret, or with a wrong one, is refused with 401 and starts nothing', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const event = { event: 'number.connected', data: { id: eventId(), numberId: suporte.id } };
		const path = new URL(active.webhookUrl).pathname;
		expect(await active.post(path, event)).toEqual({
			status: 401,
			body: { error: 'Unknown sender: the secret in the URL does not match' },
		});
		expect((await active.post(`${path}?secret=${'0'.repeat(64)}`, event)).status).toBe(401);
		// The stored secret itself is not a number's secret either.
		const { secret } = stored(active).registration!;
		expect((await active.post(`${path}?secret=${secret}`, event)).status).toBe(401);
		expect(active.runs).toEqual([]);
		expect((await active.post(urlFor(active, suporte.id), event)).status).toBe(200);
		expect(active.runs).toHaveLength(1);
		record('trigger');
	});

	test('one number’s URL cannot deliver events for another number', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const forged = { event: 'number.connected', data: { id: eventId(), numberId: vendas.id } };
		expect(await active.post(urlFor(active, suporte.id), forged)).toEqual({
			status: 403,
			body: { error: 'This URL belongs to another number than the event names' },
		});
		const alsoForged = {
			event: 'number.connected',
			data: { id: eventId(), instanceId: vendas.id },
		};
		expect((await active.post(urlFor(active, suporte.id), alsoForged)).status).toBe(403);
		expect(active.runs).toEqual([]);
		// An event that names no number is attributed to the number whose URL it came to.
		await active.post(urlFor(active, suporte.id), {
			event: 'message.received',
			data: { id: eventId() },
		});
		expect(active.runs.map((run) => run[0].json.numberId)).toEqual([suporte.id]);
		record('trigger');
	});

	test('a number the trigger did not register cannot deliver through a guessed secret', async () => {
		const active = await start({ events: ['*'], numbers: 'selected', numberIds: [suporte.id] });
		await active.activate();
		const path = new URL(active.webhookUrl).pathname;
		const guess = createHmac('sha256', stored(active).registration!.secret)
			.update(vendas.id)
			.digest('hex');
		expect(
			(await active.post(`${path}?secret=${guess}`, { event: 'number.connected', data: {} }))
				.status,
		).toBe(401);
		record('trigger');
	});

	test('redelivered events (same event and data.id) are answered 200 and dropped', async () => {
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		const sent = await sandbox.control('POST', '/events', {
			numberId: suporte.id,
			event: 'number.connected',
			repeat: 3,
		});
		expect((sent.body.deliveries as IDataObject[]).map((delivery) => delivery.statusCode)).toEqual([
			200, 200, 200,
		]);
		expect(active.runs).toHaveLength(1);
		expect(active.answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		record('trigger');
	});

	test('de-duplication keys on the event and its id: sent, delivered and read of one message all arrive; numeric ids count', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const url = urlFor(active, suporte.id);
		const messageId = eventId();
		for (const event of ['message.sent', 'message.delivered', 'message.read', 'message.read'])
			await active.post(url, { event, data: { id: messageId, numberId: suporte.id } });
		expect(active.runs.map((run) => run[0].json.event)).toEqual([
			'message.sent',
			'message.delivered',
			'message.read',
		]);
		const numeric = Date.now();
		await active.post(url, { event: 'number.connected', data: { id: numeric } });
		await active.post(url, { event: 'number.connected', data: { id: numeric } });
		expect(active.runs).toHaveLength(4);
		record('trigger');
	});

	test('where data.id is the number’s ID (one reading of the docs), a second connect still arrives; its retry does not', async () => {
		const active = await start({
			events: ['number.connected', 'number.disconnected'],
			numbers: 'all',
		});
		await active.activate();
		const url = urlFor(active, suporte.id);
		const occurrence = (event: string, createdAt: string) => ({
			event,
			data: { id: suporte.id, instanceId: suporte.id },
			createdAt,
		});
		for (const body of [
			occurrence('number.connected', '2026-11-23T10:00:00.000Z'),
			occurrence('number.connected', '2026-11-23T10:00:00.000Z'),
			occurrence('number.disconnected', '2026-11-23T11:00:00.000Z'),
			occurrence('number.connected', '2026-11-23T12:00:00.000Z'),
			// Without a createdAt nothing tells a retry from a new occurrence: both run.
			{ event: 'number.connected', data: { id: suporte.id } },
			{ event: 'number.connected', data: { id: suporte.id } },
		])
			await active.post(url, body);
		expect(active.runs.map((run) => [run[0].json.event, run[0].json.createdAt])).toEqual([
			['number.connected', '2026-11-23T10:00:00.000Z'],
			['number.disconnected', '2026-11-23T11:00:00.000Z'],
			['number.connected', '2026-11-23T12:00:00.000Z'],
			['number.connected', undefined],
			['number.connected', undefined],
		]);
		record('trigger');
	});

	test('the trigger’s own fields win over fields of the same name in the body', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		await active.post(urlFor(active, vendas.id), {
			event: 'number.connected',
			numberId: 'num_spoofed',
			receivedAt: 'yesterday',
			data: { id: eventId(), number: '5511988888888' },
		});
		expect(active.runs[0][0].json).toMatchObject({
			event: 'number.connected',
			numberId: vendas.id,
			receivedAt: expect.stringMatching(/^\d{4}-/),
			data: expect.objectContaining({ number: '+5511988888888' }),
		});
		record('trigger');
	});

	test('events the user did not choose are answered and ignored', async () => {
		const active = await start({
			events: ['number.recovered'],
			numbers: 'selected',
			numberIds: [suporte.id],
		});
		await active.activate();
		await sandbox.control('POST', '/events', {
			numberId: suporte.id,
			event: 'number.health_degraded',
		});
		await sandbox.control('POST', '/events', { numberId: suporte.id, event: 'number.recovered' });
		expect(active.runs.map((run) => run[0].json.event)).toEqual(['number.recovered']);
	});

	test.each([
		['an object without "event"', { hello: 'world' }],
		['a JSON array', [{ event: 'number.connected' }]],
		['a JSON string', 'number.connected'],
		['null', null],
	])('%s is refused with 400, never 500', async (_name, body) => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const answer = await active.post(urlFor(active, suporte.id), body);
		expect(answer.status).toBe(400);
		expect(active.runs).toEqual([]);
		record('trigger');
	});
});

describe('the de-duplication memory stays small whatever arrives (issue 18, item 7)', () => {
	const memory = (active: ActiveTrigger) => stored(active).recentDeliveries as unknown[];

	test('deliveries with huge IDs keep static data within a fixed bound; repeats are still dropped', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const url = urlFor(active, suporte.id);
		const huge = (n: number) => `${eventId()}_${n}_${'x'.repeat(2_000)}`;
		const ids = Array.from({ length: 1_030 }, (_, n) => huge(n));
		for (const id of ids) await active.post(url, { event: 'message.sent', data: { id } });
		expect(active.runs).toHaveLength(1_030);
		expect(memory(active)).toHaveLength(1_000);
		expect(JSON.stringify(memory(active)).length).toBeLessThan(20_000);
		expect(JSON.stringify(memory(active))).not.toContain('xxxxxxxx');
		// Static data as a whole: the registration plus the memory.
		expect(JSON.stringify(active.nodeStaticData()).length).toBeLessThan(22_000);
		// The first delivery that still counts is 1,000 deliveries back.
		for (const id of [ids[ids.length - 1], ids[30]]) {
			const again = await active.post(url, { event: 'message.sent', data: { id } });
			expect(again.body).toEqual({ received: true, duplicate: true });
		}
		expect(active.runs).toHaveLength(1_030);
		record('trigger');
	}, 60_000);

	test('a digest another webhook process’s write dropped comes back with this process’s next write', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const url = urlFor(active, suporte.id);
		const first = eventId();
		await active.post(url, { event: 'message.received', data: { id: first } });
		const ours = [...memory(active)];
		expect(ours).toHaveLength(1);
		// Another process read static data before our write and saved its own list after it: n8n
		// writes static data whole, the last write wins, and ours is gone from the database.
		const theirs = digest(`message.received:${eventId()}`);
		stored(active).recentDeliveries = [theirs];
		// A repeat still meets this process's memory, and puts the lost digest back.
		const repeat = await active.post(url, { event: 'message.received', data: { id: first } });
		expect(repeat.body).toEqual({ received: true, duplicate: true });
		expect(memory(active)).toEqual([theirs, ...ours]);
		// So does the next new delivery, after another overwrite.
		stored(active).recentDeliveries = [theirs];
		await active.post(url, { event: 'message.received', data: { id: eventId() } });
		expect(memory(active)).toEqual(expect.arrayContaining([theirs, ...ours]));
		expect(memory(active)).toHaveLength(3);
		// What the database now holds is enough for a process that never saw the event.
		expect(active.runs).toHaveLength(2);
		record('trigger');
	});

	test('static data written by 0.2.0 (the keys themselves) keeps working: a delivery it remembers is dropped', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const url = urlFor(active, suporte.id);
		// Never delivered in this process: only static data can know it.
		const old = eventId();
		stored(active).recentDeliveries = [`number.connected:${eventId()}`, `message.sent:${old}`];
		const repeat = await active.post(url, { event: 'message.sent', data: { id: old } });
		expect(repeat.body).toEqual({ received: true, duplicate: true });
		await active.post(url, { event: 'message.sent', data: { id: eventId() } });
		expect(active.runs).toHaveLength(1);
		// Rewritten as digests on the next new delivery; the old entry still counts.
		expect(memory(active)).toHaveLength(3);
		expect(memory(active).every((entry) => /^[A-Za-z0-9_-]{16}$/.test(String(entry)))).toBe(true);
		await active.post(url, { event: 'message.sent', data: { id: old } });
		expect(active.runs).toHaveLength(1);
		record('trigger');
	});

	test.each([
		['not a list', { a: 1 }],
		['a text', 'message.sent:evt_1'],
		['entries that are not text', [null, 42, { id: 'x' }, ['y']]],
	])('unreadable memory (%s) is dropped without an error', async (_name, garbage) => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		stored(active).recentDeliveries = garbage as IDataObject;
		const answer = await active.post(urlFor(active, suporte.id), {
			event: 'message.sent',
			data: { id: eventId() },
		});
		expect(answer).toEqual({ status: 200, body: { received: true } });
		expect(active.runs).toHaveLength(1);
		expect(memory(active)).toHaveLength(1);
		record('trigger');
	});
});

describe('issue 18 item 11: webhook IDs from the service’s answers stay inside their path segment', () => {
	test.each([['..'], ['.'], ['../numbers/num_suporte']])(
		'a listed webhook pointing at this trigger with the ID %j is never put in a path',
		async (id) => {
			const active = await start({
				events: ['number.connected'],
				numbers: 'selected',
				numberIds: [suporte.id],
			});
			await sandbox.fault({
				type: 'status',
				status: 200,
				method: 'GET',
				path: '/v1/webhooks',
				body: [{ id, url: `${active.webhookUrl}?secret=old`, events: ['*'] }],
			});
			await active.activate();
			const sent = (await sandbox.requests()).map((request) => `${request.method} ${request.path}`);
			expect(sent.filter((request) => request.startsWith('DELETE'))).toEqual([]);
			expect(stored(active).registration).toBeDefined();
			record('webhookSweeps');
		},
	);

	test('a create answer whose ID would leave its path segment is no ID: activation fails, nothing is sent to it', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [vendas.id],
		});
		await sandbox.fault({
			type: 'status',
			status: 201,
			body: { id: '..' },
			method: 'POST',
			path: '/v1/webhooks',
		});
		await expect(active.activate()).rejects.toThrow(
			`Pilot Status created a webhook for number "${vendas.id}" but did not say its ID`,
		);
		expect(stored(active).registration).toBeUndefined();
		const paths = (await sandbox.requests()).map((request) => request.path);
		expect(paths.filter((path) => !/^\/v1\/(webhooks|numbers)(\/wh_\w+)?$/.test(path))).toEqual([]);
		record('faults');
	});
});
