import { sleep } from 'n8n-workflow';
import type { IDataObject, INode } from 'n8n-workflow';

import { faultAfterSend } from './helpers/fixtures';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';
import { startWait } from './helpers/waiting';

// Message → Send and Wait for Response in n8n-core's engine: the message goes out once, the
// execution is put to wait, and it is resumed the two ways n8n resumes it (a call to the resume
// URL: Pilot Status delivering the contact's reply, or the link's page; or the timeout). The
// sandbox's scripted customer answers; its delivery to the resume URL reaches nothing here (no
// n8n listens), so the event it delivered is handed to the wait, as WaitingWebhooks would.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const OTHER_CONTACT = '+5511966665555';
const numberKey = () => sandbox.credential({ apiKey: NUMBER_KEY });

const parameters = (extra: IDataObject = {}) => ({
	resource: 'message',
	operation: 'sendAndWait',
	recipientPhoneNumber: CUSTOMER,
	message: 'Posso confirmar seu pedido #123?',
	...extra,
});

const startSendAndWait = (
	extra: IDataObject = {},
	credential = numberKey(),
	settings?: Partial<INode>,
) => startWait({ parameters: parameters(extra), credential, settings });

async function temporaryWebhooks() {
	return (await sandbox.state()).webhooks.filter((webhook) =>
		String(webhook.name).startsWith('n8n Send and Wait'),
	);
}

async function temporaryWebhooksGone() {
	for (let tries = 0; tries < 50 && (await temporaryWebhooks()).length > 0; tries += 1) {
		await sleep(100);
	}
	expect(await temporaryWebhooks()).toEqual([]);
}

/** The query Pilot Status calls the resume URL with: what the node registered. */
async function registeredQuery(): Promise<IDataObject> {
	const [webhook] = await temporaryWebhooks();
	return Object.fromEntries(new URL(String(webhook.url)).searchParams);
}

/** The contact's message events so far, as Pilot Status delivered them. */
async function inboundFrom(phone: string, count = 1): Promise<IDataObject[]> {
	for (let tries = 0; tries < 60; tries += 1) {
		const { inbound } = await sandbox.messaging();
		const events = inbound.filter((event) => event.data.from === phone);
		if (events.length >= count) return events as unknown as IDataObject[];
		await sleep(100);
	}
	throw new Error(`no message from ${phone} arrived`);
}

/** The link in the message the sandbox recorded, and its query. */
async function sentLink(): Promise<{ url: URL; query: IDataObject }> {
	const [message] = await sandbox.messages();
	const link = /https?:\/\/\S+/.exec(String(message.text))?.[0];
	expect(link).toBeDefined();
	const url = new URL(link!);
	return { url, query: Object.fromEntries(url.searchParams) };
}

describe('sending and waiting', () => {
	test('sends one message with the choices, registers a reply webhook on the number first, and waits', async () => {
		const wait = await startSendAndWait();
		expect(wait.first.status).toBe('waiting');
		const messages = await sandbox.messages();
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({
			numberId: suporte.id,
			to: CUSTOMER,
			mode: 'text',
			text: 'Posso confirmar seu pedido #123?\n\nReply 1 to approve or 2 to decline.',
			buttons: null,
		});
		const [webhook, ...others] = await temporaryWebhooks();
		expect(others).toEqual([]);
		expect(webhook).toMatchObject({
			whatsappNumberIds: [suporte.id],
			events: ['message.received', 'message.reply'],
			name: expect.stringMatching(/^n8n Send and Wait · execution 1 · until 3000-/),
		});
		// The webhook exists before the message: a quick reply cannot come first.
		const order = (await sandbox.requests()).map((request) => `${request.method} ${request.path}`);
		expect(order.indexOf('POST /v1/webhooks')).toBeLessThan(
			order.indexOf('POST /v1/messages/send'),
		);
		record('sideEffects');
	});

	test('bad input fails before anything is sent, naming each field', async () => {
		const wait = await startSendAndWait({ recipientPhoneNumber: 'abc', message: ' ' });
		expect(wait.first.status).toBe('error');
		const message = String(wait.first.data.resultData.error?.message);
		const description = String(
			(wait.first.data.resultData.error as { description?: string }).description,
		);
		expect(`${message} ${description}`).toMatch(/Message is empty/);
		expect(message).toMatch(/To "abc" is not a phone number/);
		expect(message).not.toMatch(/Phone Number|Text/);
		expect(await sandbox.requests()).toEqual([]);
		record('badInputs');
	});

	test.each([
		['reply', {}, 'the How to Answer text'],
		['link', { responseVia: 'link' }, 'the Link Text and the link'],
	])(
		'a Message too long once the %s part is added names Message and what was added',
		async (_via, extra, added) => {
			const wait = await startSendAndWait({ ...extra, message: 'a'.repeat(4090) });
			expect(wait.first.status).toBe('error');
			const message = String(wait.first.data.resultData.error?.message);
			expect(message).toMatch(
				new RegExp(
					`^Message is \\d+ characters long with ${added} added; WhatsApp takes up to 4096\\. Shorten the Message\\.`,
				),
			);
			expect(await sandbox.requests()).toEqual([]);
			record('badInputs');
		},
	);

	const KEY = 'ps_example_live_0123456789abcdef';
	const KEY_ID = 'key_example_01HZX9K3';
	test.each([
		[
			'Message',
			{ message: `Seu código: ${KEY}` },
			/^Message \(with the How to Answer text\) holds/,
			KEY,
		],
		[
			'How to Answer',
			{ approvalInstructions: `Responda ${KEY_ID}` },
			/^Message \(with the How to Answer text\) holds/,
			KEY_ID,
		],
		[
			'Approve Label',
			{ approveLabel: KEY, options: { addButtons: true } },
			/^Approve Label holds/,
			KEY,
		],
		[
			'Decline Label',
			{ declineLabel: KEY_ID, options: { addButtons: true } },
			/^Decline Label holds/,
			KEY_ID,
		],
	])(
		'a key in %s is refused before the webhook or the message, never quoted',
		async (_field, extra, expected, secret) => {
			const wait = await startSendAndWait(extra);
			expect(wait.first.status).toBe('error');
			const error = wait.first.data.resultData.error as Error & { description?: string };
			expect(error.message).toMatch(expected);
			expect(error.message).toMatch(/the value is not repeated here/);
			expect(`${error.message} ${error.description}`).not.toContain(secret);
			expect(await sandbox.requests()).toEqual([]);
			record('badInputs');
			record('secretChecks');
		},
	);

	test('several items are refused before anything is sent', async () => {
		const wait = await startWait({
			parameters: parameters(),
			credential: numberKey(),
			items: [{ json: {} }, { json: {} }],
		});
		expect(wait.first.status).toBe('error');
		expect(String(wait.first.data.resultData.error?.message)).toMatch(/one contact/);
		expect(await sandbox.messages()).toEqual([]);
		record('badInputs');
	});
});

describe('answers by WhatsApp reply', () => {
	test('"1" quoting the message approves; the webhook is deleted', async () => {
		await sandbox.customer(CUSTOMER, { text: '1' });
		const wait = await startSendAndWait();
		const [reply] = await inboundFrom(CUSTOMER);
		const resumed = await wait.call({ query: await registeredQuery(), body: reply });
		expect(resumed.resumed).toBe(true);
		expect(resumed.run?.status).toBe('success');
		const [message] = await sandbox.messages();
		expect(resumed.items?.[0].json).toEqual({
			responded: true,
			timedOut: false,
			approved: true,
			from: CUSTOMER,
			respondedAt: expect.any(String),
			respondedVia: 'whatsappReply',
			replyMessageId: (reply.data as IDataObject).messageId,
			messageId: message.id,
			correlationId: message.correlationId,
			to: CUSTOMER,
			sendingNumberId: null,
			data: { approved: true },
		});
		await temporaryWebhooksGone();
		expect(await sandbox.messages()).toHaveLength(1);
	});

	test('a label in the contact’s language declines (tenant key, Sending Number, quoting the internal id)', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader', quotedMessageId: 'internal' });
		await sandbox.customer(CUSTOMER, { text: 'Recusar!' });
		const wait = await startSendAndWait(
			{
				sendingNumberId: { __rl: true, mode: 'id', value: suporte.id },
				approveLabel: 'Aprovar',
				declineLabel: 'Recusar',
				approvalInstructions: 'Responda 1 para aprovar ou 2 para recusar.',
				options: { addButtons: true },
			},
			sandbox.credential(),
		);
		expect(wait.first.status).toBe('waiting');
		const [message] = await sandbox.messages();
		expect(message).toMatchObject({
			numberId: suporte.id,
			text: 'Posso confirmar seu pedido #123?\n\nResponda 1 para aprovar ou 2 para recusar.',
			buttons: [
				{ id: 'approve', text: 'Aprovar' },
				{ id: 'decline', text: 'Recusar' },
			],
		});
		expect((await temporaryWebhooks())[0].whatsappNumberIds).toEqual([suporte.id]);
		const [reply] = await inboundFrom(CUSTOMER);
		const resumed = await wait.call({ query: await registeredQuery(), body: reply });
		expect(resumed.items?.[0].json).toMatchObject({
			approved: false,
			sendingNumberId: suporte.id,
			data: { approved: false },
		});
		await temporaryWebhooksGone();
	});

	test('a tapped button answers, whatever its text', async () => {
		const wait = await startSendAndWait({ options: { addButtons: true } });
		const { event } = await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			text: 'Sim',
			type: 'button',
			extra: { buttonId: 'approve' },
		});
		const resumed = await wait.call({ query: await registeredQuery(), body: event });
		expect(resumed.items?.[0].json).toMatchObject({ approved: true });
	});

	test('Free Text: the reply’s text is the answer', async () => {
		await sandbox.customer(CUSTOMER, { text: 'Pode entregar às 15h' });
		const wait = await startSendAndWait({ responseType: 'freeText' });
		expect((await sandbox.messages())[0].text).toBe(
			'Posso confirmar seu pedido #123?\n\nReply to this message with your answer.',
		);
		const [reply] = await inboundFrom(CUSTOMER);
		const resumed = await wait.call({ query: await registeredQuery(), body: reply });
		expect(resumed.items?.[0].json).toMatchObject({
			responded: true,
			text: 'Pode entregar às 15h',
			data: { text: 'Pode entregar às 15h' },
		});
		expect(resumed.items?.[0].json).not.toHaveProperty('approved');
	});

	test('another contact, our own echo, a reply to another message and a non-choice keep it waiting', async () => {
		const wait = await startSendAndWait();
		const query = await registeredQuery();
		const ignoredCalls = [
			await sandbox.inbound(suporte.id, { from: OTHER_CONTACT, text: '1' }),
			await sandbox.inbound(suporte.id, {
				from: CUSTOMER,
				text: '1',
				quotedMessageId: 'wamid.SOMETHING_ELSE',
			}),
			await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'talvez amanhã' }),
			await sandbox.inbound(suporte.id, { from: CUSTOMER, text: '1', extra: { fromMe: true } }),
		];
		for (const { event } of ignoredCalls) {
			const ignored = await wait.call({ query, body: event });
			expect(ignored.resumed).toBe(false);
			expect(ignored.answer).toMatchObject({ status: 200, body: { received: true } });
		}
		expect(await temporaryWebhooks()).toHaveLength(1);
		// The contact then answers without quoting: by default that counts.
		const { event } = await sandbox.inbound(suporte.id, { from: CUSTOMER, text: '2' });
		const resumed = await wait.call({ query, body: event });
		expect(resumed.items?.[0].json).toMatchObject({ approved: false, from: CUSTOMER });
		record('forgedEvents', ignoredCalls.length);
	});

	test('Only Quoted Replies: an unquoted "1" is not an answer, the quoting one is', async () => {
		await sandbox.customer(CUSTOMER, { text: '1' });
		const wait = await startSendAndWait({ options: { onlyQuotedReplies: true } });
		const query = await registeredQuery();
		const [quoting] = await inboundFrom(CUSTOMER);
		const { event } = await sandbox.inbound(suporte.id, { from: CUSTOMER, text: '1' });
		expect((await wait.call({ query, body: event })).resumed).toBe(false);
		const resumed = await wait.call({ query, body: quoting });
		expect(resumed.items?.[0].json).toMatchObject({ approved: true });
	});

	test('the "rendered" status shape (no externalMessageId): a reply quoting the provider id still counts', async () => {
		await sandbox.variants({ messageStatusShape: 'rendered', quotedMessageId: 'provider' });
		await sandbox.customer(CUSTOMER, { text: '1' });
		const wait = await startSendAndWait();
		const [reply] = await inboundFrom(CUSTOMER);
		const [message] = await sandbox.messages();
		expect((reply.data as IDataObject).quotedMessageId).toBe(message.externalMessageId);
		const resumed = await wait.call({ query: await registeredQuery(), body: reply });
		expect(resumed.resumed).toBe(true);
		expect(resumed.items?.[0].json).toMatchObject({ approved: true, messageId: message.id });
		// The node did look the provider id up, and got none.
		const lookups = (await sandbox.requests()).filter(
			(request) => request.method === 'GET' && request.path === `/v1/messages/${message.id}`,
		);
		expect(lookups).toHaveLength(1);
	});

	test('"rendered" status shape: a quote while our message has not gone out quotes something else', async () => {
		await sandbox.variants({ messageStatusShape: 'rendered' });
		await sandbox.settings({ messageStepMs: null });
		const wait = await startSendAndWait();
		const { event } = await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			text: '1',
			quotedMessageId: 'wamid.SOMETHING_ELSE',
		});
		expect((await wait.call({ query: await registeredQuery(), body: event })).resumed).toBe(false);
		record('forgedEvents');
	});

	test('"rendered" status shape with Only Quoted Replies: only a quote of Pilot Status’s own id matches', async () => {
		await sandbox.variants({ messageStatusShape: 'rendered', quotedMessageId: 'provider' });
		await sandbox.customer(CUSTOMER, { text: '1' });
		const wait = await startSendAndWait({ options: { onlyQuotedReplies: true } });
		const query = await registeredQuery();
		const [quotingProviderId] = await inboundFrom(CUSTOMER);
		expect((await wait.call({ query, body: quotingProviderId })).resumed).toBe(false);
		const [message] = await sandbox.messages();
		const { event } = await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			text: '1',
			quotedMessageId: message.id,
		});
		const resumed = await wait.call({ query, body: event });
		expect(resumed.items?.[0].json).toMatchObject({ approved: true });
	});

	test('a forged call never resumes: wrong secret 401, another number 403', async () => {
		await sandbox.customer(CUSTOMER, { text: '1' });
		const wait = await startSendAndWait();
		const query = await registeredQuery();
		const [reply] = await inboundFrom(CUSTOMER);
		const wrongSecret = await wait.call({
			query: { ...query, secret: 'b2'.repeat(32) },
			body: reply,
		});
		expect(wrongSecret).toMatchObject({ resumed: false, answer: { status: 401 } });
		const otherNumber = await wait.call({
			query,
			body: { ...reply, data: { ...(reply.data as IDataObject), numberId: vendas.id } },
		});
		expect(otherNumber).toMatchObject({ resumed: false, answer: { status: 403 } });
		// A GET on the reply URL (a bot that saw it) answers nothing either.
		expect((await wait.call({ query, body: {}, method: 'GET' })).resumed).toBe(false);
		expect(await temporaryWebhooks()).toHaveLength(1);
		expect((await wait.call({ query, body: reply })).resumed).toBe(true);
		record('forgedEvents', 3);
	});
});

describe('answers by link', () => {
	test('the message carries the link; a GET (link preview) shows the page and never answers; the POST approves', async () => {
		const wait = await startSendAndWait({ responseVia: 'link', linkText: 'Responda aqui:' });
		expect(wait.first.status).toBe('waiting');
		// No reply webhook: the page is the only way back.
		expect(await temporaryWebhooks()).toEqual([]);
		const { url, query } = await sentLink();
		expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:5678/webhook-waiting/1');
		expect((await sandbox.messages())[0].text).toMatch(
			/^Posso confirmar seu pedido #123\?\n\nResponda aqui: http:\/\/127\.0\.0\.1:5678\/webhook-waiting\/1\?/,
		);
		for (const method of ['GET', 'HEAD'] as const) {
			const preview = await wait.call({ query, body: {}, method });
			expect(preview.resumed).toBe(false);
			expect(preview.answer).toMatchObject({
				status: 200,
				headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
			});
			expect(String(preview.answer.body)).toContain('<form method="post">');
			expect(String(preview.answer.body)).toContain('name="choice" value="approve"');
		}
		const noChoice = await wait.call({ query, body: { choice: 'maybe' } });
		expect(noChoice).toMatchObject({ resumed: false, answer: { status: 400 } });
		const forged = await wait.call({
			query: { ...query, secret: 'c3'.repeat(32) },
			body: { choice: 'approve' },
		});
		expect(forged).toMatchObject({ resumed: false, answer: { status: 401 } });
		const posted = await wait.call({ query, body: 'choice=approve' });
		expect(posted.resumed).toBe(true);
		expect(String(posted.answer.body)).toContain('Thank you, your response was recorded.');
		expect(posted.items?.[0].json).toMatchObject({
			responded: true,
			approved: true,
			respondedVia: 'link',
			from: null,
		});
		record('forgedEvents', 4);
	});

	test('Free Text by link: the page’s text box answers', async () => {
		const wait = await startSendAndWait({
			responseVia: 'link',
			responseType: 'freeText',
			options: { submitLabel: 'Enviar', recordedText: 'Obrigado!' },
		});
		const { query } = await sentLink();
		const page = await wait.call({ query, body: {}, method: 'GET' });
		expect(String(page.answer.body)).toContain('<textarea name="text"');
		expect(String(page.answer.body)).toContain('Enviar');
		const posted = await wait.call({ query, body: { text: 'Às 15h' } });
		expect(String(posted.answer.body)).toContain('Obrigado!');
		expect(posted.items?.[0].json).toMatchObject({ text: 'Às 15h', data: { text: 'Às 15h' } });
	});
});

describe('timeouts, sends under Retry On Fail, cleanup', () => {
	test('Limit Wait Time: waits until then; the timeout outputs responded false, timedOut true', async () => {
		const before = Date.now();
		const wait = await startSendAndWait({
			limitWaitTime: true,
			limitType: 'afterTimeInterval',
			resumeAmount: 5,
			resumeUnit: 'minutes',
		});
		const waitTill = new Date(wait.first.waitTill!).getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
		const timedOut = await wait.byTimeout();
		expect(timedOut.run.status).toBe('success');
		expect(timedOut.items[0].json).toMatchObject({
			responded: false,
			timedOut: true,
			approved: null,
			from: null,
			respondedAt: null,
			messageId: (await sandbox.messages())[0].id,
			to: CUSTOMER,
			data: {},
		});
		record('deadlines');
	});

	test('the timed-out wait’s webhook is removed by the next wait (the sweep)', async () => {
		const expired = await sandbox.api('POST', '/v1/webhooks', {
			key: NUMBER_KEY,
			body: {
				url: `http://127.0.0.1:5678/webhook-waiting/7?number=own&started=${Date.now() - 7_200_000}&secret=${'a1'.repeat(32)}`,
				name: `n8n Send and Wait · execution 7 · until ${new Date(Date.now() - 3_600_000).toISOString()}`,
				events: ['message.received', 'message.reply'],
			},
		});
		expect(expired.status).toBe(201);
		await startSendAndWait();
		const left = await temporaryWebhooks();
		expect(left).toHaveLength(1);
		expect(left[0].id).not.toBe(expired.body.id);
		record('webhookSweeps');
	});

	test('Retry On Fail: a send whose answer was lost is not sent again; the item says so; no webhook left', async () => {
		await sandbox.fault(faultAfterSend());
		const wait = await startSendAndWait({}, numberKey(), {
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 0,
		});
		expect(wait.first.status).toBe('error');
		const error = wait.first.data.resultData.error as Error & { description?: string };
		expect(`${error.message} ${error.description}`).toMatch(/may or may not have gone out/);
		expect(await sandbox.messages()).toHaveLength(1);
		const sends = (await sandbox.requests()).filter(
			(request) => request.path === '/v1/messages/send',
		);
		expect(sends).toHaveLength(1);
		expect(await temporaryWebhooks()).toEqual([]);
		record('sideEffects');
		record('faults');
	});

	test.each<[string, IDataObject]>([
		['an empty object', {}],
		['the id wrapped beside another field', { ok: true, message: { id: 'msg_01HZX9K3' } }],
	])(
		'Retry On Fail: a 2xx send answer without a usable id (%s) fails as unreadable, sent once, no webhook left',
		async (_name, body) => {
			await sandbox.fault(faultAfterSend({ status: 200, body, count: 3 }));
			const wait = await startSendAndWait({}, numberKey(), {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
			});
			expect(wait.first.status).toBe('error');
			const error = wait.first.data.resultData.error as Error;
			expect(error.message).toMatch(
				/^Pilot Status sent a response the node cannot read \(JSON without the message’s id\)\. The message may or may not have gone out/,
			);
			expect(await sandbox.messages()).toHaveLength(1);
			const sends = (await sandbox.requests()).filter(
				(request) => request.path === '/v1/messages/send',
			);
			expect(sends).toHaveLength(1);
			expect(await temporaryWebhooks()).toEqual([]);
			record('sideEffects');
			record('faults');
		},
	);

	test('a refused send (400) is not waited on; its webhook is removed', async () => {
		await sandbox.fault({
			type: 'status',
			status: 400,
			body: { error: 'Validation error' },
			method: 'POST',
			path: '/v1/messages/send',
		});
		const wait = await startSendAndWait();
		expect(wait.first.status).toBe('error');
		expect(await sandbox.messages()).toEqual([]);
		expect(await temporaryWebhooks()).toEqual([]);
		record('faults');
	});

	test('Retry On Fail: the registration fails once; the next try sends once and waits', async () => {
		await sandbox.fault({
			type: 'status',
			status: 500,
			method: 'POST',
			path: '/v1/webhooks',
			count: 1,
		});
		const wait = await startSendAndWait({}, numberKey(), {
			retryOnFail: true,
			maxTries: 2,
			waitBetweenTries: 0,
		});
		expect(wait.first.status).toBe('waiting');
		expect(await sandbox.messages()).toHaveLength(1);
		expect(await temporaryWebhooks()).toHaveLength(1);
		record('sideEffects');
	});
});
