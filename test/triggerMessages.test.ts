import { sleep } from 'n8n-workflow';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startDripServer, startRedirectServer } from './helpers/badServers';
import { startMediaServer } from './helpers/mediaServer';
import { runNode } from './helpers/n8n';
import { startReceiver } from './helpers/receiver';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';
import { activeTrigger } from './helpers/trigger';
import type { ActiveTrigger } from './helpers/trigger';

// The trigger's message events (issue 21): one item shape for every message.* event, from the
// sandbox's real deliveries (inbound messages, scripted customers, a send's lifecycle), the
// number's own messages dropped, and inbound media downloaded only from the documented origins.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
	while (stops.length > 0) await stops.pop()!();
});

async function start(parameters: IDataObject): Promise<ActiveTrigger> {
	const active = await activeTrigger({
		parameters: { numbers: 'all', ...parameters },
		credential: sandbox.credential(),
	});
	stops.push(() => active.stop());
	await active.activate();
	return active;
}

/** Starts a server and stops it after the test. */
async function serving<T extends { stop(): Promise<void> }>(server: Promise<T>): Promise<T> {
	const started = await server;
	stops.push(() => started.stop());
	return started;
}

/** The runs so far, once there are at least `count` (downloads finish after the answer). */
async function runsOf(active: ActiveTrigger, count: number, ms = 5000) {
	const deadline = Date.now() + ms;
	while (active.runs.length < count) {
		if (Date.now() > deadline) throw new Error(`Expected ${count} runs, got ${active.runs.length}`);
		await sleep(20);
	}
	return active.runs.map((run) => run[0]);
}

const items = async (active: ActiveTrigger, count: number) =>
	(await runsOf(active, count)).map((item) => item.json);

/** The path and query of a number's registered webhook URL, for events the sandbox cannot send. */
async function urlFor(numberId: string) {
	const { webhooks } = await sandbox.state();
	const url = new URL(webhooks.find((hook) => hook.whatsappNumberIds[0] === numberId)!.url);
	return `${url.pathname}${url.search}`;
}

let unique = 0;
const eventId = () => `evt_messages_${Date.now()}_${(unique += 1)}`;

/** A forged image message: the right URL (someone who learned it), a file address of its choice. */
async function postImage(active: ActiveTrigger, fields: IDataObject) {
	return await active.post(await urlFor(suporte.id), {
		event: 'message.received',
		data: {
			id: eventId(),
			from: CUSTOMER,
			numberId: suporte.id,
			messageId: `3EB0${unique}`,
			type: 'image',
			fromMe: false,
			content: '',
			mediaType: 'image',
			...fields,
		},
	});
}

/** Message → Send from Suporte with its number key, as a workflow would. */
async function sendText(text: string, to = CUSTOMER) {
	const { items: sent, error } = await runNode({
		parameters: {
			resource: 'message',
			operation: 'send',
			sendTo: 'phone',
			recipientPhoneNumber: to,
			messageType: 'text',
			text,
		},
		credential: sandbox.credential({ apiKey: NUMBER_KEY }),
	});
	expect(error).toBeUndefined();
	return sent[0].json;
}

const binaryOf = (item: INodeExecutionData, field = 'data') => item.binary?.[field] as IBinaryData;
const bytesOf = (binary: IBinaryData) => Buffer.from(binary.data, 'base64');

const MESSAGE_KEYS = [
	'correlationId',
	'createdAt',
	'data',
	'errorExplanation',
	'errorMessage',
	'event',
	'from',
	'fromMe',
	'internalMessageId',
	'media',
	'messageId',
	'numberId',
	'participantName',
	'quotedMessageId',
	'receivedAt',
	'status',
	'text',
	'to',
	'type',
];

describe('message events come out in one shape', () => {
	test('an inbound text message: sender in E.164, text, no media', async () => {
		const active = await start({ events: ['message.received'] });
		const { event } = await sandbox.inbound(vendas.id, {
			from: '5511977776666',
			text: 'Oi, quero saber do meu pedido',
			participantName: 'Ana',
		});
		const [item] = await items(active, 1);
		expect(Object.keys(item).sort()).toEqual(MESSAGE_KEYS);
		expect(item).toEqual({
			event: 'message.received',
			numberId: vendas.id,
			messageId: event.data.messageId,
			internalMessageId: null,
			correlationId: null,
			status: null,
			from: CUSTOMER,
			to: '+5511988888888',
			fromMe: false,
			type: 'text',
			text: 'Oi, quero saber do meu pedido',
			participantName: 'Ana',
			quotedMessageId: null,
			media: null,
			errorMessage: null,
			errorExplanation: null,
			createdAt: event.data.createdAt,
			receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
			data: event.data,
		});
		record('trigger');
	});

	test('a send’s lifecycle and the customer’s reply: internalMessageId is Send’s id, quotedMessageId its provider id', async () => {
		await sandbox.customer(CUSTOMER, { text: 'Sim, pode confirmar', afterMs: 50 });
		const active = await start({
			events: ['message.sent', 'message.delivered', 'message.read', 'message.reply'],
		});
		const sent = await sendText('Seu pedido saiu para entrega. Confirma o endereço?');
		const received = await items(active, 4);
		const byEvent = Object.fromEntries(received.map((item) => [item.event, item]));
		expect(Object.keys(byEvent).sort()).toEqual([
			'message.delivered',
			'message.read',
			'message.reply',
			'message.sent',
		]);
		const providerId = byEvent['message.sent'].messageId;
		expect(providerId).toEqual(expect.stringMatching(/^3EB0/));
		for (const [status, event] of [
			['SENT', 'message.sent'],
			['DELIVERED', 'message.delivered'],
			['READ', 'message.read'],
		]) {
			expect(Object.keys(byEvent[event]).sort()).toEqual(MESSAGE_KEYS);
			expect(byEvent[event]).toMatchObject({
				internalMessageId: sent.id,
				correlationId: sent.correlationId,
				messageId: providerId,
				status,
				from: '+5511999999999',
				to: CUSTOMER,
				fromMe: true,
				media: null,
				errorMessage: null,
			});
		}
		expect(byEvent['message.reply']).toMatchObject({
			from: CUSTOMER,
			fromMe: false,
			text: 'Sim, pode confirmar',
			quotedMessageId: providerId,
			internalMessageId: null,
			status: null,
		});
		record('trigger');
	});

	test('message.failed says what a known code means: free text to a Meta contact outside 24 hours', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const active = await start({ events: ['message.failed'] });
		const sent = await sendText('Olá! Novidades da loja.', '+5511955554444');
		const [item] = await items(active, 1);
		expect(item).toMatchObject({
			event: 'message.failed',
			internalMessageId: sent.id,
			status: 'FAILED',
			to: '+5511955554444',
			errorMessage: 'META_OUTSIDE_24H_WINDOW',
			errorExplanation: expect.stringContaining('approved template'),
		});
		expect(item.errorExplanation).toContain('24');
		record('trigger');
	});

	test('an unknown failure code is passed on without a made-up explanation', async () => {
		const active = await start({ events: ['message.failed'] });
		await active.post(await urlFor(suporte.id), {
			event: 'message.failed',
			data: { id: eventId(), internalMessageId: 'msg_x', errorMessage: 'SOMETHING_NEW' },
		});
		const [item] = await items(active, 1);
		expect(item).toMatchObject({ errorMessage: 'SOMETHING_NEW', errorExplanation: null });
	});

	test('group and channel messages, and a Meta image with its caption and media fields', async () => {
		const meta = await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const active = await start({
			events: ['message.group', 'message.newsletter', 'message.received'],
		});
		await sandbox.inbound(vendas.id, {
			from: CUSTOMER,
			event: 'message.group',
			text: 'Bom dia, grupo',
		});
		await sandbox.inbound(vendas.id, {
			from: CUSTOMER,
			event: 'message.newsletter',
			text: 'Aviso',
		});
		const { event } = await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			media: { type: 'image', caption: 'Comprovante' },
		});
		const [group, channel, image] = await items(active, 3);
		expect(group).toMatchObject({ event: 'message.group', text: 'Bom dia, grupo', media: null });
		expect(channel).toMatchObject({ event: 'message.newsletter', text: 'Aviso' });
		expect(image).toMatchObject({ event: 'message.received', type: 'image', text: 'Comprovante' });
		// The webhook names no MIME type (§11): media shows only the fields the event carried.
		expect(image.media).toEqual({
			type: 'image',
			fileName: 'photo.png',
			caption: 'Comprovante',
			url: event.data.mediaLink,
			mediaId: event.data.mediaId,
			phoneNumberId: meta.metaPhoneId,
		});
		// Without Download Media nothing is fetched.
		expect(image.mediaError).toBeUndefined();
		expect(
			(await sandbox.requests()).some((request) => request.path.startsWith('/v1/media/')),
		).toBe(false);
	});

	test('a repeated message event (same data.id) starts one run', async () => {
		await sandbox.settings({ messageEventRepeat: 3 });
		const active = await start({ events: ['message.received'] });
		const { deliveries } = await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'Olá' });
		expect(deliveries.map((delivery) => delivery.statusCode)).toEqual([200, 200, 200]);
		await sleep(100);
		expect(active.runs).toHaveLength(1);
		record('trigger');
	});
});

describe('the service’s retries, played by the sandbox', () => {
	test('a lost answer retried and two copies posted at the same moment start one run; every copy is answered 200', async () => {
		const active = await start({ events: ['message.received'] });
		// The receiver got the first call, but the service never saw its answer: it retries after
		// 50 ms. Meanwhile two more copies went out at once (a retry timer that fired too early).
		const message = {
			from: CUSTOMER,
			text: 'Oi, preciso de ajuda',
			delivery: { lostAnswers: 1, concurrentCopies: 2, retryAfterMs: 50 },
		};
		const { event, deliveries } = await sandbox.inbound(suporte.id, message);
		expect(deliveries.map((delivery) => delivery.kind)).toEqual([
			'first',
			'retry',
			'concurrent copy',
			'concurrent copy',
		]);
		expect(deliveries.map((delivery) => delivery.receiverStatusCode)).toEqual([200, 200, 200, 200]);
		expect(deliveries.map((delivery) => delivery.status)).toEqual([
			'FAILED',
			'SUCCESS',
			'SUCCESS',
			'SUCCESS',
		]);
		// What the trigger answered, lost or not: one accepted, three recognised as repeats.
		const answers = deliveries.map((delivery) => JSON.parse(String(delivery.receiverResponse)));
		expect(answers.filter((answer) => answer.duplicate === true)).toHaveLength(3);
		await sleep(100);
		expect(active.runs).toHaveLength(1);
		expect(active.runs[0][0].json.messageId).toBe(event.data.messageId);
		record('trigger');
		record('forgedEvents');
	});

	test('a delivery plan the service could not have is refused by the sandbox', async () => {
		for (const delivery of [{ lostAnswers: 9 }, { origins: ['not a url'] }, []]) {
			await expect(
				sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'x', delivery } as never),
			).rejects.toThrow(/delivery/);
		}
		record('badInputs');
	});
});

describe('Ignore Own Messages', () => {
	test('on by default: the number’s own echoed message is dropped, its status events still arrive', async () => {
		await sandbox.settings({ echoOwnMessages: true });
		const active = await start({ events: ['message.received', 'message.sent'] });
		await sendText('Mensagem automática');
		await runsOf(active, 1);
		await sleep(300);
		expect(active.runs.map((run) => run[0].json.event)).toEqual(['message.sent']);
		expect(active.answers).toHaveLength(2);
		// A contact's message still arrives.
		await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'Obrigado' });
		expect((await items(active, 2))[1]).toMatchObject({ event: 'message.received', fromMe: false });
		record('trigger');
	});

	test('off: the echo arrives with fromMe true', async () => {
		await sandbox.settings({ echoOwnMessages: true });
		const active = await start({ events: ['message.received'], ignoreOwnMessages: false });
		await sendText('Mensagem automática');
		const [echo] = await items(active, 1);
		expect(echo).toMatchObject({
			event: 'message.received',
			fromMe: true,
			from: '+5511999999999',
			to: CUSTOMER,
			text: 'Mensagem automática',
		});
	});
});

describe('Download Media', () => {
	const download = (extra: IDataObject = {}) => ({
		events: ['message.received'],
		downloadMedia: true,
		...extra,
	});

	test('Meta: fetched by mediaId through the API with the credential, never from the link', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const active = await start(download());
		const { event } = await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			media: { type: 'image', caption: 'Foto do produto' },
		});
		const [item] = await runsOf(active, 1);
		expect(item.json.mediaError).toBeUndefined();
		const binary = binaryOf(item);
		expect(bytesOf(binary)).toEqual(Buffer.from(PNG_BASE64, 'base64'));
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: 'photo.png' });
		const requests = await sandbox.requests();
		const mediaCalls = requests.filter((request) => request.path.startsWith('/v1/media/'));
		expect(mediaCalls).toHaveLength(1);
		expect(mediaCalls[0]).toMatchObject({
			method: 'GET',
			path: `/v1/media/${event.data.mediaId as string}`,
			query: { phoneNumberId: event.data.phoneNumberId },
			scope: 'tenant',
		});
		expect(requests.some((request) => request.path.startsWith('/__sandbox/files/'))).toBe(false);
		record('trigger');
	});

	test('Meta with a key the media endpoint refuses: the mirrored link is used, and the refusal is not an error', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const active = await start(download());
		await sandbox.inbound(suporte.id, { from: CUSTOMER, media: { type: 'document' } });
		const [item] = await runsOf(active, 1);
		expect(item.json.mediaError).toBeUndefined();
		expect(bytesOf(binaryOf(item)).toString()).toContain('%PDF');
		expect(binaryOf(item).fileName).toBe('document.pdf');
		const mediaCalls = (await sandbox.requests()).filter((request) =>
			request.path.startsWith('/v1/media/'),
		);
		expect(mediaCalls.map((request) => request.status)).toEqual([403]);
	});

	test('Meta with such a key and no usable link: mediaError says why, without the shared Sending Number advice', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const active = await start(download());
		await postImage(active, { mediaId: 'abc_media_id', phoneNumberId: '1' });
		const [item] = await runsOf(active, 1);
		expect(item.json.mediaError).toBe(
			'From Pilot Status (mediaId): Pilot Status refused the file to the trigger’s credential (HTTP 403). The trigger holds the account’s tenant key and names the number (x-whatsapp-number-id); where Pilot Status takes only a number’s own key for media, the file can be had only from its mediaLink.',
		);
	});

	test('Evolution: the mediaLink on the Base URL’s host, into the field the user named', async () => {
		const active = await start(download({ binaryPropertyName: 'comprovante' }));
		const file = Buffer.from('%PDF-1.4 recibo');
		await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			media: { type: 'document', fileName: 'recibo.pdf', base64: file.toString('base64') },
		});
		const [item] = await runsOf(active, 1);
		expect(item.json.mediaError).toBeUndefined();
		expect(Object.keys(item.binary ?? {})).toEqual(['comprovante']);
		expect(bytesOf(binaryOf(item, 'comprovante'))).toEqual(file);
		expect(binaryOf(item, 'comprovante')).toMatchObject({
			mimeType: 'application/pdf',
			fileName: 'recibo.pdf',
		});
	});

	test('a host in Allowed Media Hosts is downloaded from', async () => {
		const files = await serving(startMediaServer());
		const active = await start(download({ allowedMediaHosts: new URL(files.url).host }));
		await postImage(active, { mediaLink: `${files.url}/media/photo.png` });
		const [item] = await runsOf(active, 1);
		expect(item.json.mediaError).toBeUndefined();
		expect(bytesOf(binaryOf(item))).toEqual(files.png);
		expect(binaryOf(item).fileName).toBe('photo.png');
	});

	test('a forged mediaLink to another host is refused: that host receives nothing, the event still runs', async () => {
		const elsewhere = await serving(startReceiver());
		const active = await start(download());
		const answer = await postImage(active, {
			mediaLink: `${elsewhere.url}/internal/admin?token=abc`,
			content: 'veja',
		});
		expect(answer.status).toBe(200);
		const [item] = await runsOf(active, 1);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ event: 'message.received', text: 'veja' });
		const host = new URL(elsewhere.url).host;
		expect(item.json.mediaError).toContain(`points to ${host}, which is not an allowed media host`);
		expect(item.json.mediaError).toContain('Allowed Media Hosts');
		expect(item.json.mediaError).not.toContain('token=abc');
		await sleep(100);
		expect(elsewhere.received).toEqual([]);
		record('forgedEvents');
	});

	test('a forged mediaId is asked of Pilot Status only, and a bad one not at all', async () => {
		const elsewhere = await serving(startReceiver());
		const active = await start(download());
		await postImage(active, { mediaId: '../../v1/numbers', phoneNumberId: '1' });
		await postImage(active, { mediaId: 'unknown_media', phoneNumberId: '1' });
		const [bad, unknown] = await runsOf(active, 2);
		expect(bad.json.mediaError).toContain('not a media ID');
		expect(unknown.json.mediaError).toContain('From Pilot Status (mediaId)');
		expect(JSON.stringify([bad, unknown])).not.toContain(TENANT_KEY);
		record('secretChecks');
		const mediaCalls = (await sandbox.requests()).filter((request) =>
			request.path.startsWith('/v1/media/'),
		);
		expect(mediaCalls.map((request) => request.path)).toEqual(['/v1/media/unknown_media']);
		expect(elsewhere.received).toEqual([]);
		record('forgedEvents');
	});

	test('plain http is refused for a host that is not a local test server', async () => {
		const active = await start(download({ allowedMediaHosts: 'media.example.com' }));
		await postImage(active, { mediaLink: 'http://media.example.com/photo.png' });
		const [item] = await runsOf(active, 1);
		expect(item.json.mediaError).toContain('only https:// links are downloaded');
		record('forgedEvents');
	});

	test('over Max Media Size: refused by its length, or stopped as the bytes pass the cap', async () => {
		const files = await serving(startMediaServer());
		const active = await start(
			download({ maxMediaSizeMb: 0.5, allowedMediaHosts: new URL(files.url).host }),
		);
		await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			media: { type: 'document', base64: Buffer.alloc(600 * 1024, 1).toString('base64') },
		});
		const started = Date.now();
		await postImage(active, { mediaLink: `${files.url}/endless/video.mp4` });
		const [declared, endless] = await runsOf(active, 2);
		for (const item of [declared, endless]) {
			expect(item.binary).toBeUndefined();
			expect(item.json.mediaError).toContain('larger than Max Media Size (0.5 MB)');
		}
		expect(Date.now() - started).toBeLessThan(5000);
		await sleep(50);
		expect(files.state.closedEarly).toBe(true);
		record('trigger', 2);
	});

	test('Meta media over Max Media Size is not kept', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const active = await start(
			download({ maxMediaSizeMb: 0.5, allowedMediaHosts: 'none.invalid' }),
		);
		const big = Buffer.alloc(600 * 1024, 1).toString('base64');
		await sandbox.inbound(suporte.id, { from: CUSTOMER, media: { type: 'video', base64: big } });
		const [item] = await runsOf(active, 1);
		expect(item.binary).toBeUndefined();
		expect(item.json.mediaError).toContain('From Pilot Status (mediaId): The file is larger');
	});

	test('a redirecting media URL is not followed', async () => {
		const target = await serving(startReceiver());
		const redirect = await serving(startRedirectServer({ location: target.url }));
		const active = await start(
			download({ allowedMediaHosts: `${new URL(redirect.url).host}, ${new URL(target.url).host}` }),
		);
		await postImage(active, { mediaLink: `${redirect.url}/photo.png` });
		const [item] = await runsOf(active, 1);
		expect(item.json.mediaError).toContain('answered with a redirect (HTTP 302)');
		expect(redirect.received).toHaveLength(1);
		expect(target.received).toEqual([]);
		record('redirects');
	});

	test('a slow media host is given up at Media Download Timeout; the event still runs', async () => {
		const slow = await serving(startDripServer({ intervalMs: 100 }));
		const active = await start(
			download({ mediaTimeoutSeconds: 1, allowedMediaHosts: new URL(slow.url).host }),
		);
		const started = Date.now();
		const answer = await postImage(active, { mediaLink: `${slow.url}/photo.png` });
		// The service gets its answer at once, before the download.
		expect(answer.status).toBe(200);
		expect(Date.now() - started).toBeLessThan(500);
		const [item] = await runsOf(active, 1);
		expect(Date.now() - started).toBeLessThan(3000);
		expect(item.json.mediaError).toContain('did not finish within 1 s');
		record('deadlines');
	});

	test('bad media settings are refused at activation, naming each field, before any request', async () => {
		const active = await activeTrigger({
			parameters: {
				events: ['message.received'],
				numbers: 'all',
				downloadMedia: true,
				binaryPropertyName: 'my file',
				allowedMediaHosts: 'media.example.com, https://x.example.com/path, not a host',
				maxMediaSizeMb: 0,
				mediaTimeoutSeconds: 1000,
			},
			credential: sandbox.credential(),
		});
		stops.push(() => active.stop());
		const failure = await active.create().then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);
		const text = `${failure?.message} ${failure?.description ?? ''}`;
		expect(text).toContain('Put Media in Field');
		expect(text).toContain('Allowed Media Hosts has entries that are not host names: not a host');
		expect(text).toContain('Max Media Size (MB)');
		expect(text).toContain('Media Download Timeout (Seconds)');
		expect(await sandbox.requests()).toEqual([]);
		record('badInputs', 4);
	});
});
