import type { IDataObject } from 'n8n-workflow';

import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';

// The sandbox plays the rest of a number's API (shared/messaging-api.md §3, §5, §7, §9): template
// changes, Check Number, channels and analytics; its contract is tested here on its own, over HTTP.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;

const call = (
	method: string,
	path: string,
	body?: unknown,
	options: { key?: string; headers?: Record<string, string> } = {},
) => sandbox.api(method, path, { key: NUMBER_KEY, body, ...options });

const template = (overrides: IDataObject = {}) => ({
	name: 'Aviso Entrega',
	category: 'UTILITY',
	language: 'pt_BR',
	body: { body: 'Olá {{nome}}, pedido {{pedido}} enviado.' },
	examples: { nome: 'Ana', pedido: '1' },
	...overrides,
});

describe('templates: POST, PUT, DELETE /v1/templates', () => {
	test('POST answers the documented short body; the name’s separators become _', async () => {
		const { status, body } = await call('POST', '/v1/templates', template());
		expect(status).toBe(201);
		expect(body).toEqual({
			id: expect.stringMatching(/^tpl_/),
			name: 'Aviso_Entrega',
			category: 'UTILITY',
			metaStatus: null,
		});
		const listed = await call('GET', `/v1/templates/${body.id as string}`);
		expect(listed.body).toMatchObject({ name: 'Aviso_Entrega', variables: ['nome', 'pedido'] });
	});

	test('the body may be the object, the same JSON as a string, or plain text', async () => {
		for (const [name, body] of [
			['as_string', JSON.stringify({ body: 'Oi {{nome}}, tudo bem?' })],
			['as_text', 'Oi {{nome}}, tudo bem?'],
		]) {
			const answer = await call(
				'POST',
				'/v1/templates',
				template({ name, body, examples: { nome: 'Ana' } }),
			);
			expect(answer.status).toBe(201);
		}
	});

	test('a variable without an example: 400 TEMPLATE_EXAMPLES_REQUIRED with details.missing', async () => {
		const { status, body } = await call(
			'POST',
			'/v1/templates',
			template({
				body: {
					header: { type: 'TEXT', text: 'Pedido {{pedido}}' },
					body: 'Oi {{nome}}, veja.',
					buttons: [{ type: 'URL', text: 'Ver', url: 'https://e.com/{{codigo}}' }],
				},
				examples: { nome: 'Ana' },
			}),
		);
		expect(status).toBe(400);
		expect(body).toMatchObject({
			code: 'TEMPLATE_EXAMPLES_REQUIRED',
			details: { missing: ['pedido', 'codigo'] },
		});
	});

	test.each<[string, IDataObject]>([
		['an unknown category', { category: 'PROMO' }],
		['no language', { language: '' }],
		[
			'a body ending with a variable',
			{ body: 'Seu código: {{codigo}}', examples: { codigo: '1' } },
		],
		['a body over 1024 characters', { body: 'a'.repeat(1025), examples: {} }],
		['a footer with a variable', { body: { body: 'Oi.', footer: '{{x}}' }, examples: {} }],
		['a text header of 61 characters', { body: { body: 'Oi.', header: { text: 'h'.repeat(61) } } }],
		[
			'a media header without url or data URI',
			{ body: { body: 'Oi.', header: { type: 'IMAGE' } } },
		],
		[
			'three URL buttons',
			{
				body: {
					body: 'Oi.',
					buttons: [1, 2, 3].map(() => ({ type: 'URL', text: 'L', url: 'https://e.com' })),
				},
			},
		],
		[
			'a copy code of 16 characters',
			{ body: { body: 'Oi.', buttons: [{ type: 'COPY_CODE', example: ['A'.repeat(16)] }] } },
		],
	])('%s: 400 VALIDATION_ERROR', async (_name, overrides) => {
		const { status, body } = await call('POST', '/v1/templates', template(overrides));
		expect(status).toBe(400);
		expect(body.code).toBe('VALIDATION_ERROR');
	});

	test('a name in use: 409; a data URI header is re-hosted; Meta numbers get PENDING', async () => {
		expect((await call('POST', '/v1/templates', template({ name: 'boas_vindas' }))).status).toBe(
			409,
		);
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const { body } = await call(
			'POST',
			'/v1/templates',
			template({
				body: {
					header: { type: 'IMAGE', base64: 'data:image/png;base64,iVBORw0KGgo=' },
					body: 'Oi {{nome}}, veja.',
				},
				examples: { nome: 'Ana' },
			}),
		);
		expect(body.metaStatus).toBe('PENDING');
		const stored = await call('GET', `/v1/templates/${body.id as string}`);
		expect(stored.body).toMatchObject({
			sendable: false,
			header: { type: 'IMAGE', url: expect.stringMatching(/^https:\/\//) },
		});
	});

	test('PUT replaces the content, keeps name and category; DELETE removes; 404 after', async () => {
		const id = `tpl_${suporte.id.replace(/^num_/, '')}_pedido`;
		const changed = await call('PUT', `/v1/templates/${id}`, {
			body: { body: 'Oi {{nome}}, confirmado.' },
			examples: { nome: 'Ana' },
		});
		expect(changed.body).toMatchObject({
			id,
			body: 'Oi {{nome}}, confirmado.',
			variables: ['nome'],
		});
		expect(
			(await call('PUT', `/v1/templates/${id}`, { category: 'MARKETING', body: 'Oi.' })).status,
		).toBe(400);
		expect((await call('DELETE', `/v1/templates/${id}`)).body).toEqual({ id, deleted: true });
		expect((await call('DELETE', `/v1/templates/${id}`)).body.code).toBe('TEMPLATE_NOT_FOUND');
	});

	test('number-scoped: the tenant key needs the number in x-whatsapp-number-id (and the variant)', async () => {
		expect(
			(await call('POST', '/v1/templates', template(), { key: SEED.tenantKey.value })).body.code,
		).toBe('TENANT_SCOPE_NOT_ALLOWED');
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const { status } = await call('POST', '/v1/templates', template(), {
			key: SEED.tenantKey.value,
			headers: { 'x-whatsapp-number-id': vendas.id },
		});
		expect(status).toBe(201);
	});
});

describe('POST /v1/numbers/check', () => {
	const checkNumbers = (body: unknown, options = {}) =>
		call('POST', '/v1/numbers/check', body, options);

	test('numbers or number; Brazilian mobiles with and without the ninth digit; notOnWhatsApp', async () => {
		const { status, body } = await checkNumbers({
			numbers: ['+5511977776666', '5531988887777', '+5511900000000'],
		});
		expect(status).toBe(200);
		expect(body.results).toEqual([
			{ input: '+5511977776666', exists: true, number: '5511977776666', name: 'Ana Souza' },
			{ input: '5531988887777', exists: true, number: '553188887777', name: 'Carlos Lima' },
			{ input: '+5511900000000', exists: false, number: null, name: null },
		]);
		expect((await checkNumbers({ number: '+5511977776666' })).body.results).toHaveLength(1);
	});

	test.each<[string, unknown]>([
		['no numbers', {}],
		['21 numbers', { numbers: Array.from({ length: 21 }, () => '+5511977776666') }],
		['a word', { numbers: ['abc'] }],
	])('%s: 400 VALIDATION_ERROR', async (_name, body) => {
		const answer = await checkNumbers(body);
		expect(answer.status).toBe(400);
		expect(answer.body.code).toBe('VALIDATION_ERROR');
	});

	test('Meta numbers: 400 NOT_SUPPORTED_FOR_META; a number not OPEN: 409', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const closed = await checkNumbers(
			{ number: '+5511977776666' },
			{ key: SEED.tenantKey.value, headers: { 'x-whatsapp-number-id': vendas.id } },
		);
		expect([closed.status, closed.body.code]).toEqual([409, 'WHATSAPP_INSTANCE_NOT_CONNECTED']);
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const meta = await checkNumbers({ number: '+5511977776666' });
		expect([meta.status, meta.body.code]).toEqual([400, 'NOT_SUPPORTED_FOR_META']);
	});
});

describe('GET /v1/newsletters and GET /v1/analytics/dashboard', () => {
	test('newsletters: the number’s channels, wrapped; none on Meta numbers', async () => {
		const { body } = await call('GET', '/v1/newsletters');
		expect(body.newsletters).toEqual([
			expect.objectContaining({ id: '120363012345678901@newsletter', name: 'Novidades' }),
			expect.objectContaining({ id: '120363098765432109@newsletter', name: 'Ofertas' }),
		]);
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		expect((await call('GET', '/v1/newsletters')).body.code).toBe('NOT_SUPPORTED_FOR_META');
	});

	test('dashboard: the documented figures from the number’s messages; tz or timezone', async () => {
		await call('POST', '/v1/messages/send', { destinationNumber: '+5511977776666', text: 'Oi' });
		const { body } = await call('GET', '/v1/analytics/dashboard?period=30d&timezone=UTC');
		expect(body).toEqual({
			totalSent: expect.any(Number),
			totalFailed: 0,
			sentPercentChange: 0,
			failedPercentChange: 0,
			failureRate: 0,
			dailyMessages: [{ date: new Date().toISOString().slice(0, 10), count: 1 }],
			statusDistribution: {
				queued: expect.any(Number),
				sent: expect.any(Number),
				failed: 0,
				read: expect.any(Number),
			},
		});
	});

	test.each([
		['period=1y', 'VALIDATION_ERROR'],
		['tz=Mars/Olympus', 'VALIDATION_ERROR'],
	])('dashboard with %s: 400', async (query, code) => {
		const answer = await call('GET', `/v1/analytics/dashboard?${query}`);
		expect([answer.status, answer.body.code]).toEqual([400, code]);
	});

	test('number-scoped: the tenant key without the header gets 403', async () => {
		for (const path of ['/v1/newsletters', '/v1/analytics/dashboard']) {
			const answer = await call('GET', path, undefined, { key: SEED.tenantKey.value });
			expect(answer.body.code).toBe('TENANT_SCOPE_NOT_ALLOWED');
		}
	});
});
