import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { listSearch, runNode } from './helpers/n8n';
import { decodeBinary, pngSize } from './helpers/png';
import { closedPortUrl } from './helpers/receiver';
import { SEED, useSandbox } from './helpers/sandbox';

const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const fromList = (id: string) => ({
	__rl: true,
	mode: 'list',
	value: id,
	cachedResultName: 'Suporte',
});

async function run(parameters: IDataObject, items?: INodeExecutionData[]) {
	return runNode({
		parameters: { resource: 'number', ...parameters },
		credential: sandbox.credential(),
		items,
	});
}

describe('Number → Create', () => {
	const create = { operation: 'create', name: 'Loja Centro', phoneNumber: '+55 (11) 95555-4444' };

	test('sends name and cleaned phone number, outputs a flat number and the QR code as a PNG file', async () => {
		const { items, error } = await run(create);
		expect(error).toBeUndefined();
		const [request] = await sandbox.requests();
		expect(request).toMatchObject({
			method: 'POST',
			path: '/v1/numbers',
			authHeaders: ['x-api-key'],
		});
		expect(request.body).toEqual({ name: 'Loja Centro', number: '+5511955554444' });

		const [item] = items;
		expect(item.json).toEqual({
			id: expect.stringMatching(/^num_/),
			name: 'Loja Centro',
			number: '+5511955554444',
			provider: 'PILOT_STATUS',
			state: 'CONNECTING',
			isFullyConnected: false,
			pairingCode: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/),
			linkedApiKeyId: null,
			// Runs from the editor are manual runs (see newcomer.test.ts).
			manualRunNotice: expect.stringContaining('This manual run provisioned a number'),
		});
		expect(JSON.stringify(item.json)).not.toContain('base64');
		const file = item.binary!.data;
		expect(file).toMatchObject({
			mimeType: 'image/png',
			fileName: 'qr-code-5511955554444.png',
			fileExtension: 'png',
		});
		expect(pngSize(decodeBinary(file))).toEqual({ width: 264, height: 264 });
	});

	test('the binary field name is a parameter; the base64 goes into the JSON only on request', async () => {
		const { items } = await run({
			...create,
			binaryPropertyName: 'qr',
			options: { includeQrCodeBase64: true },
		});
		expect(Object.keys(items[0].binary ?? {})).toEqual(['qr']);
		expect(String(items[0].json.qrCodeBase64)).toMatch(/^data:image\/png;base64,iVBOR/);
	});

	test('options are sent only when set', async () => {
		await run({ ...create, options: { linkToApiKey: false } });
		expect((await sandbox.requests())[0].body).toMatchObject({ linkToApiKey: false });
	});

	test('a QR code sent as bare base64 (no data: prefix) is accepted too', async () => {
		const first = await run(create);
		const bare = decodeBinary(first.items[0].binary!.data).toString('base64');
		await sandbox.fault({ type: 'badQr', value: bare });
		const { items, error } = await run({
			...create,
			name: 'Loja Norte',
			phoneNumber: '5511955550000',
		});
		expect(error).toBeUndefined();
		expect(decodeBinary(items[0].binary!.data).equals(Buffer.from(bare, 'base64'))).toBe(true);
	});

	test('an instance with `state` instead of `status` gives the same output', async () => {
		await sandbox.variants({ createStateField: 'state' });
		const { items } = await run(create);
		expect(items[0].json).toMatchObject({ state: 'CONNECTING', isFullyConnected: false });
		expect(items[0].json).not.toHaveProperty('status');
	});

	test('each input item creates its own number, in order', async () => {
		const { items } = await run(
			{ operation: 'create', name: '={{ $json.name }}', phoneNumber: '={{ $json.phone }}' },
			[
				{ json: { name: 'Filial 1', phone: '5511911111111' } },
				{ json: { name: 'Filial 2', phone: '5511922222222' } },
				{ json: { name: 'Filial 3', phone: '5511933333333' } },
			],
		);
		expect(items.map((item) => item.json.name)).toEqual(['Filial 1', 'Filial 2', 'Filial 3']);
		expect(items.map((item) => item.binary?.data.fileName)).toEqual([
			'qr-code-5511911111111.png',
			'qr-code-5511922222222.png',
			'qr-code-5511933333333.png',
		]);
		expect(await sandbox.requests()).toHaveLength(3);
	});
});

describe('Number → Get, Get Many, Get Status, Delete', () => {
	test('Get reads one number by id, from the list or typed; Simplify keeps six fields', async () => {
		for (const numberId of [fromList(suporte.id), byId(suporte.id)]) {
			const { items } = await run({ operation: 'get', numberId });
			expect(items[0].json).toEqual({
				id: suporte.id,
				name: 'Suporte',
				number: '+5511999999999',
				provider: 'PILOT_STATUS',
				state: 'OPEN',
				isFullyConnected: true,
			});
		}
		expect(
			(await sandbox.requests()).map((request) => `${request.method} ${request.path}`),
		).toEqual([`GET /v1/numbers/${suporte.id}`, `GET /v1/numbers/${suporte.id}`]);
	});

	test('Get with Simplify off gives every field the service sends', async () => {
		const { items } = await run({ operation: 'get', numberId: byId(suporte.id), simplify: false });
		expect(items[0].json).toMatchObject({
			id: suporte.id,
			number: '+5511999999999',
			health: expect.any(Object),
			meta: null,
			createdAt: expect.any(String),
		});
	});

	test('Get can ask for a live Meta refresh', async () => {
		await run({ operation: 'get', numberId: byId(suporte.id), options: { refresh: true } });
		expect((await sandbox.requests())[0].query).toEqual({ refresh: '1' });
	});

	test('Get Many returns every number, or up to Limit', async () => {
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(all.items.map((item) => [item.json.id, item.json.state])).toEqual([
			[suporte.id, 'OPEN'],
			[vendas.id, 'CLOSED'],
		]);
		const limited = await run({ operation: 'getAll', returnAll: false, limit: 1 });
		expect(limited.items.map((item) => item.json.id)).toEqual([suporte.id]);
	});

	test.each([
		['idAndState', 'CLOSE'],
		['idAndState', 'CLOSED'],
		['stateAndFlag', 'CLOSE'],
		['stateAndFlag', 'CLOSED'],
	] as const)('Get Status normalises the %s shape with %s', async (statusShape, closedState) => {
		await sandbox.variants({ statusShape, closedState });
		const closed = await run({ operation: 'getStatus', numberId: byId(vendas.id) });
		const open = await run({ operation: 'getStatus', numberId: byId(suporte.id) });
		expect(closed.items[0].json).toEqual({
			numberId: vendas.id,
			state: 'CLOSED',
			isFullyConnected: false,
		});
		expect(open.items[0].json).toEqual({
			numberId: suporte.id,
			state: 'OPEN',
			isFullyConnected: true,
		});
	});

	test('Delete removes the number and says so', async () => {
		const { items } = await run({ operation: 'delete', numberId: byId(vendas.id) });
		expect(items[0].json).toEqual({ numberId: vendas.id, deleted: true });
		expect((await sandbox.requests())[0]).toMatchObject({
			method: 'DELETE',
			path: `/v1/numbers/${vendas.id}`,
		});
		expect((await sandbox.state()).numbers.map((number) => number.id)).toEqual([suporte.id]);
	});
});

describe('Number → Connect', () => {
	test('a disconnected number gets a fresh QR code file and pairing code', async () => {
		const { items, error } = await run({ operation: 'connect', numberId: byId(vendas.id) });
		expect(error).toBeUndefined();
		expect((await sandbox.requests())[0]).toMatchObject({
			method: 'GET',
			path: `/v1/numbers/${vendas.id}/connect`,
		});
		expect(items[0].json).toEqual({
			numberId: vendas.id,
			pairingCode: expect.any(String),
			state: 'CONNECTING',
		});
		expect(items[0].binary!.data.fileName).toBe(`qr-code-${vendas.id}.png`);
		expect(pngSize(decodeBinary(items[0].binary!.data))).not.toBeNull();
	});

	test('an already connected number fails with a message that explains the 409', async () => {
		const { error } = await run({ operation: 'connect', numberId: byId(suporte.id) });
		expect(error?.message).toBe(
			'The number is already connected (409): there is nothing to pair. Nothing was changed.',
		);
		expect(error?.description).toContain('Get Status');
		expect(error?.httpCode).toBe('409');
	});
});

describe('Number → Create Remote Pairing Link', () => {
	const link = {
		operation: 'createRemotePairingLink',
		name: 'Acme',
		phoneNumber: '11 95555-4444 ',
	};

	test.each(['guide', 'playground', 'embed'] as const)(
		'the %s response shape becomes one flat item',
		async (remotePairingShape) => {
			await sandbox.variants({ remotePairingShape });
			const { items, error } = await run({ ...link, phoneNumber: '+55 11 95555-4444' });
			expect(error).toBeUndefined();
			const [request] = await sandbox.requests();
			expect(request).toMatchObject({
				method: 'POST',
				path: '/v1/numbers/remote-pairing',
				body: { name: 'Acme', number: '+5511955554444' },
			});
			const json = items[0].json;
			expect(json).toMatchObject({
				numberId: expect.stringMatching(/^num_/),
				remotePairingUrl: `${sandbox.url}/connect/${json.token}`,
				state: 'CLOSED',
				provider: 'PILOT_STATUS',
				messageSent: false,
			});
			expect(String(json.token)).toMatch(
				remotePairingShape === 'embed' ? /^[0-9a-f-]{36}$/ : /^rp_/,
			);
		},
	);

	test('Send via WhatsApp is passed on and a failed send is reported, not fatal', async () => {
		const { items } = await run({
			...link,
			phoneNumber: '5511955554444',
			options: { sendViaWhatsApp: true },
		});
		expect((await sandbox.requests())[0].body).toMatchObject({ sendViaWhatsApp: true });
		expect(items[0].json).toMatchObject({
			messageSent: false,
			messageError: expect.stringContaining('Template'),
		});
	});
});

test('an answer that does not say whether the asked-for WhatsApp message went out gives messageSent null', async () => {
	await sandbox.variants({ remotePairingShape: 'playground' });
	const { items } = await run({
		operation: 'createRemotePairingLink',
		name: 'Acme',
		phoneNumber: '5511955554444',
		options: { sendViaWhatsApp: true },
	});
	expect(items[0].json).toMatchObject({ messageSent: null, messageError: null });
});

describe('number list search (resource locator)', () => {
	test('lists every number with its phone number (no live state: the label is saved), sorted by name', async () => {
		const { results } = await listSearch({
			method: 'searchNumbers',
			credential: sandbox.credential(),
		});
		expect(results).toEqual([
			{ name: 'Suporte (+5511999999999)', value: suporte.id },
			{ name: 'Vendas (+5511988888888)', value: vendas.id },
		]);
	});

	test.each([['vend'], ['98888'], ['num_sup']])(
		'filters by name, phone digits or id: %s',
		async (filter) => {
			const { results } = await listSearch({
				method: 'searchNumbers',
				filter,
				credential: sandbox.credential(),
			});
			expect(results).toHaveLength(1);
		},
	);

	test('an unreachable server is named in the list’s error', async () => {
		const baseUrl = await closedPortUrl();
		await expect(
			listSearch({
				method: 'searchNumbers',
				credential: sandbox.credential({ baseUrl: `${baseUrl}/` }),
			}),
		).rejects.toThrow(`Could not reach Pilot Status at ${baseUrl}`);
	});

	test('a number-scoped key gets the mapped 403 message in the list', async () => {
		await expect(
			listSearch({
				method: 'searchNumbers',
				credential: sandbox.credential({ apiKey: SEED.numbers[0].key.value }),
			}),
		).rejects.toThrow('needs the tenant API key');
	});
});
