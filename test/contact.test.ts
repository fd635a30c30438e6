import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Contact → Check Number against the sandbox, in n8n's engine.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id });

async function check(
	parameters: IDataObject,
	options: { credential?: IDataObject; items?: INodeExecutionData[]; settings?: IDataObject } = {},
) {
	return runNode({
		parameters: { resource: 'contact', operation: 'checkNumber', ...parameters },
		credential: (options.credential ?? sandbox.credential({ apiKey: NUMBER_KEY })) as never,
		items: options.items,
		settings: options.settings,
	});
}

const checkRequests = async () =>
	(await sandbox.requests()).filter((request) => request.path === '/v1/numbers/check');

describe('Contact → Check Number', () => {
	test('one item per number, in one shape; local numbers read in Brazil; the ninth digit explained', async () => {
		const { items, error } = await check(
			{ phoneNumbers: '={{ $json.phones }}' },
			{
				items: [
					{ json: { phones: '(11) 97777-6666, +55 11 90000-0000' } },
					{ json: { phones: ['31 98888-7777'] } },
				],
			},
		);
		expect(error).toBeUndefined();
		const [request] = await checkRequests();
		expect(await checkRequests()).toHaveLength(1);
		expect(request.body).toEqual({
			numbers: ['+5511977776666', '+5511900000000', '+5531988887777'],
		});
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }]);
		expect(items[0].json).toEqual({
			phoneNumber: '+5511977776666',
			input: '(11) 97777-6666',
			onWhatsApp: true,
			whatsappNumber: '+5511977776666',
			whatsappName: 'Ana Souza',
			withoutNinthDigit: false,
		});
		expect(items[1].json).toMatchObject({ onWhatsApp: false, whatsappNumber: null });
		expect(items[2].json).toMatchObject({
			phoneNumber: '+5531988887777',
			onWhatsApp: true,
			whatsappNumber: '+553188887777',
			withoutNinthDigit: true,
			note: expect.stringMatching(/registered without the ninth digit, as \+553188887777/),
		});
	});

	test('45 numbers go 20 per call (20, 20, 5), each number once', async () => {
		const phones = Array.from({ length: 45 }, (_, n) => `+5511955${String(n).padStart(6, '0')}`);
		const { items, error } = await check({ phoneNumbers: [...phones, phones[0]].join('\n') });
		expect(error).toBeUndefined();
		const calls = await checkRequests();
		expect(calls.map((call) => (call.body!.numbers as string[]).length)).toEqual([20, 20, 5]);
		expect(items).toHaveLength(46);
		expect(items.every((item) => item.json.onWhatsApp === true)).toBe(true);
	});

	test.each<[string, string, RegExp]>([
		['an empty list', ' , ', /Phone Numbers is empty/],
		['a word', '+5511977776666, abc', /Phone Numbers "abc" is not a phone number/],
		[
			'a number of no country',
			'11 1234',
			/Phone Numbers "11 1234" is not a phone number|is not a valid phone number/,
		],
	])('%s is refused before anything is sent', async (_name, phoneNumbers, message) => {
		const { error } = await check({ phoneNumbers });
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/Nothing was sent\.$/);
		expect(await checkRequests()).toHaveLength(0);
	});

	test('Continue On Fail: a bad item gets its error, the others are checked', async () => {
		const { items } = await check(
			{ phoneNumbers: '={{ $json.phone }}' },
			{
				items: [{ json: { phone: 'abc' } }, { json: { phone: '+5511977776666' } }],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(items.map((item) => item.json.error ?? item.json.phoneNumber)).toEqual([
			expect.stringMatching(/is not a phone number/),
			'+5511977776666',
		]);
	});

	test('the tenant key with Sending Number (where the service allows it); without: 403 explained', async () => {
		const refused = await check(
			{ phoneNumbers: '+5511977776666' },
			{ credential: sandbox.credential() },
		);
		expect(refused.error?.message).toMatch(/403 TENANT_SCOPE_NOT_ALLOWED/);
		expect(refused.error?.description).toMatch(/Pick the Sending Number/);
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const { items } = await check(
			{ phoneNumbers: '+5511977776666', sendingNumberId: fromList(suporte.id) },
			{ credential: sandbox.credential() },
		);
		expect(items[0].json.onWhatsApp).toBe(true);
		const [request] = await checkRequests();
		expect(request.scope).toBe('tenant');
	});

	test('a Meta number, a disconnected number and a provider missing on the service: each explained', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const tenant = { credential: sandbox.credential() };
		const closed = await check(
			{ phoneNumbers: '+5511977776666', sendingNumberId: fromList(vendas.id) },
			tenant,
		);
		expect(closed.error?.message).toBe(
			'The number is not connected to WhatsApp (409 WHATSAPP_INSTANCE_NOT_CONNECTED). Nothing was changed.',
		);
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const meta = await check({ phoneNumbers: '+5511977776666' });
		expect(meta.error?.message).toMatch(
			/Meta \(WhatsApp Cloud API\) number, which cannot check whether phone numbers are on WhatsApp \(400 NOT_SUPPORTED_FOR_META\)/,
		);
		await sandbox.fault({
			type: 'status',
			status: 503,
			body: { error: 'Evolution API key missing', code: 'EVOLUTION_API_KEY_MISSING' },
			path: '/v1/numbers/check',
			count: 1,
		});
		const down = await check({ phoneNumbers: '+5511977776666' });
		expect(down.error?.message).toMatch(/503 EVOLUTION_API_KEY_MISSING/);
		expect(down.error?.description).toMatch(/Pilot Status support/);
	});
});
