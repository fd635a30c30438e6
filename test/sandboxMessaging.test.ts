import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { startReceiver } from './helpers/receiver';
import type { Receiver } from './helpers/receiver';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import type { SentMessage } from './helpers/sandbox';

// The sandbox plays the messaging API (shared/messaging-api.md) for the Message resource, Send and
// Wait and the trigger's message events; its contract is tested here on its own, over HTTP.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const PNG_DATA_URI =
	'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** Sends with the number key of Suporte (the documented way) unless told otherwise. */
const send = (body: unknown, options: { key?: string; headers?: Record<string, string> } = {}) =>
	sandbox.api('POST', '/v1/messages/send', { key: NUMBER_KEY, body, ...options });

const getMessage = (reference: string, key = NUMBER_KEY) =>
	sandbox.api('GET', `/v1/messages/${encodeURIComponent(reference)}`, { key });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 3000) {
	const deadline = Date.now() + ms;
	let value = await read();
	while (!done(value)) {
		if (Date.now() > deadline) throw new Error(`Timed out; last value ${JSON.stringify(value)}`);
		await sleep(20);
		value = await read();
	}
	return value;
}

const statusOf = async (id: string) => (await getMessage(id)).body.status;
const waitForStatus = (id: string, status: string) =>
	until(
		() => statusOf(id),
		(current) => current === status,
	);

async function withReceiver(events: string[], run: (receiver: Receiver) => Promise<void>) {
	const receiver = await startReceiver();
	try {
		const created = await sandbox.api('POST', '/v1/webhooks', {
			key: NUMBER_KEY,
			body: { url: `${receiver.url}/hook`, events },
		});
		expect(created.status).toBe(201);
		await run(receiver);
	} finally {
		await receiver.stop();
	}
}

const eventsOf = (receiver: Receiver) =>
	receiver.received.map((delivery) => delivery.body as { event: string; data: IDataObject });

describe('send: accepted messages', () => {
	test('free text answers 202 QUEUED with the documented fields and is recorded once', async () => {
		const response = await send({ destinationNumber: CUSTOMER, text: 'Olá!' });
		expect(response.status).toBe(202);
		expect(response.body).toEqual({
			id: expect.stringMatching(/^msg_/),
			correlationId: expect.stringMatching(/^corr_/),
			status: 'QUEUED',
			createdAt: expect.any(String),
			origin: suporte.name,
			sourceNumber: suporte.number,
		});
		const recorded = await sandbox.messages();
		expect(recorded).toHaveLength(1);
		expect(recorded[0]).toMatchObject({
			id: response.body.id,
			to: CUSTOMER,
			mode: 'text',
			text: 'Olá!',
			keyScope: 'number',
		});
	});

	test('destinationNumber with or without +, a BSUID, a group and a channel', async () => {
		for (const body of [
			{ destinationNumber: '5511977776666', text: 'a' },
			{ destinationNumber: 'BR.13491208655302741918', text: 'b' },
			{ groupId: '120363025555555555@g.us', text: 'c' },
			{ newsletterId: '120363099999999999@newsletter', text: 'd' },
		]) {
			expect((await send(body)).status).toBe(202);
		}
		expect(
			(await sandbox.messages()).map((message) => [message.destinationKind, message.to]),
		).toEqual([
			['phone', CUSTOMER],
			['bsuid', 'BR.13491208655302741918'],
			['group', '120363025555555555@g.us'],
			['newsletter', '120363099999999999@newsletter'],
		]);
	});

	test('buttons as strings or {id, text|title}, with a header (text or object) and a footer', async () => {
		const response = await send({
			destinationNumber: CUSTOMER,
			text: 'Aprovar?',
			buttons: ['Sim', { id: 'no', title: 'Não' }, { text: 'Talvez' }],
			header: { type: 'text', text: 'Pedido' },
			footer: 'Loja',
		});
		expect(response.status).toBe(202);
		expect((await sandbox.messages())[0].buttons).toEqual([
			{ id: null, text: 'Sim' },
			{ id: 'no', text: 'Não' },
			{ id: null, text: 'Talvez' },
		]);
		expect(
			(await send({ destinationNumber: CUSTOMER, text: 'x', buttons: ['a'], header: 'H' })).status,
		).toBe(202);
	});

	test('templates by id or name, variables as an object or a JSON string, templateName too', async () => {
		const templates = await sandbox.api('GET', '/v1/templates', { key: NUMBER_KEY });
		const order = (templates.body as unknown as IDataObject[]).find(
			(template) => template.name === 'confirmacao_pedido',
		) as IDataObject;
		expect(order).toMatchObject({
			variables: ['nome', 'pedido'],
			source: 'PILOT_STATUS',
			sendable: true,
		});
		for (const body of [
			{ templateId: order.id, variables: { nome: 'Ana', pedido: '42' } },
			{ templateId: 'confirmacao_pedido', variables: '{"nome":"Ana","pedido":"42"}' },
			{ templateName: 'confirmacao_pedido', variables: { nome: 'Ana', pedido: 42 } },
		]) {
			expect((await send({ destinationNumber: CUSTOMER, ...body })).status).toBe(202);
		}
		const recorded = await sandbox.messages();
		expect(recorded.map((message) => message.text)).toEqual(
			Array(3).fill('Olá Ana, seu pedido 42 foi confirmado.'),
		);
		expect(recorded[0]).toMatchObject({ mode: 'template', template: 'confirmacao_pedido' });
	});

	test('direct media by URL or base64 data URI, with a caption; deliverAt and labels', async () => {
		const deliverAt = new Date(Date.now() + 60_000).toISOString();
		for (const body of [
			{ media: 'https://example.com/file', mediaType: 'document', caption: 'Nota' },
			{ media: 'https://example.com/photo.jpg' },
			{ media: PNG_DATA_URI, caption: 'Foto' },
			{ media: 'https://example.com/voice.ogg', mediaType: 'audio' },
			{ text: 'agendada', deliverAt, labels: ['vip', 'lead'] },
		]) {
			expect((await send({ destinationNumber: CUSTOMER, ...body })).status).toBe(202);
		}
		const recorded = await sandbox.messages();
		expect(recorded.map((message) => message.mediaType)).toEqual([
			'document',
			'image',
			'image',
			'audio',
			null,
		]);
		expect(recorded[2]).toMatchObject({ mediaIsBase64: true, mediaBytes: 70, caption: 'Foto' });
		expect(recorded[4]).toMatchObject({ deliverAt, labels: ['vip', 'lead'] });
	});
});

describe('send: validation errors as documented', () => {
	test('generic 400 {error} for destination, mode and field problems; nothing recorded', async () => {
		const cases: IDataObject[] = [
			{ text: 'no destination' },
			{ destinationNumber: CUSTOMER, groupId: '1@g.us', text: 'two destinations' },
			{ destinationNumber: '12345', text: 'too short' },
			{ groupId: '12345', text: 'not a JID' },
			{ newsletterId: '1@g.us', text: 'not a channel' },
			{ destinationNumber: CUSTOMER },
			{ destinationNumber: CUSTOMER, text: 'x', media: 'https://example.com/a.jpg' },
			{ destinationNumber: CUSTOMER, templateId: 'boas_vindas', text: 'x' },
			{ destinationNumber: CUSTOMER, templateId: 'boas_vindas', templateName: 'boas_vindas' },
			{ destinationNumber: CUSTOMER, text: '   ' },
			{ destinationNumber: CUSTOMER, text: 'x', buttons: ['1', '2', '3', '4'] },
			{ destinationNumber: CUSTOMER, text: 'x', buttons: [{ id: 'a' }] },
			{ destinationNumber: CUSTOMER, text: 'x', footer: 'no buttons' },
			{ destinationNumber: CUSTOMER, media: 'ftp://example.com/a.jpg' },
			{ destinationNumber: CUSTOMER, media: 'https://example.com/download' },
			{ destinationNumber: CUSTOMER, media: 'https://example.com/a.jpg', mediaType: 'gif' },
			{ destinationNumber: CUSTOMER, media: 'https://example.com/a.ogg', caption: 'audio caption' },
			{ destinationNumber: CUSTOMER, text: 'x', deliverAt: '2020-01-01T00:00:00Z' },
			{ destinationNumber: CUSTOMER, text: 'x', deliverAt: 'tomorrow' },
			{ destinationNumber: CUSTOMER, text: 'x', labels: 'vip' },
			{ destinationNumber: CUSTOMER, templateId: 'confirmacao_pedido', variables: '{not json' },
			{ destinationNumber: CUSTOMER, templateId: 'confirmacao_pedido', variables: ['Ana'] },
		];
		for (const body of cases) {
			const response = await send(body);
			expect({ body, status: response.status }).toEqual({ body, status: 400 });
			expect(response.body).toEqual({ error: expect.stringMatching(/^Validation error: /) });
		}
		expect(await sandbox.messages()).toEqual([]);
	});

	test('400 MISSING_TEMPLATE_VARIABLES names the missing ones; unknown templates are 404', async () => {
		const missing = await send({
			destinationNumber: CUSTOMER,
			templateId: 'confirmacao_pedido',
			variables: { nome: 'Ana' },
		});
		expect(missing).toMatchObject({
			status: 400,
			body: { code: 'MISSING_TEMPLATE_VARIABLES', error: expect.stringContaining('pedido') },
		});
		const unknown = await send({ destinationNumber: CUSTOMER, templateId: 'nope' });
		expect(unknown).toMatchObject({ status: 404, body: { code: 'TEMPLATE_NOT_FOUND' } });
		expect(await sandbox.messages()).toEqual([]);
	});

	test('groups and channels on a Meta number: 400 NOT_SUPPORTED_FOR_META', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		for (const body of [
			{ groupId: '120363025555555555@g.us', text: 'x' },
			{ newsletterId: '120363099999999999@newsletter', text: 'x' },
		]) {
			expect(await send(body)).toMatchObject({
				status: 400,
				body: { code: 'NOT_SUPPORTED_FOR_META' },
			});
		}
	});

	test('metaGroups obaEligible: groups work on an eligible Meta number, else META_GROUPS_NOT_ELIGIBLE', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		await sandbox.variants({ metaGroups: 'obaEligible' });
		const group = { groupId: '120363025555555555@g.us', text: 'x' };
		expect(await send(group)).toMatchObject({
			status: 400,
			body: { code: 'META_GROUPS_NOT_ELIGIBLE' },
		});
		await sandbox.configureNumber(suporte.id, { metaGroupsEligible: true });
		expect((await send(group)).status).toBe(202);
		const channel = await send({ newsletterId: '1@newsletter', text: 'x' });
		expect(channel.body.code).toBe('NOT_SUPPORTED_FOR_META');
	});

	test('plan free: media (direct or in a template) is 402 SUBSCRIPTION_REQUIRED_FOR_MEDIA', async () => {
		await sandbox.settings({ plan: 'free' });
		for (const body of [
			{ media: 'https://example.com/a.jpg' },
			{ templateId: 'boas_vindas', media: 'https://example.com/a.jpg' },
		]) {
			expect(await send({ destinationNumber: CUSTOMER, ...body })).toMatchObject({
				status: 402,
				body: { code: 'SUBSCRIPTION_REQUIRED_FOR_MEDIA' },
			});
		}
		expect((await send({ destinationNumber: CUSTOMER, text: 'text is free' })).status).toBe(202);
	});

	test('base64 media: 400 on a URL-only provider (variant or per number); Meta always takes it', async () => {
		const body = { destinationNumber: CUSTOMER, media: PNG_DATA_URI };
		await sandbox.configureNumber(suporte.id, { base64Media: 'urlOnly' });
		const refused = await send(body);
		expect(refused).toMatchObject({
			status: 400,
			body: { error: expect.stringContaining('URL only') },
		});
		expect((await send({ ...body, media: 'https://example.com/a.png' })).status).toBe(202);
		await sandbox.configureNumber(suporte.id, { base64Media: null });
		expect((await send(body)).status).toBe(202);
		await sandbox.variants({ base64Media: 'urlOnly' });
		expect((await send(body)).status).toBe(400);
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		expect((await send(body)).status).toBe(202);
	});

	test('a number that is not OPEN: accepted and QUEUED until it connects; variant reject is 409', async () => {
		const response = await sandbox.api('POST', '/v1/messages/send', {
			key: vendas.key.value,
			body: { destinationNumber: CUSTOMER, text: 'x' },
		});
		expect(response.status).toBe(202);
		await sleep(350);
		expect((await getMessage(String(response.body.id), vendas.key.value)).body.status).toBe(
			'QUEUED',
		);
		await sandbox.scan(vendas.id);
		await until(
			async () => (await getMessage(String(response.body.id), vendas.key.value)).body.status,
			(status) => status === 'READ',
		);
		await sandbox.control('POST', `/numbers/${vendas.id}/disconnect`);
		await sandbox.variants({ sendWhenDisconnected: 'reject' });
		const rejected = await sandbox.api('POST', '/v1/messages/send', {
			key: vendas.key.value,
			body: { destinationNumber: CUSTOMER, text: 'x' },
		});
		expect(rejected).toMatchObject({
			status: 409,
			body: { code: 'WHATSAPP_INSTANCE_NOT_CONNECTED' },
		});
	});

	test('contradiction variants: + required, templateId only, templateName only, variables typed', async () => {
		await sandbox.variants({ destinationFormat: 'plusRequired' });
		expect((await send({ destinationNumber: '5511977776666', text: 'x' })).status).toBe(400);
		expect((await send({ destinationNumber: 'BR.13491208655302741918', text: 'x' })).status).toBe(
			400,
		);
		expect((await send({ destinationNumber: CUSTOMER, text: 'x' })).status).toBe(202);

		const named = { destinationNumber: CUSTOMER, templateName: 'boas_vindas' };
		const byId = { destinationNumber: CUSTOMER, templateId: 'boas_vindas' };
		await sandbox.variants({ templateReference: 'templateId' });
		expect([(await send(named)).status, (await send(byId)).status]).toEqual([400, 202]);
		await sandbox.variants({ templateReference: 'templateName' });
		expect([(await send(named)).status, (await send(byId)).status]).toEqual([202, 400]);

		const order = { destinationNumber: CUSTOMER, templateId: 'confirmacao_pedido' };
		const asObject = { ...order, variables: { nome: 'A', pedido: '1' } };
		const asString = { ...order, variables: '{"nome":"A","pedido":"1"}' };
		await sandbox.variants({ templateReference: 'either', variablesType: 'object' });
		expect([(await send(asObject)).status, (await send(asString)).status]).toEqual([202, 400]);
		await sandbox.variants({ variablesType: 'string' });
		expect([(await send(asObject)).status, (await send(asString)).status]).toEqual([400, 202]);
		expect((await sandbox.control('PUT', '/variants', { variablesType: 'json' })).status).toBe(400);
	});
});

describe('which key sends (messageKeyScope)', () => {
	const body = { destinationNumber: CUSTOMER, text: 'x' };
	const tenantScope = {
		status: 403,
		body: {
			error: 'This endpoint requires a number-scoped API key',
			code: 'TENANT_SCOPE_NOT_ALLOWED',
		},
	};

	test('numberKey (default): a tenant key is 403 with or without x-whatsapp-number-id', async () => {
		expect(await send(body, { key: TENANT_KEY })).toMatchObject(tenantScope);
		const withHeader = await send(body, {
			key: TENANT_KEY,
			headers: { 'x-whatsapp-number-id': suporte.id },
		});
		expect(withHeader).toMatchObject(tenantScope);
		for (const path of ['/v1/templates', '/v1/messages/msg_x', '/v1/media/m1?phoneNumberId=1']) {
			expect(
				await sandbox.api('GET', path, { headers: { 'x-whatsapp-number-id': suporte.id } }),
			).toMatchObject(tenantScope);
		}
		const cancel = await sandbox.api('DELETE', '/v1/messages/cancel', {
			body: { messageIds: ['msg_x'] },
		});
		expect(cancel).toMatchObject(tenantScope);
		expect(await sandbox.messages()).toEqual([]);
	});

	test('tenantWithHeader: the header names the number; without it 403; unknown is 404 NUMBER_NOT_FOUND', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const sent = await send(body, {
			key: TENANT_KEY,
			headers: { 'x-whatsapp-number-id': vendas.id },
		});
		expect(sent).toMatchObject({
			status: 202,
			body: { origin: vendas.name, sourceNumber: vendas.number },
		});
		expect(await send(body, { key: TENANT_KEY })).toMatchObject(tenantScope);
		expect(
			await send(body, { key: TENANT_KEY, headers: { 'x-whatsapp-number-id': 'num_missing' } }),
		).toMatchObject({ status: 404, body: { code: 'NUMBER_NOT_FOUND' } });
		const status = await sandbox.api('GET', `/v1/messages/${String(sent.body.id)}`, {
			headers: { 'x-whatsapp-number-id': vendas.id },
		});
		expect(status.body).toMatchObject({ id: sent.body.id, status: 'QUEUED' });
		const templates = await sandbox.api('GET', '/v1/templates', {
			headers: { 'x-whatsapp-number-id': vendas.id },
		});
		expect(templates.status).toBe(200);
		expect(
			(await sandbox.messages()).map((message) => [message.numberId, message.keyScope]),
		).toEqual([[vendas.id, 'tenant']]);
	});

	test('a number-scoped key ignores the header in both readings; x-api-key-id works', async () => {
		for (const messageKeyScope of ['numberKey', 'tenantWithHeader'] as const) {
			await sandbox.variants({ messageKeyScope });
			const sent = await send(body, { headers: { 'x-whatsapp-number-id': vendas.id } });
			expect(sent.body).toMatchObject({ status: 'QUEUED', origin: suporte.name });
		}
		const byKeyId = await sandbox.api('POST', '/v1/messages/send', {
			key: suporte.key.id,
			keyHeader: 'x-api-key-id',
			body,
		});
		expect(byKeyId.status).toBe(202);
		expect((await send(body, { key: 'ps_example_unknown' })).status).toBe(401);
	});
});

describe('message status', () => {
	test('by id, correlationId or provider id; both documented shapes; 404 outside the key scope', async () => {
		const sent = await send({ destinationNumber: CUSTOMER, templateId: 'boas_vindas' });
		const id = String(sent.body.id);
		await waitForStatus(id, 'READ');
		const byId = await getMessage(id);
		expect(byId.body).toEqual({
			id,
			status: 'READ',
			correlationId: sent.body.correlationId,
			destinationNumber: CUSTOMER,
			template: 'boas_vindas',
			createdAt: sent.body.createdAt,
			sentAt: expect.any(String),
			deliveredAt: expect.any(String),
			readAt: expect.any(String),
			externalMessageId: expect.stringMatching(/^3EB0/),
			errorMessage: null,
		});
		expect((await getMessage(String(sent.body.correlationId))).body.id).toBe(id);
		expect((await getMessage(String(byId.body.externalMessageId))).body.id).toBe(id);
		await sandbox.variants({ messageStatusShape: 'rendered' });
		const rendered = await getMessage(id);
		expect(Object.keys(rendered.body)).not.toContain('deliveredAt');
		expect(Object.keys(rendered.body)).not.toContain('externalMessageId');
		expect(rendered.body.readAt).toEqual(expect.any(String));
		expect(await getMessage(id, vendas.key.value)).toMatchObject({ status: 404 });
		expect((await getMessage('msg_unknown')).status).toBe(404);
	});
});

describe('lifecycle and message events', () => {
	test('QUEUED → SENT → DELIVERED → READ, each change posted once as message.* to subscribed webhooks', async () => {
		await withReceiver(
			['message.sent', 'message.delivered', 'message.read', 'message.failed'],
			async (receiver) => {
				const sent = await send({ destinationNumber: CUSTOMER, text: 'Olá' });
				const id = String(sent.body.id);
				expect(sent.body.status).toBe('QUEUED');
				await waitForStatus(id, 'READ');
				await until(
					async () => receiver.received.length,
					(count) => count >= 3,
				);
				const events = eventsOf(receiver);
				expect(events.map((event) => event.event)).toEqual([
					'message.sent',
					'message.delivered',
					'message.read',
				]);
				const { body: status } = await getMessage(id);
				for (const event of events) {
					expect(event.data).toMatchObject({
						internalMessageId: id,
						messageId: status.externalMessageId,
						numberId: suporte.id,
						from: `+${suporte.number}`,
						to: CUSTOMER,
						createdAt: expect.any(String),
					});
					expect(event.data).not.toHaveProperty('errorMessage');
					// fromMe belongs to inbound events (and echoes); a trigger dropping fromMe keeps these.
					expect(event.data).not.toHaveProperty('fromMe');
				}
				expect(new Set(events.map((event) => event.data.id)).size).toBe(3);
				const recorded = (await sandbox.messages())[0];
				expect(recorded).toMatchObject({
					status: 'READ',
					sentAt: status.sentAt,
					readAt: status.readAt,
				});
			},
		);
	});

	test('a webhook gets only the events it subscribed to; readReceipts off stops at DELIVERED', async () => {
		await sandbox.settings({ readReceipts: false });
		await withReceiver(['message.delivered', 'message.read'], async (receiver) => {
			const id = String((await send({ destinationNumber: CUSTOMER, text: 'x' })).body.id);
			await waitForStatus(id, 'DELIVERED');
			await sleep(400);
			expect(await statusOf(id)).toBe('DELIVERED');
			expect((await getMessage(id)).body.readAt).toBeNull();
			expect(eventsOf(receiver).map((event) => event.event)).toEqual(['message.delivered']);
		});
	});

	test('messageStepMs sets the pace; null stops the clock and the control moves a message', async () => {
		await sandbox.settings({ messageStepMs: null });
		await withReceiver(['*'], async (receiver) => {
			const id = String((await send({ destinationNumber: CUSTOMER, text: 'x' })).body.id);
			await sleep(300);
			expect(await statusOf(id)).toBe('QUEUED');
			await sandbox.messageStatus(id, 'SENT');
			await sandbox.messageStatus(id, 'FAILED', 'DELIVERY_TIMEOUT');
			expect((await getMessage(id)).body).toMatchObject({
				status: 'FAILED',
				errorMessage: 'DELIVERY_TIMEOUT',
			});
			expect(eventsOf(receiver).map((event) => [event.event, event.data.errorMessage])).toEqual([
				['message.sent', undefined],
				['message.failed', 'DELIVERY_TIMEOUT'],
			]);
		});
		expect((await sandbox.control('PUT', '/settings', { messageStepMs: -1 })).status).toBe(400);
	});

	test('not on WhatsApp: FAILED with WHATSAPP_NOT_EXIST, message.failed without a provider id', async () => {
		await sandbox.settings({ notOnWhatsApp: ['+5511955550000'] });
		await withReceiver(['message.failed', 'message.sent'], async (receiver) => {
			const id = String((await send({ destinationNumber: '+5511955550000', text: 'x' })).body.id);
			await waitForStatus(id, 'FAILED');
			expect((await getMessage(id)).body).toMatchObject({
				errorMessage: 'WHATSAPP_NOT_EXIST',
				sentAt: null,
			});
			await until(
				async () => receiver.received.length,
				(count) => count >= 1,
			);
			expect(eventsOf(receiver)).toEqual([
				{
					event: 'message.failed',
					data: expect.objectContaining({
						internalMessageId: id,
						messageId: null,
						errorMessage: 'WHATSAPP_NOT_EXIST',
					}),
					createdAt: expect.any(String),
				},
			]);
		});
	});

	test('Meta: free text outside the 24 h window fails with META_OUTSIDE_24H_WINDOW; a template or a contact who wrote is fine', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const text = String((await send({ destinationNumber: CUSTOMER, text: 'x' })).body.id);
		const template = String(
			(await send({ destinationNumber: CUSTOMER, templateId: 'boas_vindas' })).body.id,
		);
		const pending = String(
			(
				await send({
					destinationNumber: CUSTOMER,
					templateId: 'promo_cupom',
					variables: { cupom: 'A1' },
				})
			).body.id,
		);
		await waitForStatus(text, 'FAILED');
		expect((await getMessage(text)).body.errorMessage).toBe('META_OUTSIDE_24H_WINDOW');
		await waitForStatus(template, 'READ');
		expect((await getMessage(template)).body.externalMessageId).toMatch(/^wamid\./);
		await waitForStatus(pending, 'FAILED');
		expect((await getMessage(pending)).body.errorMessage).toBe('META_TEMPLATE_NOT_APPROVED');
		await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'Oi' });
		const inside = String((await send({ destinationNumber: CUSTOMER, text: 'x' })).body.id);
		await waitForStatus(inside, 'READ');
	});

	test('scheduled messages stay QUEUED until deliverAt, then go on', async () => {
		const deliverAt = new Date(Date.now() + 600).toISOString();
		const id = String((await send({ destinationNumber: CUSTOMER, text: 'x', deliverAt })).body.id);
		await sleep(300);
		expect(await statusOf(id)).toBe('QUEUED');
		await waitForStatus(id, 'SENT');
		expect(Date.parse(String((await getMessage(id)).body.sentAt))).toBeGreaterThanOrEqual(
			Date.parse(deliverAt),
		);
	});

	test('messageEventRepeat posts the same event twice (the same data.id)', async () => {
		await sandbox.settings({ messageEventRepeat: 2, readReceipts: false });
		await withReceiver(['message.sent'], async (receiver) => {
			const id = String((await send({ destinationNumber: CUSTOMER, text: 'x' })).body.id);
			await waitForStatus(id, 'DELIVERED');
			const events = eventsOf(receiver);
			expect(events).toHaveLength(2);
			expect(events[0]).toEqual(events[1]);
		});
	});

	test('echoOwnMessages: our own message also arrives as message.received with fromMe true', async () => {
		await sandbox.settings({ echoOwnMessages: true });
		await withReceiver(['message.received'], async (receiver) => {
			const id = String((await send({ destinationNumber: CUSTOMER, text: 'eco' })).body.id);
			await waitForStatus(id, 'SENT');
			await until(
				async () => receiver.received.length,
				(count) => count >= 1,
			);
			expect(eventsOf(receiver)[0].data).toMatchObject({
				fromMe: true,
				from: `+${suporte.number}`,
				to: CUSTOMER,
				content: 'eco',
				messageId: (await getMessage(id)).body.externalMessageId,
			});
		});
	});
});

describe('cancel scheduled messages', () => {
	const later = () => new Date(Date.now() + 60_000).toISOString();

	test('cancels still-scheduled ones (CANCELED); lists shape and counts shape', async () => {
		const scheduled = String(
			(await send({ destinationNumber: CUSTOMER, text: 'x', deliverAt: later() })).body.id,
		);
		const immediate = String((await send({ destinationNumber: CUSTOMER, text: 'x' })).body.id);
		await waitForStatus(immediate, 'SENT');
		const answer = await sandbox.api('DELETE', '/v1/messages/cancel', {
			key: NUMBER_KEY,
			body: { messageIds: [scheduled, immediate, 'msg_unknown'] },
		});
		expect(answer).toMatchObject({
			status: 200,
			body: {
				cancelled: [scheduled],
				failed: [
					{ id: immediate, reason: expect.stringContaining('not scheduled') },
					{ id: 'msg_unknown', reason: 'Message not found' },
				],
			},
		});
		expect((await getMessage(scheduled)).body.status).toBe('CANCELED');

		await sandbox.variants({ cancelShape: 'counts' });
		const next = String(
			(await send({ destinationNumber: CUSTOMER, text: 'x', deliverAt: later() })).body.id,
		);
		const counts = await sandbox.api('DELETE', '/v1/messages/cancel', {
			key: NUMBER_KEY,
			body: { messageIds: [next, scheduled] },
		});
		expect(counts.body).toEqual({ cancelled: 1, notFound: 1 });
	});

	test('1 to 100 ids, else 400; another number cannot cancel', async () => {
		for (const body of [
			{},
			{ messageIds: [] },
			{ messageIds: Array(101).fill('msg_x') },
			{ messageIds: 'msg_x' },
		]) {
			const response = await sandbox.api('DELETE', '/v1/messages/cancel', {
				key: NUMBER_KEY,
				body,
			});
			expect(response.status).toBe(400);
		}
		const id = String(
			(await send({ destinationNumber: CUSTOMER, text: 'x', deliverAt: later() })).body.id,
		);
		const foreign = await sandbox.api('DELETE', '/v1/messages/cancel', {
			key: vendas.key.value,
			body: { messageIds: [id] },
		});
		expect(foreign.body).toEqual({ cancelled: [], failed: [{ id, reason: 'Message not found' }] });
		expect(await statusOf(id)).toBe('QUEUED');
	});
});

describe('customers and inbound messages', () => {
	test('a scripted customer quotes the next message sent to them (message.reply, provider messageId)', async () => {
		await sandbox.customer(CUSTOMER, {
			text: 'Sim, aprovado',
			afterMs: 50,
			participantName: 'Ana',
		});
		await withReceiver(['message.reply', 'message.received'], async (receiver) => {
			const id = String((await send({ destinationNumber: CUSTOMER, text: 'Aprova?' })).body.id);
			await until(
				async () => receiver.received.length,
				(count) => count >= 1,
			);
			const { body: status } = await getMessage(id);
			expect(eventsOf(receiver)).toEqual([
				{
					event: 'message.reply',
					data: {
						id: expect.any(String),
						from: CUSTOMER,
						to: `+${suporte.number}`,
						numberId: suporte.id,
						messageId: expect.any(String),
						type: 'text',
						fromMe: false,
						content: 'Sim, aprovado',
						participantName: 'Ana',
						quotedMessageId: status.externalMessageId,
						createdAt: expect.any(String),
					},
					createdAt: expect.any(String),
				},
			]);
			// One reply per message: the next message gets none.
			await send({ destinationNumber: CUSTOMER, text: 'Mais algo?' });
			await sleep(400);
			expect(receiver.received).toHaveLength(1);
		});
	});

	test('a reply without quoting is message.received; quotedMessageId internal variant', async () => {
		await sandbox.variants({ quotedMessageId: 'internal' });
		await sandbox.customer(CUSTOMER, [{ text: 'sem citar', quote: false }, { text: 'citando' }]);
		await withReceiver(['message.reply', 'message.received'], async (receiver) => {
			const first = String((await send({ destinationNumber: CUSTOMER, text: '1' })).body.id);
			await waitForStatus(first, 'SENT');
			const second = String((await send({ destinationNumber: CUSTOMER, text: '2' })).body.id);
			await until(
				async () => receiver.received.length,
				(count) => count >= 2,
			);
			expect(eventsOf(receiver).map((event) => [event.event, event.data.quotedMessageId])).toEqual([
				['message.received', undefined],
				['message.reply', second],
			]);
		});
	});

	test('inbound media: a mediaLink the sandbox serves; on Meta also mediaId for GET /v1/media', async () => {
		await withReceiver(['message.received'], async (receiver) => {
			const plain = await sandbox.inbound(suporte.id, {
				from: CUSTOMER,
				media: { type: 'document', fileName: 'boleto.pdf', caption: 'Segue' },
			});
			expect(plain.event.data).toMatchObject({
				type: 'document',
				content: 'Segue',
				mediaType: 'document',
				mediaCaption: 'Segue',
				mediaFilename: 'boleto.pdf',
				mediaLink: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__sandbox\/files\//),
			});
			expect(plain.event.data).not.toHaveProperty('mediaId');
			const file = await fetch(String(plain.event.data.mediaLink));
			expect(file.headers.get('content-type')).toBe('application/pdf');
			expect((await file.text()).startsWith('%PDF')).toBe(true);

			await sandbox.configureNumber(suporte.id, { provider: 'META', metaPhoneId: '1099' });
			const meta = await sandbox.inbound(suporte.id, { from: CUSTOMER, media: { type: 'image' } });
			expect(meta.event.data).toMatchObject({ phoneNumberId: '1099', mediaId: expect.any(String) });
			const mediaId = String(meta.event.data.mediaId);
			const download = await sandbox.api('GET', `/v1/media/${mediaId}?phoneNumberId=1099`, {
				key: NUMBER_KEY,
			});
			expect(download.body).toEqual({
				base64: expect.stringMatching(/^data:image\/png;base64,iVBOR/),
				mimeType: 'image/png',
				fileName: 'photo.png',
				mediaId,
			});
			expect((await sandbox.api('GET', `/v1/media/${mediaId}`, { key: NUMBER_KEY })).status).toBe(
				400,
			);
			expect(
				(
					await sandbox.api('GET', `/v1/media/${mediaId}?phoneNumberId=1099`, {
						key: vendas.key.value,
					})
				).status,
			).toBe(400);
			expect(
				(await sandbox.api('GET', '/v1/media/unknown?phoneNumberId=1099', { key: NUMBER_KEY }))
					.status,
			).toBe(404);
			expect(receiver.received).toHaveLength(2);
		});
	});

	test('inbound refuses a bad phone or event name', async () => {
		expect(
			(await sandbox.control('POST', `/numbers/${suporte.id}/inbound`, { from: '123' })).status,
		).toBe(400);
		expect(
			(
				await sandbox.control('POST', `/numbers/${suporte.id}/inbound`, {
					from: CUSTOMER,
					event: 'x',
				})
			).status,
		).toBe(400);
	});
});

describe('templates', () => {
	test('list and get by id or name; Meta numbers show META templates, only APPROVED sendable', async () => {
		const list = await sandbox.api('GET', '/v1/templates', { key: NUMBER_KEY });
		const templates = list.body as unknown as IDataObject[];
		expect(templates.length).toBeGreaterThanOrEqual(2);
		for (const template of templates) {
			expect(Object.keys(template).sort()).toEqual(
				[
					'body',
					'category',
					'id',
					'metaLanguage',
					'metaStatus',
					'name',
					'sendable',
					'source',
					'variables',
				].sort(),
			);
		}
		const byName = await sandbox.api('GET', '/v1/templates/confirmacao_pedido', {
			key: NUMBER_KEY,
		});
		const byId = await sandbox.api('GET', `/v1/templates/${String(byName.body.id)}`, {
			key: NUMBER_KEY,
		});
		expect(byId.body).toEqual(byName.body);
		expect(await sandbox.api('GET', '/v1/templates/nope', { key: NUMBER_KEY })).toMatchObject({
			status: 404,
			body: { code: 'TEMPLATE_NOT_FOUND' },
		});
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		await sandbox.variants({ templateListShape: 'wrapped' });
		const meta = (await sandbox.api('GET', '/v1/templates', { key: NUMBER_KEY })).body
			.templates as IDataObject[];
		expect(
			meta.map((template) => [template.source, template.metaStatus, template.sendable]),
		).toEqual([
			['META', 'APPROVED', true],
			['META', 'APPROVED', true],
			['META', 'PENDING', false],
		]);
	});
});

describe('rate limits', () => {
	test('a 429 burst on a share of sends: those are not recorded, the others are', async () => {
		await sandbox.fault({ type: 'status', status: 429, share: 0.5, path: '/v1/messages/send' });
		const statuses = [];
		for (let index = 0; index < 6; index++) {
			statuses.push((await send({ destinationNumber: CUSTOMER, text: `m${index}` })).status);
		}
		expect(statuses).toEqual([202, 429, 202, 429, 202, 429]);
		expect((await sandbox.messages()).map((message: SentMessage) => message.text)).toEqual([
			'm0',
			'm2',
			'm4',
		]);
		expect((await sandbox.api('GET', '/v1/templates', { key: NUMBER_KEY })).status).toBe(200);
	});

	test('the next N sends answer 429 {error: "Too many requests"} and are not recorded', async () => {
		await sandbox.fault({
			type: 'status',
			status: 429,
			count: 2,
			method: 'POST',
			path: '/v1/messages/send',
			body: { error: 'Too many requests' },
		});
		const first = await send({ destinationNumber: CUSTOMER, text: 'x' });
		expect(first).toMatchObject({ status: 429, body: { error: 'Too many requests' } });
		expect((await send({ destinationNumber: CUSTOMER, text: 'x' })).status).toBe(429);
		expect((await send({ destinationNumber: CUSTOMER, text: 'x' })).status).toBe(202);
		expect(await sandbox.messages()).toHaveLength(1);
	});
});

describe('reset', () => {
	test('forgets messages, scripts, variants and settings, and stops pending steps', async () => {
		await sandbox.settings({ messageStepMs: 200, plan: 'free' });
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		await sandbox.customer(CUSTOMER, { text: 'x' });
		await send({ destinationNumber: CUSTOMER, text: 'x' });
		await sandbox.control('POST', '/reset');
		const state = await sandbox.messaging();
		expect(state).toEqual({ messages: [], inbound: [], customers: {}, errors: [] });
		const { variants, settings } = (await sandbox.state()) as unknown as {
			variants: IDataObject;
			settings: IDataObject;
		};
		expect(variants.messageKeyScope).toBe('numberKey');
		expect(settings).toMatchObject({ messageStepMs: 100, plan: 'paid' });
	});
});
