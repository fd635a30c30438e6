import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { listSearch, runNode } from './helpers/n8n';
import type { Fault } from './helpers/sandbox';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Template → Get Many, Get, Create, Update and Delete against the sandbox, in n8n's engine.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id });
const PEDIDO = `tpl_${suporte.id.replace(/^num_/, '')}_pedido`;
const PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const retries = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };

const numberKey = () => sandbox.credential({ apiKey: NUMBER_KEY });

async function run(
	parameters: IDataObject,
	options: { credential?: IDataObject; items?: INodeExecutionData[]; settings?: IDataObject } = {},
) {
	return runNode({
		parameters: { resource: 'template', ...parameters },
		credential: (options.credential ?? numberKey()) as never,
		items: options.items,
		settings: options.settings,
	});
}

const requestsTo = async (method: string, prefix = '/v1/templates') =>
	(await sandbox.requests()).filter(
		(request) => request.method === method && request.path.startsWith(prefix),
	);

const examples = (pairs: Record<string, string>) => ({
	example: Object.entries(pairs).map(([name, value]) => ({ name, value })),
});

const newTemplate = {
	operation: 'create',
	templateName: 'aviso_entrega',
	templateCategory: 'UTILITY',
	templateLanguage: 'pt_BR',
	templateBody: 'Olá {{nome}}, seu pedido {{pedido}} saiu para entrega.',
	templateExamples: examples({ nome: 'Ana', pedido: '123' }),
};

const FULL_KEYS = [
	'body',
	'buttons',
	'category',
	'footer',
	'header',
	'id',
	'language',
	'metaStatus',
	'name',
	'sendable',
	'source',
	'variables',
];

describe('Template → Get Many and Get', () => {
	test('Get Many: every template of the key’s number, simplified by default, Limit cuts', async () => {
		const { items, error } = await run({ operation: 'getAll', limit: 2 });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(Object.keys(items[0].json).sort()).toEqual([
			'category',
			'id',
			'language',
			'metaStatus',
			'name',
			'sendable',
		]);
		const all = await run({ operation: 'getAll', returnAll: true, simplifyTemplate: false });
		expect(all.items).toHaveLength(3);
		expect(Object.keys(all.items[0].json).sort()).toEqual(FULL_KEYS);
		expect(all.items.find((item) => item.json.id === PEDIDO)?.json).toMatchObject({
			name: 'confirmacao_pedido',
			variables: ['nome', 'pedido'],
			source: 'PILOT_STATUS',
			sendable: true,
		});
	});

	test('Get Many: both list shapes, and a Meta number’s templates with their language and approval', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader', templateListShape: 'wrapped' });
		await sandbox.configureNumber(vendas.id, { provider: 'META' });
		const { items, error } = await run(
			{ operation: 'getAll', returnAll: true, sendingNumberId: fromList(vendas.id) },
			{ credential: sandbox.credential() },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.name, item.json.metaStatus, item.json.sendable])).toEqual(
			[
				['confirmacao_pedido', 'APPROVED', true],
				['boas_vindas', 'APPROVED', true],
				['promo_cupom', 'PENDING', false],
			],
		);
		expect(items[0].json.language).toBe('pt_BR');
		const [request] = await requestsTo('GET');
		expect(request.scope).toBe('tenant');
	});

	test('the tenant key without Sending Number: the error says to pick it or use the number’s key', async () => {
		const { error } = await run({ operation: 'getAll' }, { credential: sandbox.credential() });
		expect(error?.message).toMatch(
			/needs a number-scoped API key or a Sending Number.*403 TENANT_SCOPE_NOT_ALLOWED/,
		);
		expect(error?.description).toMatch(/Pick the Sending Number/);
	});

	test('Get by name or by ID from the picker; the picker lists the number’s templates', async () => {
		const byName = await run({ operation: 'get', templateRef: byId('confirmacao_pedido') });
		const picked = await run({
			operation: 'get',
			templateRef: fromList(PEDIDO),
			simplifyTemplate: false,
		});
		expect(byName.items[0].json).toMatchObject({ id: PEDIDO, name: 'confirmacao_pedido' });
		expect(picked.items[0].json).toMatchObject({
			id: PEDIDO,
			body: 'Olá {{nome}}, seu pedido {{pedido}} foi confirmado.',
		});
		const { results } = await listSearch({
			method: 'searchTemplates',
			parameters: { resource: 'template', operation: 'get' },
			credential: numberKey(),
		});
		expect(results.map((result) => result.value)).toContain(PEDIDO);
	});

	test('a template the number does not have: 404 explained, nothing changed', async () => {
		const { error } = await run({ operation: 'get', templateRef: byId('nao_existe') });
		expect(error?.message).toBe(
			'The number has no such template (404 TEMPLATE_NOT_FOUND). Nothing was changed.',
		);
		expect(error?.description).toMatch(/Pick the template From List/);
	});
});

describe('Template → Create', () => {
	test('sends the documented body once and outputs the template in Get’s shape', async () => {
		const { items, error } = await run({
			...newTemplate,
			templateExtras: {
				headerType: 'TEXT',
				headerText: 'Pedido {{pedido}}',
				footer: 'Loja Exemplo',
				buttons: {
					button: [
						{ type: 'URL', text: 'Rastrear', url: 'https://example.com/r/{{codigo}}' },
						{ type: 'PHONE_NUMBER', text: 'Ligar', phoneNumber: '+55 11 99999-9999' },
						{ type: 'COPY_CODE', code: 'CUPOM10' },
						{ type: 'QUICK_REPLY', text: 'Obrigado' },
					],
				},
			},
			templateExamples: examples({ nome: 'Ana', pedido: '123', codigo: 'BR123' }),
		});
		expect(error).toBeUndefined();
		const [request] = await requestsTo('POST');
		expect(request.body).toEqual({
			name: 'aviso_entrega',
			category: 'UTILITY',
			language: 'pt_BR',
			body: {
				header: { type: 'TEXT', text: 'Pedido {{pedido}}' },
				body: 'Olá {{nome}}, seu pedido {{pedido}} saiu para entrega.',
				footer: 'Loja Exemplo',
				buttons: [
					{ type: 'URL', text: 'Rastrear', url: 'https://example.com/r/{{codigo}}' },
					{ type: 'PHONE_NUMBER', text: 'Ligar', phone_number: '+5511999999999' },
					{ type: 'COPY_CODE', example: ['CUPOM10'] },
					{ type: 'QUICK_REPLY', text: 'Obrigado' },
				],
			},
			examples: { nome: 'Ana', pedido: '123', codigo: 'BR123' },
		});
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0].json).sort()).toEqual([...FULL_KEYS, 'note'].sort());
		expect(items[0].json).toMatchObject({
			name: 'aviso_entrega',
			metaStatus: null,
			sendable: true,
			variables: ['pedido', 'nome', 'codigo'],
			note: 'The template can be used by Message → Send now.',
		});
		const listed = await run({ operation: 'get', templateRef: byId('aviso_entrega') });
		expect(listed.items[0].json.id).toBe(items[0].json.id);
	});

	test('on a Meta number it is PENDING, and the output says Send waits for approval', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const { items } = await run(newTemplate);
		expect(items[0].json).toMatchObject({ metaStatus: 'PENDING', sendable: false });
		expect(items[0].json.note).toMatch(/Meta reviews the template/);
	});

	test('a header image from an n8n binary field goes as a data URI; from a URL as url', async () => {
		const { error } = await run(
			{ ...newTemplate, templateExtras: { headerType: 'IMAGE', headerBinaryField: 'data' } },
			{ items: [{ json: {}, binary: { data: { data: PNG, mimeType: 'image/png' } } }] },
		);
		expect(error).toBeUndefined();
		await run({
			...newTemplate,
			templateName: 'com_banner',
			templateExtras: { headerType: 'DOCUMENT', headerMediaUrl: 'https://example.com/c.pdf' },
		});
		const [first, second] = await requestsTo('POST');
		expect((first.body!.body as IDataObject).header).toEqual({
			type: 'IMAGE',
			base64: `data:image/png;base64,${PNG}`,
		});
		expect((second.body!.body as IDataObject).header).toEqual({
			type: 'DOCUMENT',
			url: 'https://example.com/c.pdf',
		});
	});

	test.each<[string, IDataObject, RegExp]>([
		[
			'a variable without an example',
			{ templateExamples: examples({ nome: 'Ana' }) },
			/Every variable needs an example, or Pilot Status refuses the template: under Examples, add pedido/,
		],
		[
			'an example for a variable the template does not use',
			{ templateExamples: examples({ nome: 'Ana', pedido: '1', cupom: 'X' }) },
			/Examples names "cupom", which the template does not use \(its variables: nome, pedido\)/,
		],
		[
			'a body ending with a variable',
			{ templateBody: 'Seu código é {{codigo}}', templateExamples: examples({ codigo: '1' }) },
			/Body starts or ends with a variable/,
		],
		['an empty name', { templateName: ' ' }, /Name is empty/],
		['a language that is not a code', { templateLanguage: 'Português' }, /Language "Português"/],
		[
			'a header image in a PDF',
			{ templateExtras: { headerType: 'IMAGE', headerBinaryField: 'data' } },
			/is application\/pdf; a image header takes image\/jpeg or image\/png/,
		],
		[
			'a media header without its file',
			{ templateExtras: { headerType: 'VIDEO' } },
			/needs its file: add either Header Media URL/,
		],
		[
			'a footer with a variable',
			{ templateExtras: { footer: 'Oi {{nome}}' } },
			/Footer cannot hold variables/,
		],
		[
			'three URL buttons',
			{
				templateExtras: {
					buttons: {
						button: [1, 2, 3].map((n) => ({ type: 'URL', text: `L${n}`, url: 'https://e.com' })),
					},
				},
			},
			/There are 3 URL buttons; a template takes up to 2/,
		],
		[
			'a copy code with spaces',
			{ templateExtras: { buttons: { button: [{ type: 'COPY_CODE', code: 'CUPOM 10' }] } } },
			/Example Code "CUPOM 10" must be 1 to 15 letters or digits/,
		],
	])('%s is refused before anything is sent', async (_name, parameters, message) => {
		const { error } = await run(
			{ ...newTemplate, ...parameters },
			{ items: [{ json: {}, binary: { data: { data: PNG, mimeType: 'application/pdf' } } }] },
		);
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/Nothing was sent\.$/);
		expect(await requestsTo('POST')).toHaveLength(0);
	});

	test.each<[string, Fault, RegExp]>([
		[
			'TEMPLATE_EXAMPLES_REQUIRED',
			{
				type: 'status',
				status: 400,
				body: {
					error: 'Every variable needs an example',
					code: 'TEMPLATE_EXAMPLES_REQUIRED',
					details: { missing: ['nome'] },
				},
			},
			/needs an example for every variable of the template \(400 TEMPLATE_EXAMPLES_REQUIRED\); missing: nome\. Nothing was changed\./,
		],
		[
			'META_TEMPLATE_SUBMIT_FAILED',
			{
				type: 'status',
				status: 400,
				body: { error: 'Invalid parameter', code: 'META_TEMPLATE_SUBMIT_FAILED' },
			},
			/Meta did not accept the template for review \(400 META_TEMPLATE_SUBMIT_FAILED\): Invalid parameter/,
		],
	])('the service’s %s is explained with its fix', async (_name, fault, message) => {
		await sandbox.fault({ ...fault, method: 'POST', path: '/v1/templates', count: 1 });
		const { error } = await run(newTemplate);
		expect(error?.message).toMatch(message);
		expect(error?.description).toBeTruthy();
	});

	test('a name in use: 409 says to pick another or Update', async () => {
		const { error } = await run({ ...newTemplate, templateName: 'boas_vindas' });
		expect(error?.message).toMatch(/already has a template with this name \(409\)/);
		expect(error?.description).toMatch(/Template → Update/);
	});

	test.each<[string, Fault]>([
		['a server error after it was made', { type: 'status', status: 503, afterHandling: true }],
		['a connection dropped after it was made', { type: 'reset', afterHandling: true }],
	])('%s under Retry On Fail: created once, the error says it may have been', async (_n, fault) => {
		await sandbox.fault({ ...fault, method: 'POST', path: '/v1/templates', count: 1 });
		const { error } = await run(newTemplate, { settings: retries });
		record('sideEffects');
		expect(error?.message).toMatch(/The change may or may not have been made/);
		expect(await requestsTo('POST')).toHaveLength(1);
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(all.items.filter((item) => item.json.name === 'aviso_entrega')).toHaveLength(1);
	});
});

describe('Template → Update and Delete', () => {
	test('Update replaces the content with PUT; on Meta numbers it goes back to PENDING', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const { items, error } = await run({
			operation: 'update',
			templateRef: fromList(PEDIDO),
			templateBody: 'Oi {{nome}}, pedido confirmado!',
			templateExamples: examples({ nome: 'Ana' }),
		});
		expect(error).toBeUndefined();
		const [request] = await requestsTo('PUT');
		expect(request.path).toBe(`/v1/templates/${PEDIDO}`);
		expect(request.body).toEqual({
			body: { body: 'Oi {{nome}}, pedido confirmado!' },
			examples: { nome: 'Ana' },
		});
		expect(items[0].json).toMatchObject({
			id: PEDIDO,
			body: 'Oi {{nome}}, pedido confirmado!',
			variables: ['nome'],
			metaStatus: 'PENDING',
		});
	});

	test('Update with a variable lacking its example is refused before sending', async () => {
		const { error } = await run({
			operation: 'update',
			templateRef: fromList(PEDIDO),
			templateBody: 'Oi {{nome}}, pedido confirmado!',
		});
		record('badInputs');
		expect(error?.message).toMatch(/add nome with a sample value/);
		expect(await requestsTo('PUT')).toHaveLength(0);
	});

	test('Delete removes it for good; a lost answer under Retry On Fail is not sent again', async () => {
		const { items } = await run({ operation: 'delete', templateRef: fromList(PEDIDO) });
		expect(items[0].json).toEqual({ id: PEDIDO, deleted: true });
		const gone = await run({ operation: 'get', templateRef: byId(PEDIDO) });
		expect(gone.error?.message).toMatch(/404 TEMPLATE_NOT_FOUND/);

		await sandbox.fault({
			type: 'reset',
			afterHandling: true,
			method: 'DELETE',
			path: '/v1/templates/',
			count: 1,
		});
		const { error } = await run(
			{ operation: 'delete', templateRef: byId('boas_vindas') },
			{ settings: retries },
		);
		record('sideEffects');
		expect(error?.message).toMatch(/may or may not have been made/);
		expect(await requestsTo('DELETE')).toHaveLength(2);
	});
});
