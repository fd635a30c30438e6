import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startCutOffProxy } from './helpers/badServers';
import { faultAfterSend } from './helpers/fixtures';
import { NODE_TYPE, listSearch, runNode } from './helpers/n8n';
import type { Fault } from './helpers/sandbox';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Message → Send, Get and Cancel against the sandbox's messaging side, in n8n's engine.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id });
const CUSTOMER = '+5511977776666';
const PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const GROUP = '120363012345678901@g.us';
const CHANNEL = '120363012345678901@newsletter';
const LATER = () => new Date(Date.now() + 3_600_000).toISOString();

/** The number-scoped key of Suporte: the documented way to send. */
const numberKey = () => sandbox.credential({ apiKey: NUMBER_KEY });
const tenantKey = () => sandbox.credential();
const text = { messageType: 'text', text: 'Olá! Seu pedido foi confirmado.' };
const toCustomer = { sendTo: 'phone', recipientPhoneNumber: '(11) 97777-6666' };

async function run(
	parameters: IDataObject,
	options: {
		credential?: IDataObject;
		items?: INodeExecutionData[];
		settings?: IDataObject;
		type?: string;
	} = {},
) {
	return runNode({
		parameters: { resource: 'message', ...parameters },
		credential: (options.credential ?? numberKey()) as never,
		items: options.items,
		settings: options.settings,
		type: options.type,
	});
}

const send = (parameters: IDataObject, options: Parameters<typeof run>[1] = {}) =>
	run({ operation: 'send', ...toCustomer, ...text, ...parameters }, options);

const sendRequests = async () =>
	(await sandbox.requests()).filter(
		(request) => request.method === 'POST' && request.path === '/v1/messages/send',
	);

const withFile = (data: string, mimeType: string, fileName: string): INodeExecutionData[] => [
	{ json: {}, binary: { data: { data, mimeType, fileName } } },
];

const SEND_OUTPUT_KEYS = [
	'correlationId',
	'createdAt',
	'deliverAt',
	'destination',
	'destinationType',
	'id',
	// Editor runs are manual runs: the item says a real message went out (see newcomer.test.ts).
	'manualRunNotice',
	'messageType',
	'note',
	'sendingNumberId',
	'sourceNumber',
	'status',
];

describe('Message → Send: every mode to every destination', () => {
	const destinations: Array<[string, IDataObject, IDataObject, string]> = [
		['a phone number', toCustomer, { destinationNumber: CUSTOMER }, CUSTOMER],
		['a group', { sendTo: 'group', groupId: GROUP }, { groupId: GROUP }, GROUP],
		['a channel', { sendTo: 'channel', channelId: CHANNEL }, { newsletterId: CHANNEL }, CHANNEL],
	];
	const modes: Array<[string, IDataObject, IDataObject]> = [
		['text', text, { text: text.text }],
		[
			'a template',
			{
				messageType: 'template',
				templateId: fromList(`tpl_${suporte.id.replace(/^num_/, '')}_pedido`),
				variables: {
					variable: [
						{ name: 'nome', value: 'Ana' },
						{ name: '{{pedido}}', value: '123' },
					],
				},
			},
			{
				templateId: `tpl_${suporte.id.replace(/^num_/, '')}_pedido`,
				variables: { nome: 'Ana', pedido: '123' },
			},
		],
		[
			'media from a URL',
			{
				messageType: 'media',
				mediaType: 'document',
				mediaSource: 'url',
				mediaUrl: 'https://example.com/catalogo',
				caption: 'Catálogo',
			},
			{ media: 'https://example.com/catalogo', mediaType: 'document', caption: 'Catálogo' },
		],
	];
	const cases = destinations.flatMap(([where, fields, bodyDestination, destination]) =>
		modes.map(([mode, modeFields, bodyMode]) => [
			mode,
			where,
			{ ...fields, ...modeFields },
			{ ...bodyDestination, ...bodyMode },
			destination,
			where === 'a phone number' ? 'phone' : where === 'a group' ? 'group' : 'channel',
		]),
	) as Array<[string, string, IDataObject, IDataObject, string, string]>;

	test.each(cases)(
		'%s to %s: one request with exactly one destination and one mode, one QUEUED item',
		async (_mode, _where, parameters, body, destination, destinationType) => {
			const { items, error } = await run({ operation: 'send', ...parameters });
			expect(error).toBeUndefined();
			const requests = await sendRequests();
			expect(requests).toHaveLength(1);
			expect(requests[0].body).toEqual(body);
			const [message] = await sandbox.messages();
			expect(items).toHaveLength(1);
			expect(items[0].json).toEqual({
				id: message.id,
				correlationId: message.correlationId,
				status: 'QUEUED',
				createdAt: message.createdAt,
				deliverAt: null,
				destinationType,
				destination,
				messageType: String(parameters.messageType),
				sendingNumberId: null,
				sourceNumber: `+${suporte.number}`,
				note: expect.stringContaining('that is not delivery'),
				manualRunNotice: expect.stringContaining('sent a real WhatsApp message'),
			});
			expect(Object.keys(items[0].json).sort()).toEqual(SEND_OUTPUT_KEYS);
		},
	);

	test('text with buttons, header and footer; button IDs default to button_1…', async () => {
		const { error } = await send({
			textOptions: {
				buttons: { button: [{ text: 'Sim', id: 'yes' }, { text: 'Não' }] },
				header: 'Pedido 123',
				footer: 'Loja Centro',
			},
		});
		expect(error).toBeUndefined();
		expect((await sendRequests())[0].body).toMatchObject({
			buttons: [
				{ id: 'yes', text: 'Sim' },
				{ id: 'button_2', text: 'Não' },
			],
			header: 'Pedido 123',
			footer: 'Loja Centro',
		});
		expect((await sandbox.messages())[0].buttons).toHaveLength(2);
	});

	test('a template by name; an audio voice note from a URL goes without caption', async () => {
		await send({ messageType: 'template', templateId: byId('boas_vindas') });
		await send({
			messageType: 'media',
			mediaType: 'audio',
			mediaSource: 'url',
			mediaUrl: 'https://example.com/voz.ogg',
			caption: 'ignored for voice notes',
		});
		const [template, audio] = (await sendRequests()).map((request) => request.body);
		expect(template).toEqual({
			destinationNumber: CUSTOMER,
			templateId: 'boas_vindas',
			variables: {},
		});
		expect(audio).toEqual({
			destinationNumber: CUSTOMER,
			media: 'https://example.com/voz.ogg',
			mediaType: 'audio',
		});
		expect((await sandbox.messages()).map((message) => message.mode)).toEqual([
			'template',
			'media',
		]);
	});

	test('Deliver At schedules it and Labels tag the contact', async () => {
		const deliverAt = LATER();
		const { items } = await send({ options: { deliverAt, labels: 'vip, onboarding, vip' } });
		expect((await sendRequests())[0].body).toMatchObject({
			deliverAt,
			labels: ['vip', 'onboarding'],
		});
		expect(items[0].json.deliverAt).toBe(deliverAt);
		expect((await sandbox.messages())[0].deliverAt).toBe(deliverAt);
	});

	test('each input item sends its own message, in order', async () => {
		const { items } = await send(
			{ recipientPhoneNumber: '={{ $json.phone }}', text: '={{ "Oi " + $json.name }}' },
			{
				items: [
					{ json: { phone: '11 97777-0001', name: 'Ana' } },
					{ json: { phone: '+55 21 97777-0002', name: 'Bia' } },
				],
			},
		);
		expect(items.map((item) => item.json.destination)).toEqual([
			'+5511977770001',
			'+5521977770002',
		]);
		expect((await sandbox.messages()).map((message) => message.text)).toEqual(['Oi Ana', 'Oi Bia']);
	});
});

describe('Message → Send: media from an n8n binary field', () => {
	test('an image file goes as a data URI with its MIME type', async () => {
		const { items, error } = await send(
			{ messageType: 'media', mediaType: 'image', mediaSource: 'binary', caption: 'Foto' },
			{ items: withFile(PNG, 'image/png', 'foto.png') },
		);
		expect(error).toBeUndefined();
		expect((await sendRequests())[0].body).toEqual({
			destinationNumber: CUSTOMER,
			media: `data:image/png;base64,${PNG}`,
			mediaType: 'image',
			caption: 'Foto',
		});
		const [message] = await sandbox.messages();
		expect(message).toMatchObject({
			mediaIsBase64: true,
			mediaBytes: Buffer.from(PNG, 'base64').length,
		});
		expect(items[0].json.messageType).toBe('media');
	});

	test('a PDF from a named binary field as a document', async () => {
		const pdf = Buffer.from('%PDF-1.4 test').toString('base64');
		await send(
			{
				messageType: 'media',
				mediaType: 'document',
				mediaSource: 'binary',
				mediaBinaryField: 'invoice',
			},
			{
				items: [
					{
						json: {},
						binary: { invoice: { data: pdf, mimeType: 'application/pdf', fileName: 'nf.pdf' } },
					},
				],
			},
		);
		expect((await sendRequests())[0].body?.media).toBe(`data:application/pdf;base64,${pdf}`);
	});
});

describe('Message → Send: which key sends', () => {
	test('a number-scoped key: nothing more is needed; the message goes from its number', async () => {
		const { items } = await send({});
		const [message] = await sandbox.messages();
		expect(message).toMatchObject({ numberId: suporte.id, keyScope: 'number' });
		expect(items[0].json.sendingNumberId).toBeNull();
	});

	test('the tenant key with a Sending Number, where the service allows it (x-whatsapp-number-id)', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const { items, error } = await send(
			{ sendingNumberId: fromList(vendas.id) },
			{ credential: tenantKey() },
		);
		expect(error).toBeUndefined();
		const [message] = await sandbox.messages();
		expect(message).toMatchObject({ numberId: vendas.id, keyScope: 'tenant' });
		expect(items[0].json.sendingNumberId).toBe(vendas.id);
	});

	test('the tenant key without a Sending Number: the error says to pick one or use the number’s key', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const { error } = await send({}, { credential: tenantKey() });
		expect(error?.message).toBe(
			'This needs a number-scoped API key or a Sending Number, but the credential holds the tenant key and no Sending Number was picked (403 TENANT_SCOPE_NOT_ALLOWED). Nothing was sent.',
		);
		expect(error?.description).toContain('Pick the Sending Number');
		expect(error?.description).toContain(
			'API Key → Get Many (with Reveal Keys) or API Key → Regenerate',
		);
		expect(await sandbox.messages()).toEqual([]);
	});

	test('the tenant key with a Sending Number where the service refuses that reading: use that number’s key', async () => {
		await sandbox.variants({ messageKeyScope: 'numberKey' });
		const { error } = await send(
			{ sendingNumberId: byId(suporte.id) },
			{ credential: tenantKey() },
		);
		expect(error?.message).toBe(
			`Pilot Status does not let the tenant key act for the Sending Number "${suporte.id}" (403 TENANT_SCOPE_NOT_ALLOWED). Nothing was sent.`,
		);
		expect(error?.description).toContain('Use a credential holding that number’s own key');
		expect(JSON.stringify(error)).not.toContain(NUMBER_KEY);
		expect(await sandbox.messages()).toEqual([]);
	});

	test('the template list is the sending number’s, for either key', async () => {
		const withNumberKey = await listSearch({
			method: 'searchTemplates',
			credential: numberKey(),
		});
		expect(withNumberKey.results.map((result) => result.name)).toEqual([
			'boas_vindas (MARKETING)',
			'confirmacao_pedido (UTILITY)',
			'promo_cupom (MARKETING)',
		]);
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader', templateListShape: 'wrapped' });
		await sandbox.configureNumber(vendas.id, { provider: 'META' });
		const withTenantKey = await listSearch({
			method: 'searchTemplates',
			credential: tenantKey(),
			parameters: {
				resource: 'message',
				operation: 'send',
				messageType: 'template',
				sendingNumberId: fromList(vendas.id),
			},
			filter: 'o',
		});
		// Sendable templates first; a Meta template awaiting approval says why it cannot send.
		expect(withTenantKey.results).toEqual([
			{
				name: 'boas_vindas (MARKETING, pt_BR)',
				value: `tpl_${vendas.id.replace(/^num_/, '')}_boasvindas`,
			},
			{
				name: 'confirmacao_pedido (UTILITY, pt_BR)',
				value: `tpl_${vendas.id.replace(/^num_/, '')}_pedido`,
			},
			{
				name: 'promo_cupom (MARKETING, pt_BR) — not sendable (PENDING)',
				value: `tpl_${vendas.id.replace(/^num_/, '')}_promo`,
			},
		]);
	});
});

test('the template list with a mapped Sending Number lists nothing and says how to pick one', async () => {
	const listing = listSearch({
		method: 'searchTemplates',
		credential: tenantKey(),
		parameters: {
			resource: 'message',
			operation: 'send',
			messageType: 'template',
			sendingNumberId: byId('={{ $json.numberId }}'),
		},
	});
	await expect(listing).rejects.toThrow(
		'The Sending Number is an expression, which has no value while you edit. Pick the Sending Number From List or enter its ID to list its templates.',
	);
	record('badInputs');
	expect(await sandbox.requests()).toEqual([]);
});

describe('Message → Send: bad input fails before anything is sent', () => {
	const bigImage = Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64');
	const media = { messageType: 'media', mediaSource: 'binary', mediaType: 'image' };
	const cases: Array<[string, IDataObject, RegExp, INodeExecutionData[]?]> = [
		// Expressions that come out empty: n8n itself refuses a required field left empty.
		['an empty phone number', { recipientPhoneNumber: '={{ "" }}' }, /^Phone Number is empty/],
		[
			'a phone that is not one',
			{ recipientPhoneNumber: 'Ana' },
			/^Phone Number "Ana" is not a phone number/,
		],
		[
			'a number that fits no country',
			{ recipientPhoneNumber: '+1 212 555 0100 9' },
			/is not a valid phone number/,
		],
		[
			'a group ID without @g.us',
			{ sendTo: 'group', groupId: '120363012345678901' },
			/^Group ID "120363012345678901" is not a WhatsApp group id/,
		],
		['an empty channel', { sendTo: 'channel', channelId: '={{ "" }}' }, /^Channel ID is empty/],
		['an empty text', { text: '   ' }, /^Text is empty/],
		['a text too long', { text: 'a'.repeat(4097) }, /WhatsApp takes up to 4096/],
		[
			'four buttons',
			{ textOptions: { buttons: { button: [1, 2, 3, 4].map((n) => ({ text: `B${n}` })) } } },
			/Buttons has 4 buttons; WhatsApp messages take up to 3/,
		],
		[
			'a footer without buttons',
			{ textOptions: { footer: 'Loja' } },
			/Header and Footer go only with buttons/,
		],
		[
			'no template',
			{ messageType: 'template', templateId: byId('={{ $json.template ?? "" }}') },
			/^Template is empty/,
		],
		[
			'a variable given twice',
			{
				messageType: 'template',
				templateId: byId('boas_vindas'),
				variables: {
					variable: [
						{ name: 'nome', value: 'A' },
						{ name: 'nome', value: 'B' },
					],
				},
			},
			/Variable "nome" is given twice/,
		],
		[
			'a media URL that is not http(s)',
			{ messageType: 'media', mediaSource: 'url', mediaUrl: 'ftp://example.com/a.jpg' },
			/^Media URL "ftp:\/\/example.com\/a.jpg" is not a public http\(s\) address/,
		],
		[
			'a binary field that does not exist',
			{ ...media, mediaBinaryField: 'foto' },
			/^The input item has no binary field "foto"/,
			withFile(PNG, 'image/png', 'a.png'),
		],
		[
			'a file too large',
			media,
			/^The file in "data" is 5 MB; a file sent from n8n as Image may be up to 5 MB .* choose Media Source → URL/,
			withFile(bigImage, 'image/png', 'big.png'),
		],
		[
			'a file of another type',
			media,
			/^The file in "data" is application\/pdf, not image/,
			withFile(PNG, 'application/pdf', 'a.pdf'),
		],
		[
			'a Deliver At in the past',
			{ options: { deliverAt: '2020-01-01T10:00:00Z' } },
			/^Deliver At 2020-01-01T10:00:00.000Z is in the past/,
		],
		[
			'a Deliver At that is no date',
			{ options: { deliverAt: 'amanhã' } },
			/^Deliver At "amanhã" is not a date/,
		],
		[
			'a phone number as Sending Number',
			{ sendingNumberId: byId('5511999999999') },
			/^Sending Number "5511999999999" looks like a phone number/,
		],
	];

	// Every row as long as the test's parameters: jest hands a shorter row a `done` callback.
	const rows = cases.map(
		([name, parameters, message, items]) => [name, parameters, message, items ?? null] as const,
	);
	test.each(rows)('%s', async (_name, parameters, message, items) => {
		const { error } = await send(parameters, { items: items ?? undefined });
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/Nothing was sent\.$/);
		expect(await sendRequests()).toEqual([]);
	});

	const KEY = 'ps_example_live_0123456789abcdef';
	const KEY_ID = 'key_example_01HZX9K3';
	const withButton = (button: IDataObject, extra: IDataObject = {}) => ({
		textOptions: { buttons: { button: [button] }, ...extra },
	});
	const keyFields: Array<[string, (key: string) => IDataObject, RegExp]> = [
		['Text', (key) => ({ text: `Seu código: ${key}` }), /^Text holds/],
		['Header', (key) => withButton({ text: 'Sim' }, { header: key }), /^Header holds/],
		['Footer', (key) => withButton({ text: 'Sim' }, { footer: `by ${key}` }), /^Footer holds/],
		['a button’s text', (key) => withButton({ text: key }), /^Button 1 holds/],
		['a button’s ID', (key) => withButton({ text: 'Sim', id: key }), /^Button 1’s ID holds/],
		[
			'a template variable’s value',
			(key) => ({
				messageType: 'template',
				templateId: byId('boas_vindas'),
				variables: { variable: [{ name: 'nome', value: key }] },
			}),
			/^The value of variable "nome" holds/,
		],
		[
			'Caption',
			(key) => ({
				messageType: 'media',
				mediaSource: 'url',
				mediaUrl: 'https://example.com/a.jpg',
				caption: key,
			}),
			/^Caption holds/,
		],
		['Labels', (key) => ({ options: { labels: `vip, ${key}` } }), /^Labels holds/],
	];
	const keyRows = keyFields.flatMap(([field, parameters, message]) => [
		[field, 'an API key', parameters(KEY), message, KEY] as const,
		[field, 'a key ID', parameters(KEY_ID), message, KEY_ID] as const,
	]);
	test.each(keyRows)(
		'%s holding %s is refused before sending, the value never quoted',
		async (_field, _what, parameters, message, secret) => {
			const { error } = await send(parameters);
			record('badInputs');
			record('secretChecks');
			expect(error?.message).toMatch(message);
			expect(error?.message).toMatch(/looks like an API key or key ID; the value is not repeated/);
			expect(error?.message).toMatch(/Nothing was sent\.$/);
			// The node's own parameters travel with any n8n error; what the node says must not quote it.
			expect(`${error?.message} ${error?.description}`).not.toContain(secret);
			expect(await sendRequests()).toEqual([]);
		},
	);

	test('every bad field of an item is named in one error', async () => {
		const { error } = await send({ recipientPhoneNumber: 'x', text: '  ' });
		record('badInputs');
		expect(error?.message).toMatch(/^2 fields need a fix: Phone Number "x" .* Text is empty/);
	});
});

describe('Message → Send: the service’s refusals, each with its fix', () => {
	test.each<[string, () => Promise<unknown>, IDataObject, RegExp, RegExp]>([
		[
			'402 media without a paid plan',
			() => sandbox.settings({ plan: 'free' }),
			{ messageType: 'media', mediaSource: 'url', mediaUrl: 'https://example.com/a.jpg' },
			/^Media messages need an active paid Pilot Status subscription \(402 SUBSCRIPTION_REQUIRED_FOR_MEDIA\)\. Nothing was sent\.$/,
			/Subscribe in the Pilot Status dashboard/,
		],
		[
			'missing template variables',
			async () => undefined,
			{ messageType: 'template', templateId: byId('confirmacao_pedido') },
			/^The template needs variables this message did not give \(400 MISSING_TEMPLATE_VARIABLES\): Missing template variables: nome, pedido\. Nothing was sent\.$/,
			/Under Variables, add every variable/,
		],
		[
			'a template the number does not have',
			async () => undefined,
			{ messageType: 'template', templateId: byId('nao_existe') },
			/^The sending number has no such template \(404 TEMPLATE_NOT_FOUND\)\. Nothing was sent\.$/,
			/Pick the template From List/,
		],
		[
			'a group from a Meta number',
			() => sandbox.configureNumber(suporte.id, { provider: 'META' }),
			{ sendTo: 'group', groupId: GROUP },
			/^The sending number is a Meta .* \(400 NOT_SUPPORTED_FOR_META\)\. Nothing was sent\.$/,
			/Send To a phone number/,
		],
		[
			'a group from a Meta number that is no eligible Official Business Account',
			async () => {
				await sandbox.variants({ metaGroups: 'obaEligible' });
				await sandbox.configureNumber(suporte.id, { provider: 'META' });
			},
			{ sendTo: 'group', groupId: GROUP },
			/\(400 META_GROUPS_NOT_ELIGIBLE\): only approved Official Business Accounts/,
			/Send To a phone number/,
		],
		[
			'a base64 file to a number that takes URLs only (told by the service’s text, no code)',
			() => sandbox.variants({ base64Media: 'urlOnly' }),
			{ messageType: 'media', mediaType: 'image', mediaSource: 'binary' },
			/^The sending number’s WhatsApp provider takes media only from a URL, not a file sent with the message \(400\): .*by URL only.*Nothing was sent\.$/,
			/choose Media Source → URL/,
		],
		[
			'a 400 that says nothing of base64 or URLs is not read as a base64 refusal',
			() =>
				sandbox.fault({
					type: 'status',
					status: 400,
					body: { error: 'Invalid caption', code: 'VALIDATION_ERROR' },
					path: '/v1/messages/send',
				}),
			{ messageType: 'media', mediaType: 'image', mediaSource: 'binary' },
			/^Pilot Status rejected the message \(400 VALIDATION_ERROR\): Invalid caption\. Nothing was sent\.$/,
			/Check the fields of this node/,
		],
		[
			'429 rate limiting that outlasts the Timeout (shorter 429s are waited out)',
			() => sandbox.fault({ type: 'status', status: 429, path: '/v1/messages/send', share: 1 }),
			{ requestOptions: { timeout: 1500 } },
			/^Pilot Status is rate limiting requests \(429 Too Many Requests\)\. Nothing was changed\./,
			/Retry On Fail .* is safe|a refused message was not sent/,
		],
	])('%s', async (_name, prepare, parameters, message, fix) => {
		await prepare();
		const { error } = await send(parameters, { items: withFile(PNG, 'image/png', 'a.png') });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(fix);
		expect(await sandbox.messages()).toEqual([]);
	});

	test('409 WHATSAPP_INSTANCE_NOT_CONNECTED from a disconnected number', async () => {
		await sandbox.variants({ sendWhenDisconnected: 'reject' });
		const { error } = await send(
			{},
			{ credential: sandbox.credential({ apiKey: vendas.key.value }) },
		);
		expect(error?.message).toBe(
			'The sending number is not connected to WhatsApp (409 WHATSAPP_INSTANCE_NOT_CONNECTED). Nothing was sent.',
		);
		expect(error?.description).toContain('Number → Connect');
	});
});

describe('Message → Send is sent once, also under Retry On Fail', () => {
	const retries = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };
	const MAY_HAVE_GONE =
		/The message may or may not have gone out, so the node does not send it again \(also not under Retry On Fail\)\. Without Pilot Status’s answer there is no message ID to look up: before sending it again, check the Pilot Status Trigger’s message\.sent events or the message logs in the Pilot Status dashboard\.$/;

	test.each<[string, Fault]>([
		['a server error after it was queued', { type: 'status', status: 503, afterHandling: true }],
		['a connection dropped after it was queued', { type: 'reset', afterHandling: true }],
		['an unreadable answer', { type: 'html', status: 200, afterHandling: true }],
		['an answer slower than the timeout', { type: 'slow', delayMs: 1500, afterHandling: true }],
	])(
		'%s: the error says it may have gone out; the sandbox recorded exactly one',
		async (_name, fault) => {
			await sandbox.fault({ ...fault, method: 'POST', path: '/v1/messages/send', count: 1 });
			const { error } = await send({ requestOptions: { timeout: 500 } }, { settings: retries });
			record('sideEffects');
			expect(error?.message).toMatch(MAY_HAVE_GONE);
			expect(await sendRequests()).toHaveLength(1);
			expect(await sandbox.messages()).toHaveLength(1);
		},
	);

	test.each<[string, IDataObject]>([
		['an empty object', {}],
		['the id wrapped beside another field', { ok: true, message: { id: 'msg_01HZX9K3' } }],
	])(
		'a 2xx answer without a usable id (%s) fails as unreadable, may have gone out, sent once',
		async (_name, body) => {
			await sandbox.fault(faultAfterSend({ status: 200, body, count: 3 }));
			const { items, error } = await send({}, { settings: retries });
			record('faults');
			record('sideEffects');
			expect(items).toEqual([]);
			expect(error?.message).toMatch(
				/^Pilot Status sent a response the node cannot read \(JSON without the message’s id\)\. /,
			);
			expect(error?.message).toMatch(MAY_HAVE_GONE);
			expect(await sendRequests()).toHaveLength(1);
			expect(await sandbox.messages()).toHaveLength(1);
		},
	);

	test('an answer cut off on the way back: one send, one message', async () => {
		const proxy = await startCutOffProxy({ upstream: sandbox.url });
		try {
			const { error } = await send(
				{},
				{
					credential: sandbox.credential({ apiKey: NUMBER_KEY, baseUrl: proxy.url }),
					settings: retries,
				},
			);
			record('cutOff');
			record('sideEffects');
			expect(error?.message).toMatch(/cut off/);
			expect(error?.message).toMatch(MAY_HAVE_GONE);
			expect(proxy.received.filter((request) => request.method === 'POST')).toHaveLength(1);
			expect(await sandbox.messages()).toHaveLength(1);
		} finally {
			await proxy.stop();
		}
	});

	test('3 items, the second’s answer lost: the others are sent once each, that one not again', async () => {
		await sandbox.fault(faultAfterSend({ skip: 1, count: 1 }));
		const { items } = await send(
			{ recipientPhoneNumber: '={{ $json.phone }}' },
			{
				items: [1, 2, 3].map((n) => ({ json: { phone: `1197777000${n}` } })),
				settings: { ...retries, onError: 'continueRegularOutput' },
			},
		);
		record('sideEffects');
		expect(items.map((item) => (item.json.error ? 'error' : item.json.status))).toEqual([
			'QUEUED',
			'error',
			'QUEUED',
		]);
		expect(String(items[1].json.error)).toMatch(MAY_HAVE_GONE);
		expect(await sendRequests()).toHaveLength(3);
		expect(await sandbox.messages()).toHaveLength(3);
	});

	test('a 429 is a refusal: Retry On Fail sends it again, and it goes out once', async () => {
		await sandbox.fault({
			type: 'status',
			status: 429,
			method: 'POST',
			path: '/v1/messages/send',
			count: 1,
		});
		// A Timeout shorter than the node's own wait after a 429 (rateLimits.test.ts): the first try fails.
		const { items, error } = await send(
			{ requestOptions: { timeout: 800 } },
			{ settings: { ...retries, maxTries: 2 } },
		);
		record('sideEffects');
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('QUEUED');
		expect(await sendRequests()).toHaveLength(2);
		expect(await sandbox.messages()).toHaveLength(1);
	});
});

describe('Message → Get', () => {
	const STATUS_KEYS = [
		'correlationId',
		'createdAt',
		'deliveredAt',
		'destinationNumber',
		'errorMessage',
		'externalMessageId',
		'id',
		'readAt',
		'sentAt',
		'status',
		'template',
	];

	async function sentMessage() {
		await sandbox.settings({ messageStepMs: null });
		const { body } = await sandbox.api('POST', '/v1/messages/send', {
			key: NUMBER_KEY,
			body: { destinationNumber: CUSTOMER, templateId: 'boas_vindas' },
		});
		return body;
	}

	test.each(['md', 'rendered'] as const)(
		'the %s status shape gives the same output, by id or by correlation ID',
		async (messageStatusShape) => {
			await sandbox.variants({ messageStatusShape });
			const sent = await sentMessage();
			await sandbox.messageStatus(String(sent.id), 'DELIVERED');
			for (const reference of [sent.id, sent.correlationId]) {
				const { items, error } = await run({ operation: 'get', messageId: reference });
				expect(error).toBeUndefined();
				expect(Object.keys(items[0].json).sort()).toEqual(STATUS_KEYS);
				expect(items[0].json).toMatchObject({
					id: sent.id,
					correlationId: sent.correlationId,
					status: 'DELIVERED',
					destinationNumber: CUSTOMER,
					template: 'boas_vindas',
					readAt: null,
					errorMessage: null,
				});
				if (messageStatusShape === 'rendered') expect(items[0].json.deliveredAt).toBeNull();
			}
		},
	);

	test('by default the id of the previous step (Send’s output); FAILED says why', async () => {
		const sent = await sentMessage();
		await sandbox.messageStatus(String(sent.id), 'FAILED', 'WHATSAPP_NOT_EXIST');
		const { items } = await run({ operation: 'get' }, { items: [{ json: { id: sent.id } }] });
		expect(items[0].json).toMatchObject({ status: 'FAILED', errorMessage: 'WHATSAPP_NOT_EXIST' });
	});

	test('with the tenant key and the Sending Number', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const sent = await sentMessage();
		const { items } = await run(
			{ operation: 'get', messageId: sent.id, sendingNumberId: fromList(suporte.id) },
			{ credential: tenantKey() },
		);
		expect(items[0].json.status).toBe('QUEUED');
	});

	test('an unknown message: 404 with what to map; a key-shaped ID is refused unsent', async () => {
		const missing = await run({ operation: 'get', messageId: 'msg_nao_existe' });
		expect(missing.error?.message).toBe(
			'There is no message "msg_nao_existe" that this key can see (404). Nothing was changed.',
		);
		const keyShaped = await run({ operation: 'get', messageId: NUMBER_KEY });
		record('badInputs');
		expect(keyShaped.error?.message).toMatch(/holds what looks like an API key/);
		expect(keyShaped.error?.message).not.toContain(NUMBER_KEY);
		expect((await sandbox.requests()).map((request) => request.path)).toEqual([
			'/v1/messages/msg_nao_existe',
		]);
	});
});

describe('Message → Cancel', () => {
	async function scheduled(count: number): Promise<string[]> {
		const ids: string[] = [];
		for (let n = 0; n < count; n++) {
			const { body } = await sandbox.api('POST', '/v1/messages/send', {
				key: NUMBER_KEY,
				body: { destinationNumber: CUSTOMER, text: `Lembrete ${n}`, deliverAt: LATER() },
			});
			ids.push(String(body.id));
		}
		await sandbox.control('DELETE', '/requests');
		return ids;
	}

	test('lists: which were cancelled and which not, with why', async () => {
		const [first, second] = await scheduled(2);
		const { items, error } = await run({
			operation: 'cancel',
			messageIds: `${first}, ${second}\nmsg_nao_existe`,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			requested: 3,
			cancelled: 2,
			notCancelled: 1,
			cancelledIds: [first, second],
			notCancelledIds: [{ id: 'msg_nao_existe', reason: 'Message not found' }],
			calls: 1,
		});
		expect((await sandbox.messages()).map((message) => message.status)).toEqual([
			'CANCELED',
			'CANCELED',
		]);
	});

	test('counts: the same fields, without the lists; a mapped list works too', async () => {
		await sandbox.variants({ cancelShape: 'counts' });
		const ids = await scheduled(2);
		const { items } = await run(
			{ operation: 'cancel', messageIds: '={{ $json.ids }}' },
			{ items: [{ json: { ids: [...ids, 'msg_nao_existe'] } }] },
		);
		expect(items[0].json).toEqual({
			requested: 3,
			cancelled: 2,
			notCancelled: 1,
			cancelledIds: null,
			notCancelledIds: null,
			calls: 1,
		});
	});

	test('250 IDs go in 3 calls of at most 100', async () => {
		const real = await scheduled(3);
		const ids = [...real, ...Array.from({ length: 247 }, (_, n) => `msg_fake_${n}`)];
		const { items } = await run({ operation: 'cancel', messageIds: ids.join(',') });
		const calls = (await sandbox.requests()).filter((request) => request.method === 'DELETE');
		expect(calls.map((call) => (call.body?.messageIds as string[]).length)).toEqual([100, 100, 50]);
		expect(calls.flatMap((call) => call.body?.messageIds as string[])).toEqual(ids);
		expect(items[0].json).toMatchObject({
			requested: 250,
			cancelled: 3,
			notCancelled: 247,
			calls: 3,
		});
	});

	test('an empty list is refused before anything is sent', async () => {
		const { error } = await run({ operation: 'cancel', messageIds: ' , ' });
		record('badInputs');
		expect(error?.message).toMatch(/^Message IDs is empty/);
		expect(await sandbox.requests()).toEqual([]);
	});
});

describe('Message → Send as an AI tool', () => {
	test('says it really sends; the model fills only the phone number and the text', async () => {
		const { items, error } = await run(
			{
				operation: 'send',
				sendTo: 'phone',
				messageType: 'text',
				toolRecipientPhoneNumber: '+55 11 97777-6666',
				toolMessageText: 'Seu pedido saiu para entrega.',
			},
			{ type: `${NODE_TYPE}Tool` },
		);
		expect(error).toBeUndefined();
		expect((await sendRequests())[0].body).toEqual({
			destinationNumber: CUSTOMER,
			text: 'Seu pedido saiu para entrega.',
		});
		expect(items[0].json.status).toBe('QUEUED');
	});
});
