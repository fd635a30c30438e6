import type { IDataObject } from 'n8n-workflow';

import { NODE_TYPE, runNode } from './helpers/n8n';
import { SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import { findDisguisedSecrets } from './helpers/secrets';
import { record } from './helpers/summary';

// Malformed input must fail the item with a message that names the field, before any request.
const sandbox = useSandbox();

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const create = (fields: IDataObject) => ({
	resource: 'number',
	operation: 'create',
	name: 'Loja',
	phoneNumber: '5511955554444',
	...fields,
});
const link = (fields: IDataObject) => ({
	resource: 'number',
	operation: 'createRemotePairingLink',
	name: 'Acme',
	phoneNumber: '5511955554444',
	...fields,
});
const numberOp = (operation: string, value: string) => ({
	resource: 'number',
	operation,
	numberId: byId(value),
});
const pairingOp = (operation: string, pairingLink: string) => ({
	resource: 'remotePairing',
	operation,
	pairingLink,
});

const NOT_A_PHONE =
	/^Phone Number ".*" is not (a phone number\. Use 8 to 15 digits|a valid phone number: read with its country code)/;
const NOT_AN_ID = /^Number ".*" is not a valid ID\. Pilot Status IDs look like num_/;
const NOT_A_TOKEN = /^Pairing Link or Token ".*" is not a pairing token or link/;
/** Literal values are first checked by n8n itself (required fields, the locator's pattern). */
const REQUIRED = (field: string) =>
	new RegExp(`has issues:\\n- Parameter "${field}" is required\\.`);
const LOCATOR_PATTERN =
	/has issues:\n- Number: not a Pilot Status ID \(like num_01HZX9K3\)\. A phone number\? Pick it From List, or map its id from Number → Get Many\./;
/** Values that come from expressions reach the node's own checks. */
const fromExpression = (value: string) => `={{ ${JSON.stringify(value)} }}`;

const cases: Array<[string, IDataObject, RegExp]> = [
	['phone: empty', create({ phoneNumber: '' }), REQUIRED('Phone Number')],
	[
		'phone: empty from an expression',
		create({ phoneNumber: fromExpression('') }),
		/^Phone Number is empty\. Enter it with country and area code/,
	],
	['phone: spaces only', create({ phoneNumber: '   ' }), /^Phone Number is empty/],
	['phone: too short', create({ phoneNumber: '12345' }), NOT_A_PHONE],
	['phone: 9 digits with separators', create({ phoneNumber: '+55 11 9999' }), NOT_A_PHONE],
	['phone: too long', create({ phoneNumber: '+5511999999999999999' }), NOT_A_PHONE],
	['phone: letters', create({ phoneNumber: 'abc5511999999999' }), NOT_A_PHONE],
	['phone: two plus signs', create({ phoneNumber: '++5511999999999' }), NOT_A_PHONE],
	['phone: full-width digits', create({ phoneNumber: '５５１１９９９９９９９９９' }), NOT_A_PHONE],
	['phone: extension suffix', create({ phoneNumber: '5511-9999-9999 x12' }), NOT_A_PHONE],
	[
		'phone: object from an expression',
		create({ phoneNumber: '={{ { "number": "5511999999999" } }}' }),
		/^Phone Number must be text, but the value is object/,
	],
	[
		'phone: list from an expression',
		create({ phoneNumber: '={{ ["5511999999999"] }}' }),
		/^Phone Number must be text, but the value is a list/,
	],
	['name: empty', create({ name: '' }), REQUIRED('Name')],
	['name: whitespace', create({ name: ' \t ' }), /^Name is empty/],
	[
		'name: huge',
		create({ name: 'x'.repeat(100_000) }),
		/^Name is 100000 characters long; keep it to 100/,
	],
	[
		'name: null from an expression',
		create({ name: '={{ null }}' }),
		/^Name must be text, but the value is null/,
	],
	[
		'remote pairing link: phone from an expression',
		link({ phoneNumber: fromExpression('(11) 9') }),
		NOT_A_PHONE,
	],
	[
		'remote pairing link: empty name from an expression',
		link({ name: fromExpression(' ') }),
		/^Name is empty/,
	],
	// Not required in the editor: empty falls back to the previous step's number, and this item has none.
	['number id: empty', numberOp('get', ''), /^Number is empty\. Pick it from the list/],
	[
		'number id: empty from an expression',
		numberOp('get', fromExpression('')),
		/^Number is empty\. Pick it from the list/,
	],
	['number id: whitespace', numberOp('getStatus', '   '), LOCATOR_PATTERN],
	['number id: ../', numberOp('get', '../api-keys'), LOCATOR_PATTERN],
	[
		'number id: a phone number (a common mix-up, e.g. by an AI agent)',
		numberOp('get', fromExpression('+55 11 99999-9999')),
		/^Number "\+55 11 99999-9999" looks like a phone number, not an ID\. Use the ID Pilot Status gave it \(like num_01HZX9K3\): Number → Get Many lists every number with its ID\. Nothing was sent\.$/,
	],
	[
		'number id: an API key mapped by mistake (never quoted back)',
		numberOp('getStatus', fromExpression('ps_example_number_key_suporte')),
		/^Number holds what looks like an API key \(it starts with ps_\), not an ID; the value is not repeated here\. Map the ID instead, e\.g\. \{\{ \$json\.numberId \}\} \(like num_01HZX9K3\)\. Nothing was sent\.$/,
	],
	[
		'number id: an API key ID mapped by mistake (never quoted back)',
		numberOp('delete', fromExpression('key_tenant_0001')),
		/^Number holds what looks like an API key ID \(it starts with key_\), not the ID it needs; the value is not repeated here\./,
	],
	['number id: ../ from an expression', numberOp('get', fromExpression('../api-keys')), NOT_AN_ID],
	['number id: .. from an expression', numberOp('delete', fromExpression('..')), NOT_AN_ID],
	[
		'number id: nested traversal from an expression',
		numberOp('connect', fromExpression('num_1/../../api-keys')),
		NOT_AN_ID,
	],
	[
		'number id: encoded slash from an expression',
		numberOp('get', fromExpression('num%2F..%2Fapi-keys')),
		NOT_AN_ID,
	],
	[
		'number id: query string from an expression',
		numberOp('get', fromExpression('num_1?refresh=1')),
		NOT_AN_ID,
	],
	[
		'number id: fragment from an expression',
		numberOp('delete', fromExpression('num_1#x')),
		NOT_AN_ID,
	],
	['number id: unicode from an expression', numberOp('get', fromExpression('número_1')), NOT_AN_ID],
	[
		'number id: huge from an expression',
		numberOp('get', fromExpression('n'.repeat(5000))),
		NOT_AN_ID,
	],
	[
		'number id: object from an expression',
		numberOp('get', '={{ { "id": "num_1" } }}'),
		/^Number must be text, but the value is object/,
	],
	[
		'number id: list from an expression',
		numberOp('getStatus', '={{ ["num_1"] }}'),
		/^Number must be text, but the value is a list/,
	],
	[
		'number id: boolean from an expression',
		numberOp('delete', '={{ true }}'),
		/^Number must be text, but the value is boolean/,
	],
	[
		'regenerate: traversal from an expression',
		{
			resource: 'apiKey',
			operation: 'regenerate',
			numberId: byId(fromExpression('../../numbers')),
		},
		NOT_AN_ID,
	],
	['pairing: empty', pairingOp('connect', ''), REQUIRED('Pairing Link or Token')],
	[
		'pairing: empty from an expression',
		pairingOp('connect', fromExpression(' ')),
		/^Pairing Link or Token is empty/,
	],
	['pairing: traversal', pairingOp('getInfo', 'rp_1/../../numbers'), NOT_A_TOKEN],
	[
		'pairing: link without a token',
		pairingOp('getStatus', 'https://pilotstatus.com.br/connect/'),
		NOT_A_TOKEN,
	],
	['pairing: token with spaces', pairingOp('connect', 'rp 1 2'), NOT_A_TOKEN],
	['pairing: encoded slash', pairingOp('getInfo', 'rp_1%2F..'), NOT_A_TOKEN],
	['pairing: query string without a link', pairingOp('getInfo', 'rp_1?x=1'), NOT_A_TOKEN],
	['pairing: unicode', pairingOp('getStatus', 'rp_ção'), NOT_A_TOKEN],
	[
		'pairing: object from an expression',
		pairingOp('connect', '={{ { "token": "rp_1" } }}'),
		/^Pairing Link or Token must be text, but the value is object/,
	],
	[
		'wait: traversal from an expression',
		numberOp('waitForConnection', fromExpression('../api-keys')),
		NOT_AN_ID,
	],
	[
		'wait: interval too short',
		{ ...numberOp('waitForConnection', 'num_suporte'), pollInterval: '={{ 0.1 }}' },
		/^Poll Every \(Seconds\) is 0\.1; use 0\.5 or more/,
	],
	[
		'wait: zero timeout',
		{ ...numberOp('waitForConnection', 'num_suporte'), timeout: '={{ 0 }}' },
		/^Give Up After \(Minutes\) is 0; use a positive number/,
	],
	[
		'remote pairing wait: link without a token',
		pairingOp('waitForConnection', 'https://pilotstatus.com.br/connect/'),
		NOT_A_TOKEN,
	],
	['remote pairing wait: traversal', pairingOp('waitForConnection', '../numbers'), NOT_A_TOKEN],
	[
		'get many numbers: negative limit',
		{ resource: 'number', operation: 'getAll', returnAll: false, limit: '={{ -5 }}' },
		/^Limit "-5" is not a whole number of 1 or more/,
	],
	[
		'get many keys: fractional limit',
		{ resource: 'apiKey', operation: 'getAll', returnAll: false, limit: '={{ 2.5 }}' },
		/^Limit "2\.5" is not a whole number/,
	],
	[
		'get many keys: text limit',
		{ resource: 'apiKey', operation: 'getAll', returnAll: false, limit: '={{ "ten" }}' },
		/^Limit "ten" is not a whole number/,
	],
];

test.each(cases)('%s', async (_name, parameters, message) => {
	const { error } = await runNode({
		parameters: { ...parameters, options: { apiBaseUrl: sandbox.url } },
		credential: sandbox.credential(),
	});
	record('badInputs');
	expect(error?.message).toMatch(message);
	expect(error?.message.length).toBeLessThan(300);
	expect(await sandbox.requests()).toEqual([]);
});

test(`the table covers ${cases.length} malformed inputs`, () => {
	expect(cases.length).toBeGreaterThanOrEqual(30);
});

test('numbers from expressions are accepted as IDs and phone numbers', async () => {
	const { error } = await runNode({
		parameters: create({ phoneNumber: '={{ 5511955554444 }}' }),
		credential: sandbox.credential(),
	});
	expect(error).toBeUndefined();
	expect((await sandbox.requests())[0].body).toMatchObject({ number: '+5511955554444' });
});

// Issue 18, item 8: a key or key ID typed or mapped into any field is never quoted back, and a
// pairing link holding one is refused before it goes into the path of a call without a key.
describe('a key or key ID in any field is refused or never quoted, and nothing is sent', () => {
	const KEY = TENANT_KEY;
	const KEY_ID = SEED.tenantKey.id;
	const mapped = (field: string) => `={{ $json.${field} }}`;
	const fromItem = [{ json: { key: KEY, keyId: KEY_ID } }];
	const webhook = (fields: IDataObject) => ({
		resource: 'webhook',
		operation: 'create',
		webhookNumberId: byId('num_suporte'),
		url: 'https://crm.example.com/in',
		events: ['*'],
		...fields,
	});
	const update = (updateFields: IDataObject) => ({
		resource: 'webhook',
		operation: 'update',
		webhookId: byId('wh_1'),
		updateFields,
	});
	const KEY_REFUSED = (field: string) =>
		new RegExp(`^${field} (holds|contains) what looks like (a Pilot Status API key|an API key)`);
	const NOT_REPEATED = /not repeated here/;

	const cases: Array<[string, IDataObject, RegExp, string?]> = [
		['phone: a key mapped', create({ phoneNumber: mapped('key') }), KEY_REFUSED('Phone Number')],
		[
			'phone: a key ID typed',
			create({ phoneNumber: fromExpression(KEY_ID) }),
			KEY_REFUSED('Phone Number'),
		],
		[
			'phone: a key after a word',
			create({ phoneNumber: fromExpression(`tel ${KEY}`) }),
			KEY_REFUSED('Phone Number'),
		],
		['name: a key mapped', create({ name: mapped('key') }), KEY_REFUSED('Name')],
		['name: a key ID mapped', link({ name: mapped('keyId') }), KEY_REFUSED('Name')],
		['webhook name: a key typed into Update', update({ name: KEY }), KEY_REFUSED('Name')],
		[
			'webhook name: a key typed into Create',
			webhook({ options: { name: KEY } }),
			KEY_REFUSED('Options → Name'),
		],
		[
			'URL: a key in the query',
			webhook({ url: `https://crm.example.com/in?apikey=${KEY}` }),
			KEY_REFUSED('URL'),
		],
		[
			'URL: a key percent-encoded',
			webhook({ url: `https://crm.example.com/in/${KEY.replace(/_/g, '%5F')}` }),
			KEY_REFUSED('URL'),
		],
		[
			'URL: not a URL, with a key',
			webhook({ url: fromExpression(`crm.example.com ${KEY}`) }),
			KEY_REFUSED('URL'),
		],
		[
			'URL: not a URL, with a key ID',
			update({ url: fromExpression(`see ${KEY_ID}`) }),
			NOT_REPEATED,
		],
		[
			'events: a key mapped',
			webhook({ events: '={{ ["number.connected", $json.key] }}' }),
			KEY_REFUSED('Events'),
		],
		['events: a key ID in Update', update({ events: [KEY_ID] }), KEY_REFUSED('Events')],
		[
			'number id: a key in upper case',
			numberOp('get', fromExpression(KEY.toUpperCase())),
			/^Number holds what looks like an API key/,
		],
		[
			'number id: a key behind a zero-width space',
			numberOp('get', fromExpression(`\u200B${KEY}`)),
			/^Number holds what looks like an API key/,
		],
		[
			'webhook id: a key ID mapped',
			{ resource: 'webhook', operation: 'get', webhookId: byId(mapped('keyId')) },
			/^Webhook holds what looks like an API key ID/,
		],
		[
			'limit: a key from an expression',
			{ resource: 'number', operation: 'getAll', returnAll: false, limit: mapped('key') },
			NOT_REPEATED,
		],
		[
			'pairing link: a key as the token',
			pairingOp('connect', KEY),
			KEY_REFUSED('Pairing Link or Token'),
		],
		[
			'pairing link: a key in the link',
			pairingOp('getInfo', `https://pilotstatus.com.br/connect/${KEY}`),
			KEY_REFUSED('Pairing Link or Token'),
		],
		[
			'pairing link: a key ID mapped',
			pairingOp('getStatus', mapped('keyId')),
			KEY_REFUSED('Pairing Link or Token'),
		],
		[
			'pairing link: a key in upper case',
			pairingOp('connect', KEY.toUpperCase()),
			KEY_REFUSED('Pairing Link or Token'),
		],
		[
			'pairing link: a key percent-encoded',
			pairingOp('getInfo', KEY.replace(/_/g, '%5F')),
			KEY_REFUSED('Pairing Link or Token'),
		],
		[
			'pairing wait: a key mapped',
			pairingOp('waitForConnection', mapped('key')),
			KEY_REFUSED('Pairing Link or Token'),
		],
		[
			'AI tool pairing link: a key',
			{ resource: 'remotePairing', operation: 'getInfo', toolPairingLink: KEY },
			KEY_REFUSED('pairingLink'),
			`${NODE_TYPE}Tool`,
		],
		[
			'AI tool number ID: a key ID',
			{ resource: 'number', operation: 'get', toolNumberId: KEY_ID },
			/^numberId holds what looks like an API key ID/,
			`${NODE_TYPE}Tool`,
		],
	];

	// Every row with its node type: jest passes `done` in place of a missing last column.
	const rows = cases.map(([name, parameters, message, type]) => [
		name,
		parameters,
		message,
		type ?? NODE_TYPE,
	]) as Array<[string, IDataObject, RegExp, string]>;

	test.each(rows)('%s', async (_name, parameters, message, type) => {
		await sandbox.control('DELETE', '/requests');
		const { error } = await runNode({
			parameters: {
				...parameters,
				options: { apiBaseUrl: sandbox.url, ...(parameters.options as IDataObject) },
			},
			credential: sandbox.credential(),
			items: fromItem,
			type,
		});
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/Nothing was sent\.$/);
		// What the node says (the error object also carries the node's parameters as typed: n8n's own).
		const said = {
			message: error?.message,
			description: error?.description,
			context: error?.context,
		};
		expect(findDisguisedSecrets(said, [KEY, KEY_ID])).toEqual([]);
		// Not even a call without a key: a path is written to access logs on the way.
		expect(await sandbox.requests()).toEqual([]);
	});

	test('a pairing link without a key is still sent (the check refuses keys, not links)', async () => {
		const { error } = await runNode({
			parameters: {
				...pairingOp('getInfo', 'rp_unknown_token'),
				options: { apiBaseUrl: sandbox.url },
			},
			credential: sandbox.credential(),
		});
		expect(error?.message).toMatch(/404/);
		expect((await sandbox.requests()).map((request) => request.path)).toEqual([
			'/v1/remote-pairing/rp_unknown_token',
		]);
	});
});
