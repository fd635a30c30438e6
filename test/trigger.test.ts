import type { IDataObject } from 'n8n-workflow';

import { SEED, useSandbox } from './helpers/sandbox';
import type { SandboxState } from './helpers/sandbox';
import { activeTrigger } from './helpers/trigger';
import type { ActiveTrigger } from './helpers/trigger';

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

const webhooks = async (): Promise<SandboxState['webhooks']> => (await sandbox.state()).webhooks;
const registration = (active: ActiveTrigger) =>
	active.nodeStaticData() as IDataObject & {
		registration: { webhookIds: string[]; secret: string };
	};

describe('webhook registration', () => {
	test('activation registers one webhook per number, pointing at the n8n URL with a secret', async () => {
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
			expect(webhook.url).toMatch(new RegExp(`^${active.webhookUrl}\\?secret=[0-9a-f]{48}$`));
			expect(webhook.events).toEqual(['number.connected', 'number.disconnected']);
			expect(webhook.name).toBe('n8n: Onboarding');
		}
		expect(registration(active).registration.webhookIds).toEqual(
			registered.map((webhook) => webhook.id),
		);
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
		const [first] = registration(active).registration.webhookIds;
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

	test('deactivation deletes exactly the webhooks it created', async () => {
		const other = await sandbox.api('POST', '/v1/webhooks', {
			body: { url: 'https://example.com/crm', events: ['*'], whatsappNumberId: suporte.id },
		});
		const active = await start({ events: ['number.connected'], numbers: 'all' });
		await active.activate();
		expect(await active.delete()).toBe(true);
		expect((await webhooks()).map((webhook) => webhook.id)).toEqual([other.body.id]);
		expect(registration(active).registration).toBeUndefined();
	});

	test('deactivation tolerates webhooks that are already gone', async () => {
		const active = await start({
			events: ['number.connected'],
			numbers: 'selected',
			numberIds: [vendas.id],
		});
		await active.activate();
		await sandbox.api('DELETE', `/v1/webhooks/${registration(active).registration.webhookIds[0]}`);
		expect(await active.delete()).toBe(true);
	});

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
		const event = { event: 'number.connected', data: { id: 'evt_forged', numberId: suporte.id } };
		const path = new URL(active.webhookUrl).pathname;
		expect(await active.post(path, event)).toEqual({
			status: 401,
			body: { error: 'Unknown sender: the secret in the URL does not match' },
		});
		expect((await active.post(`${path}?secret=${'0'.repeat(48)}`, event)).status).toBe(401);
		expect(active.runs).toEqual([]);
		const { secret } = registration(active).registration;
		expect((await active.post(`${path}?secret=${secret}`, event)).status).toBe(200);
		expect(active.runs).toHaveLength(1);
	});

	test('redelivered events (same data.id) are answered 200 and dropped', async () => {
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

	test('a body that is not an event is refused with 400', async () => {
		const active = await start({ events: ['*'], numbers: 'all' });
		await active.activate();
		const { secret } = registration(active).registration;
		const answer = await active.post(`${new URL(active.webhookUrl).pathname}?secret=${secret}`, {
			hello: 'world',
		});
		expect(answer.status).toBe(400);
		expect(active.runs).toEqual([]);
	});
});
