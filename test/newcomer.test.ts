import type { ICredentialType, IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import { startForeignServer } from './helpers/foreignServer';
import { loadPackage, runNode, testCredential } from './helpers/n8n';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// What a new user trips over in the editor (an agency in Brazil onboarding customers): local phone
// numbers, a wrong Base URL, chained steps with their defaults, notices, and test runs that
// provision numbers.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;

const create = (phoneNumber: string, extra: IDataObject = {}) =>
	runNode({
		parameters: { resource: 'number', operation: 'create', name: 'Loja', phoneNumber, ...extra },
		credential: sandbox.credential(),
	});

describe('phone numbers are read as a Brazilian agency types them', () => {
	test.each([
		['11 95555-7777', '+5511955557777'],
		['(11) 95555-7777', '+5511955557777'],
		['011 95555-7777', '+5511955557777'],
		['0 21 11 95555-7777', '+5511955557777'],
		['11 3333-4444', '+551133334444'],
		['5511955557777', '+5511955557777'],
		['+55 11 95555-7777', '+5511955557777'],
		['+1 415 555 2671', '+14155552671'],
		['14155552671', '+14155552671'],
		['+351 912 345 678', '+351912345678'],
	])('"%s" is sent as %s', async (typed, e164) => {
		const { error, items } = await create(typed);
		expect(error).toBeUndefined();
		const [request] = await sandbox.requests();
		expect(request.body).toMatchObject({ number: e164 });
		expect(items[0].json.number).toBe(e164);
	});

	test('with no country for local numbers, a local number is refused, saying what it would be', async () => {
		const { error } = await create('11 95555-7777', { phoneCountry: 'none' });
		record('badInputs');
		expect(error?.message).toContain('"11 95555-7777" is not a valid phone number');
		expect(error?.message).toContain('+11955557777, which is not a valid number of United States');
		expect(error?.message).toContain('Country for Local Numbers');
		expect(await sandbox.requests()).toHaveLength(0);
	});

	test.each([
		['+1 195 555 7777', 'which is not a valid number of United States and Canada'],
		['+55 20 95555-7777', 'which is not a valid number of Brazil'],
		['+280 1234 5678', 'and no country has that code'],
	])('"%s" fits no country: refused before sending', async (typed, why) => {
		const { error } = await create(typed);
		record('badInputs');
		expect(error?.message).toContain(why);
		expect(error?.message).toContain('Nothing was sent');
		expect(await sandbox.requests()).toHaveLength(0);
	});

	test('a 9-digit Portuguese local number is read with Portugal as the country', async () => {
		const { error } = await create('912 345 678', { phoneCountry: 'PT' });
		expect(error).toBeUndefined();
		expect((await sandbox.requests())[0].body).toMatchObject({ number: '+351912345678' });
	});

	test('Create Remote Pairing Link reads local numbers the same way', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'number',
				operation: 'createRemotePairingLink',
				name: 'Acme',
				phoneNumber: '11 95555-7777',
			},
			credential: sandbox.credential(),
		});
		expect(error).toBeUndefined();
		expect((await sandbox.requests())[0].body).toMatchObject({ number: '+5511955557777' });
	});

	test('the country hint is under the field, not only in an error', async () => {
		const node = (await loadPackage()).getNode('pilotStatus').type as INodeType;
		const phone = node.description.properties.find(({ name }) => name === 'phoneNumber');
		const country = node.description.properties.find(({ name }) => name === 'phoneCountry');
		expect(phone?.hint).toContain('11 95555-7777 becomes +55 11 95555-7777');
		expect(country?.default).toBe('BR');
	});
});

describe('whatever answers at a wrong Base URL is named as not Pilot Status', () => {
	test.each([
		[404, '<!DOCTYPE html><html><body>Not Found</body></html>', 'text/html', 'an HTML page'],
		[401, 'Unauthorized', 'text/plain', 'malformed JSON'],
		[403, '', 'text/plain', 'an empty body'],
	])('a %i with a non-JSON body, on every operation', async (status, body, type, kind) => {
		const server = await startForeignServer({ status, body, type });
		try {
			const credential = sandbox.credential({ baseUrl: server.url });
			for (const parameters of [
				{ resource: 'number', operation: 'getAll', returnAll: true },
				{ resource: 'number', operation: 'get', numberId: suporte.id },
				{ resource: 'webhook', operation: 'getAll', returnAll: true },
				{ resource: 'apiKey', operation: 'getAll' },
			]) {
				const { error } = await runNode({ parameters, credential });
				record('faults');
				expect(error?.message).toBe(
					`Nothing that answers like Pilot Status is at this Base URL: the answer was ${kind}, not Pilot Status's JSON. Nothing was changed.`,
				);
				expect(error?.description).toContain('Base URL in the Pilot Status credential');
				expect(error?.message).not.toContain('no number');
			}
		} finally {
			await server.stop();
		}
	});

	test('a 413 page (a proxy refusing a large body) says to send the file by URL, not to check the Base URL', async () => {
		const server = await startForeignServer({
			status: 413,
			body: '<html><body>413 Request Entity Too Large</body></html>',
		});
		try {
			const { error } = await runNode({
				parameters: {
					resource: 'message',
					operation: 'send',
					recipientPhoneNumber: '11 97777-6666',
					text: 'Olá',
				},
				credential: sandbox.credential({ apiKey: NUMBER_KEY, baseUrl: server.url }),
			});
			record('faults');
			expect(error?.message).toMatch(/^The request was too large for the server \(413\)\./);
			expect(error?.message).toContain('Media Source → URL');
			expect(error?.message).not.toContain('Base URL');
		} finally {
			await server.stop();
		}
	});

	test('a 200 web page (n8n’s own address) is named as such and points at the Base URL', async () => {
		const server = await startForeignServer();
		try {
			const { error } = await runNode({
				parameters: { resource: 'number', operation: 'getAll', returnAll: true },
				credential: sandbox.credential({ baseUrl: server.url }),
			});
			expect(error?.message).toContain('(an HTML page)');
			expect(error?.description).toContain('wrong Base URL');
		} finally {
			await server.stop();
		}
	});

	test('the credential’s Base URL field says what its Test can and cannot tell (n8n runs the Test)', async () => {
		const credential = (await loadPackage()).getCredential('pilotStatusApi')
			.type as ICredentialType;
		const baseUrl = credential.properties.find(({ name }) => name === 'baseUrl');
		expect(baseUrl?.hint).toContain('a web page answering 200 at a wrong address passes it');
		expect(baseUrl?.hint).toContain('ECONNREFUSED or ENOTFOUND');
	});

	test('the credential test names a 404 page as no Pilot Status API at this Base URL', async () => {
		const server = await startForeignServer({ status: 404 });
		try {
			const result = await testCredential(sandbox.credential({ baseUrl: server.url }));
			expect(result.message).toContain('No Pilot Status API answered at this Base URL');
		} finally {
			await server.stop();
		}
	});
});

describe('chained steps work with their defaults', () => {
	test.each([
		['Create', { id: suporte.id, state: 'CONNECTING' }],
		['Connect and Create Remote Pairing Link', { numberId: suporte.id, pairingCode: 'X' }],
	])('after %s, Get Status takes the number without being told', async (_step, json) => {
		const { error, items } = await runNode({
			parameters: { resource: 'number', operation: 'getStatus' },
			credential: sandbox.credential(),
			items: [{ json }],
		});
		expect(error).toBeUndefined();
		expect(items[0].json.numberId).toBe(suporte.id);
		expect((await sandbox.requests())[0].path).toBe(`/v1/numbers/${suporte.id}/status`);
	});

	test('Wait for Connection after Create needs no Number either', async () => {
		const id = await sandbox.newNumber();
		await sandbox.scan(id);
		const { error, items } = await runNode({
			parameters: { resource: 'number', operation: 'waitForConnection', timeout: 0.05 },
			credential: sandbox.credential(),
			items: [{ json: { id } }],
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ numberId: id, connected: true });
	});

	test.each([
		['Number → Delete', { resource: 'number', operation: 'delete' }],
		['API Key → Regenerate', { resource: 'apiKey', operation: 'regenerate' }],
	])(
		'%s never falls back to the previous step’s number: an empty Number is refused, nothing sent',
		async (_name, parameters) => {
			const { error } = await runNode({
				parameters,
				credential: sandbox.credential(),
				items: [{ json: { numberId: suporte.id, id: suporte.id } }],
			});
			record('badInputs');
			expect(error?.message).toMatch(/^Number is empty\. Pick it from the list/);
			expect(await sandbox.requests()).toEqual([]);
		},
	);

	test('an empty Number says what it falls back to, and when it does not', async () => {
		const node = (await loadPackage()).getNode('pilotStatus').type as INodeType;
		const [field] = node.description.properties.filter(({ name }) => name === 'numberId');
		expect(field.default).toEqual({ mode: 'list', value: '' });
		expect(field.hint).toContain('the previous step’s number');
		expect(field.hint).toContain('Delete and Regenerate need it chosen');
		expect(field.description).toContain('Delete and Regenerate always need it chosen');
	});

	test('an empty Number with no numberId or id in the input names the field', async () => {
		const { error } = await runNode({
			parameters: { resource: 'number', operation: 'getStatus' },
			credential: sandbox.credential(),
			items: [{ json: { name: 'Loja' } }],
		});
		record('badInputs');
		expect(error?.message).toMatch(/^Number is empty\. Pick it from the list/);
		expect(await sandbox.requests()).toEqual([]);
	});
});

describe('notices do not bury the fields', () => {
	test('at most one notice per operation, and none about Retry On Fail', async () => {
		const node = (await loadPackage()).getNode('pilotStatus').type as INodeType;
		const operations = node.description.properties.filter(({ name }) => name === 'operation');
		const notices = node.description.properties.filter(({ type }) => type === 'notice');
		for (const selector of operations) {
			const resource = selector.displayOptions?.show?.resource?.[0] as string;
			for (const { value } of selector.options as Array<{ value: string }>) {
				const shown = notices.filter(
					(notice: INodeProperties) =>
						notice.displayOptions?.show?.resource?.includes(resource) &&
						notice.displayOptions?.show?.operation?.includes(value),
				);
				expect({ operation: `${resource}/${value}`, notices: shown.length }).toEqual({
					operation: `${resource}/${value}`,
					notices: shown.length > 1 ? 1 : shown.length,
				});
				for (const notice of shown) {
					expect(notice.displayName).not.toMatch(/Retry On Fail/);
					expect(notice.displayName.length).toBeLessThan(200);
				}
			}
		}
	});
});

describe('test runs that provision numbers say so', () => {
	test('a manual run of Create says a number was provisioned and to pin the output', async () => {
		const { items } = await create('+5511955557777');
		expect(items[0].json.manualRunNotice).toContain('This manual run provisioned a number');
		expect(items[0].json.manualRunNotice).toContain('Pin this output');
	});

	test('a manual run of Message → Send says a real message went out', async () => {
		const { error, items } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				recipientPhoneNumber: '11 97777-6666',
				text: 'Olá',
			},
			credential: sandbox.credential({ apiKey: NUMBER_KEY }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.manualRunNotice).toContain('This manual run sent a real WhatsApp message');
		expect(items[0].json.status).toBe('QUEUED');
	});

	test('a production run does not carry the notice', async () => {
		const { items } = await runNode({
			parameters: {
				resource: 'number',
				operation: 'createRemotePairingLink',
				name: 'Acme',
				phoneNumber: '+5511955557777',
			},
			credential: sandbox.credential(),
			mode: 'trigger',
		});
		expect(items[0].json).not.toHaveProperty('manualRunNotice');
	});
});

describe('a list where one item fails says what became of the others', () => {
	const createEach = (phones: string[], settings = {}) =>
		runNode({
			parameters: {
				resource: 'number',
				operation: 'create',
				name: 'Loja',
				phoneNumber: '={{ $json.phone }}',
			},
			credential: sandbox.credential(),
			items: phones.map((phone) => ({ json: { phone } })),
			settings,
		});
	const NOTE = /Other items of this run may have been done .* Settings → On Error → Continue/;

	test('the failed item’s error says the other items may have been done and how to keep them', async () => {
		const { error } = await createEach(['11 95555-7777', 'abc', '11 95555-6666']);
		expect(error?.message).toMatch(/^Phone Number "abc" is not a phone number/);
		expect(error?.description).toMatch(NOTE);
		// RoutingNode sent the other two: exactly what the note warns about.
		expect((await sandbox.requests()).filter((r) => r.method === 'POST')).toHaveLength(2);
		record('sideEffects');
	});

	test('a single item, or On Error → Continue, gets no such note', async () => {
		const single = await createEach(['abc']);
		expect(single.error?.description ?? '').not.toMatch(NOTE);
		const kept = await createEach(['11 95555-7777', 'abc'], { onError: 'continueRegularOutput' });
		expect(kept.error).toBeUndefined();
		expect(kept.items).toHaveLength(2);
		expect(kept.items[0].json.number).toBe('+5511955557777');
	});
});
