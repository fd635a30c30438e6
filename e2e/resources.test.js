'use strict';
// Issue 22's resources in a real n8n 2.41: one `n8n start` (SQLite) with the package installed as
// the Community Nodes screen installs it and the sandbox as the API. One small workflow per
// resource (Manual Trigger → Pilot Status doing an operation with an effect on the sandbox), run
// through n8n's own execution as the editor's Execute Workflow button runs it. The checks read what
// n8n stored (the execution over its REST API) and what reached the sandbox (its request log and
// state), with both key readings: a number's own key, and the tenant key plus Sending Number under
// the sandbox's `messageKeyScope: 'tenantWithHeader'` variant (Account takes the tenant key only).
// Message is covered by e2e/runtime.test.js (D, E). Run with `npm run test:resources`; under a
// minute once n8n is cached.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, beforeEach, describe, test } = require('node:test');

const env = require('../scripts/lib/n8n-env');
const { sandboxCredential } = require('../scripts/lib/examples');
const { N8nClient, own, removeOnExit, startN8n } = require('../scripts/lib/n8n-server');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');

const ACTION_TYPE = 'n8n-nodes-pilot-status.pilotStatus';
const [suporte] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const KEYS = [SEED.tenantKey, ...SEED.numbers.map((number) => number.key)].flatMap((key) => [
	key.value,
	key.id,
]);
const byId = (value) => ({ __rl: true, mode: 'id', value });

let sandbox;
let n8n;
let client;
/** n8n credentials: the tenant key, and Suporte's own key. */
const credentials = {};
let userFolder;
let keep;
/** What the suite measured; printed at the end. */
const figures = { startedAt: Date.now(), workflows: {} };

// ---------------------------------------------------------------------------------------------
// The sandbox

const control = (method, route, body) => sandbox.control(method, route, body);

/** The API requests the sandbox received since the last reset whose path starts with `prefix`. */
const requestsTo = async (method, prefix) =>
	(await control('GET', '/requests')).filter(
		(request) => request.method === method && request.path.startsWith(prefix),
	);

/** A call to the sandbox's API with Suporte's own key, as another client of the account would make it. */
async function apiAsSuporte(method, route, body) {
	const response = await fetch(`${sandbox.url}${route}`, {
		method,
		headers: { 'content-type': 'application/json', 'x-api-key': suporte.key.value },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const parsed = await response.json();
	assert.ok(
		response.ok,
		`${method} ${route} answered ${response.status}: ${JSON.stringify(parsed)}`,
	);
	return parsed;
}

// ---------------------------------------------------------------------------------------------
// Workflows

/**
 * One Pilot Status node: `key` is 'number' (Suporte's own key) or 'tenant' (the tenant key; the
 * node then needs a Sending Number).
 */
const step = (name, key, parameters) => ({ name, key, parameters });

/**
 * Creates and runs a workflow Start → each chain of steps (chains are parallel branches from Start,
 * the steps of a chain follow each other); resolves with the finished execution.
 */
async function runWorkflow(name, ...chains) {
	const started = Date.now();
	const nodes = [
		{
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections = {};
	const link = (from, to) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	chains.forEach((chain, row) => {
		let previous = 'Start';
		chain.forEach(({ name: nodeName, key, parameters }, column) => {
			const credential = credentials[key];
			nodes.push({
				id: `node-${row}-${column}`,
				name: nodeName,
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [220 * (column + 1), 200 * row],
				parameters,
				credentials: { pilotStatusApi: { id: credential.id, name: credential.name } },
			});
			link(previous, nodeName);
			previous = nodeName;
		});
	});
	const { id } = await client.createWorkflow({
		name: `Resources: ${name}`,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	});
	const run = await client.runManually(id, 'Start');
	assert.ok(run.executionId, `n8n did not start the run: ${JSON.stringify(run)}`);
	const execution = await client.waitForExecution(run.executionId, undefined, {
		timeoutMs: 60_000,
	});
	assert.equal(
		execution.status,
		'success',
		JSON.stringify(execution.data?.resultData?.error ?? execution.status),
	);
	assertNoKeys(execution);
	figures.workflows[name] = Date.now() - started;
	return execution;
}

/** Output items (their json) of a node's run. */
function jsonOf(execution, nodeName) {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	assert.ok(runs, `${nodeName} did not run`);
	assert.equal(runs.length, 1, `${nodeName} ran once`);
	return (runs[0].data?.main?.[0] ?? []).map((item) => item.json);
}

/** No API key or key ID anywhere in what n8n stored about the run. */
function assertNoKeys(execution) {
	const stored = JSON.stringify(execution);
	for (const secret of KEYS) assert.equal(stored.includes(secret), false, 'a key in the run data');
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

before(
	async () => {
		const started = Date.now();
		if (env.N8N_MAJOR < 2)
			throw new Error(
				`e2e/resources.test.js runs in n8n 2.41; PILOT_STATUS_N8N picks ${env.N8N_VERSION}`,
			);
		await env.ensureN8n();
		sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
		own(sandbox.child);
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-resources-'));
		keep = process.env.KEEP_E2E ? { forget() {} } : removeOnExit(userFolder);
		const installing = Date.now();
		await env.installThisPackage(userFolder);
		figures.installMs = Date.now() - installing;
		n8n = await startN8n({ name: 'n8n', userFolder });
		figures.startMs = n8n.startupMs;
		client = await new N8nClient(n8n.url).signIn();
		credentials.tenant = await client.createCredential(
			sandboxCredential(undefined, 'Pilot Status tenant key', sandbox.url, SEED.tenantKey.value),
		);
		credentials.number = await client.createCredential(
			sandboxCredential(undefined, 'Suporte number key', sandbox.url, suporte.key.value),
		);
		assert.doesNotMatch(n8n.log(), /Unrecognized node type|Error loading package/i);
		figures.setupMs = Date.now() - started;
	},
	{ timeout: 20 * 60_000 },
);

beforeEach(async () => {
	await control('POST', '/reset');
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
	figures.totalMs = Date.now() - figures.startedAt;
	env.say(`\nResources figures (ms):\n${JSON.stringify(figures, null, 2)}`);
	if (userFolder && process.env.KEEP_E2E) env.say(`n8n user folder and log kept in ${userFolder}`);
	else if (userFolder) {
		fs.rmSync(userFolder, { recursive: true, force: true });
		keep?.forget();
	}
});

// ---------------------------------------------------------------------------------------------
// One workflow per resource

describe('issue 22’s resources, one workflow each, in a real n8n 2.41', () => {
	test('Template: Create with the number’s key, then Get Many with the tenant key and Sending Number', async () => {
		await control('PUT', '/variants', { messageKeyScope: 'tenantWithHeader' });
		const execution = await runWorkflow('Template', [
			step('Create Template', 'number', {
				resource: 'template',
				operation: 'create',
				templateName: 'aviso_entrega',
				templateCategory: 'UTILITY',
				templateLanguage: 'pt_BR',
				templateBody: 'Olá {{nome}}, seu pedido {{pedido}} saiu para entrega.',
				templateExamples: {
					example: [
						{ name: 'nome', value: 'Ana' },
						{ name: 'pedido', value: '123' },
					],
				},
			}),
			step('Get Many Templates', 'tenant', {
				resource: 'template',
				operation: 'getAll',
				returnAll: true,
				sendingNumberId: byId(suporte.id),
			}),
		]);
		const [created] = jsonOf(execution, 'Create Template');
		assert.equal(created.name, 'aviso_entrega');
		assert.equal(created.category, 'UTILITY');
		assert.ok(created.id, 'the new template’s ID');
		const listed = jsonOf(execution, 'Get Many Templates');
		assert.equal(listed.length, 4, 'the three seeded templates and the new one');
		assert.deepEqual(Object.keys(listed[0]).sort(), [
			'category',
			'id',
			'language',
			'metaStatus',
			'name',
			'sendable',
		]);
		assert.deepEqual(
			listed.filter((template) => template.id === created.id).map((template) => template.name),
			['aviso_entrega'],
		);
		const posts = await requestsTo('POST', '/v1/templates');
		assert.equal(posts.length, 1, 'created once');
		assert.equal(posts[0].scope, 'number');
		assert.equal(posts[0].body.name, 'aviso_entrega');
		const reads = await requestsTo('GET', '/v1/templates');
		assert.deepEqual(
			reads.map((request) => request.scope),
			['tenant'],
		);
		// The template is stored: the number's own key sees it too.
		const stored = await apiAsSuporte('GET', '/v1/templates');
		const storedList = Array.isArray(stored) ? stored : stored.templates;
		assert.ok(storedList.some((template) => template.name === 'aviso_entrega'));
	});

	test('Contact: Check Number of three numbers, one call, one item per number', async () => {
		const execution = await runWorkflow('Contact', [
			step('Check Numbers', 'number', {
				resource: 'contact',
				operation: 'checkNumber',
				phoneNumbers: '(11) 97777-6666\n+55 11 90000-0000\n31 98888-7777',
			}),
		]);
		const items = jsonOf(execution, 'Check Numbers');
		assert.deepEqual(
			items.map((item) => [item.phoneNumber, item.onWhatsApp]),
			[
				['+5511977776666', true],
				['+5511900000000', false],
				['+5531988887777', true],
			],
		);
		assert.deepEqual(items[0], {
			phoneNumber: '+5511977776666',
			input: '(11) 97777-6666',
			onWhatsApp: true,
			whatsappNumber: '+5511977776666',
			whatsappName: 'Ana Souza',
			withoutNinthDigit: false,
		});
		assert.equal(items[2].withoutNinthDigit, true);
		const checks = await requestsTo('POST', '/v1/numbers/check');
		assert.deepEqual(
			checks.map((request) => request.body),
			[{ numbers: ['+5511977776666', '+5511900000000', '+5531988887777'] }],
		);
	});

	test('Channel: Get Many, the number’s channels with the IDs Send takes', async () => {
		const execution = await runWorkflow('Channel', [
			step('Get Many Channels', 'number', {
				resource: 'channel',
				operation: 'getAll',
				returnAll: true,
			}),
		]);
		const channels = jsonOf(execution, 'Get Many Channels');
		assert.deepEqual(
			channels.map((channel) => ({ id: channel.id, name: channel.name })),
			[
				{ id: '120363012345678901@newsletter', name: 'Novidades' },
				{ id: '120363098765432109@newsletter', name: 'Ofertas' },
			],
		);
		const reads = await requestsTo('GET', '/v1/newsletters');
		assert.deepEqual(
			reads.map((request) => request.scope),
			['number'],
		);
	});

	test('Analytics: Get Dashboard counts the messages the number sent', async () => {
		for (const text of ['Olá', 'Tudo bem?'])
			await apiAsSuporte('POST', '/v1/messages/send', { destinationNumber: CUSTOMER, text });
		const execution = await runWorkflow('Analytics', [
			step('Get Dashboard', 'number', {
				resource: 'analytics',
				operation: 'getDashboard',
				analyticsPeriod: '30d',
				analyticsTimeZone: 'America/Sao_Paulo',
			}),
		]);
		const [dashboard] = jsonOf(execution, 'Get Dashboard');
		assert.deepEqual(Object.keys(dashboard).sort(), [
			'dailyMessages',
			'failedPercentChange',
			'failureRate',
			'period',
			'sentPercentChange',
			'statusDistribution',
			'timeZone',
			'totalFailed',
			'totalSent',
		]);
		assert.equal(dashboard.period, '30d');
		assert.equal(dashboard.timeZone, 'America/Sao_Paulo');
		assert.equal(
			dashboard.dailyMessages.reduce((sum, day) => sum + day.count, 0),
			2,
			JSON.stringify(dashboard.dailyMessages),
		);
		const [request] = await requestsTo('GET', '/v1/analytics/dashboard');
		assert.deepEqual(request.query, { period: '30d', tz: 'America/Sao_Paulo' });
	});

	test('Conversation: Get Unread after two inbound messages, with both key readings', async () => {
		await control('PUT', '/variants', { messageKeyScope: 'tenantWithHeader' });
		for (const text of ['Oi, tudo bem?', 'Quero o boleto'])
			await control('POST', `/numbers/${suporte.id}/inbound`, { from: CUSTOMER, text });
		const execution = await runWorkflow(
			'Conversation',
			[
				step('Unread (number key)', 'number', {
					resource: 'conversation',
					operation: 'getUnread',
					returnAll: true,
				}),
			],
			[
				step('Unread (tenant key)', 'tenant', {
					resource: 'conversation',
					operation: 'getUnread',
					returnAll: true,
					sendingNumberId: byId(suporte.id),
				}),
			],
		);
		for (const nodeName of ['Unread (number key)', 'Unread (tenant key)']) {
			const items = jsonOf(execution, nodeName);
			assert.deepEqual(
				items.map((item) => [item.direction, item.from, item.text]),
				[
					['INBOUND', CUSTOMER, 'Quero o boleto'],
					['INBOUND', CUSTOMER, 'Oi, tudo bem?'],
				],
				nodeName,
			);
			assert.equal(items[0].conversationUnreadCount, 2);
			assert.match(items[0].createdAt, /^\d{4}-\d{2}-\d{2}T/);
		}
		const reads = await requestsTo('GET', '/v1/messages/unread');
		assert.deepEqual(reads.map((request) => request.scope).sort(), ['number', 'tenant']);
	});

	test('Group: Create, then Add Participants to the new group; the sandbox’s group has them', async () => {
		const execution = await runWorkflow('Group', [
			step('Create Group', 'number', {
				resource: 'group',
				operation: 'create',
				groupSubject: 'Equipe e2e',
				participants: '11 96666-5555',
			}),
			step('Add Participants', 'number', {
				resource: 'group',
				operation: 'addParticipants',
				group: byId('={{ $json.id }}'),
				participants: `${CUSTOMER}, +5511955554444`,
			}),
		]);
		const [created] = jsonOf(execution, 'Create Group');
		assert.match(created.id, /@g\.us$/);
		assert.equal(created.subject, 'Equipe e2e');
		const [added] = jsonOf(execution, 'Add Participants');
		assert.deepEqual(added, {
			groupId: created.id,
			action: 'add',
			participants: [
				{ phone: CUSTOMER, status: 'added' },
				{ phone: '+5511955554444', status: 'added' },
			],
		});
		const groups = await control('GET', `/numbers/${suporte.id}/groups`);
		const group = groups.find((entry) => entry.id === created.id);
		assert.ok(group, 'the group exists in the sandbox');
		assert.deepEqual(
			group.participants.map((entry) => entry.phone).sort(),
			['+5511955554444', '+5511966665555', CUSTOMER, `+${suporte.number}`].sort(),
		);
		assert.equal((await requestsTo('POST', '/v1/groups')).length, 2, 'one create, one add');
	});

	test('Media: Download of an image a contact sent to a Meta number, into a binary field n8n stores', async () => {
		await control('PUT', `/numbers/${suporte.id}`, { provider: 'META' });
		const { event } = await control('POST', `/numbers/${suporte.id}/inbound`, {
			from: CUSTOMER,
			media: { type: 'image', caption: 'Comprovante' },
		});
		const { mediaId, phoneNumberId, mediaLink } = event.data;
		assert.ok(mediaId && phoneNumberId, JSON.stringify(event.data));
		const execution = await runWorkflow('Media', [
			step('Download Media', 'number', {
				resource: 'media',
				operation: 'download',
				mediaId,
				phoneNumberId,
			}),
		]);
		const [item] = execution.data.resultData.runData['Download Media'][0].data.main[0];
		const expected = Buffer.from(await (await fetch(mediaLink)).arrayBuffer());
		assert.deepEqual(item.json, {
			mediaId,
			fileName: 'photo.png',
			mimeType: 'image/png',
			fileSize: expected.length,
			binaryField: 'data',
		});
		const binary = item.binary?.data;
		assert.equal(binary?.mimeType, 'image/png');
		assert.equal(binary?.fileName, 'photo.png');
		// n8n keeps the file in its binary data store, not in the run data; the editor downloads it
		// from there.
		assert.ok(binary.id, `n8n stored the file by reference: ${JSON.stringify(binary)}`);
		const { bytes } = await client.binaryData(binary.id, {
			fileName: binary.fileName,
			mimeType: binary.mimeType,
		});
		assert.deepEqual(bytes, expected);
		const [request] = await requestsTo('GET', '/v1/media/');
		assert.equal(request.path, `/v1/media/${mediaId}`);
		assert.deepEqual(request.query, { phoneNumberId });
		assert.equal(request.scope, 'number');
	});

	test('Account: Update Branding, then Get Branding, with the tenant key (the only key it takes)', async () => {
		const execution = await runWorkflow('Account', [
			step('Update Branding', 'tenant', {
				resource: 'account',
				operation: 'updateBranding',
				brandingFields: { companyName: 'Loja Exemplo', primaryColor: '#FF8800' },
			}),
			step('Get Branding', 'tenant', { resource: 'account', operation: 'getBranding' }),
		]);
		const [updated] = jsonOf(execution, 'Update Branding');
		assert.equal(updated.companyName, 'Loja Exemplo');
		const [branding] = jsonOf(execution, 'Get Branding');
		assert.deepEqual(branding, {
			companyName: 'Loja Exemplo',
			subtitle: null,
			logoUrl: null,
			primaryColor: '#ff8800',
			backgroundColor: null,
			supportUrl: null,
			defaultRedirectUrl: null,
			hidePilotStatusBranding: false,
		});
		const puts = await requestsTo('PUT', '/v1/branding');
		assert.deepEqual(
			puts.map((request) => [request.scope, request.body]),
			[['tenant', { companyName: 'Loja Exemplo', primaryColor: '#ff8800' }]],
		);
		assert.equal((await control('GET', '/account')).branding.companyName, 'Loja Exemplo');
	});

	test('Call: Get Many of a Meta number’s calls, with both key readings', async () => {
		await control('PUT', '/variants', { messageKeyScope: 'tenantWithHeader' });
		await control('PUT', `/numbers/${suporte.id}`, { provider: 'META' });
		await control('POST', `/numbers/${suporte.id}/calls`, { count: 3 });
		const execution = await runWorkflow(
			'Call',
			[step('Calls (number key)', 'number', { resource: 'call', operation: 'getAll', limit: 2 })],
			[
				step('Calls (tenant key)', 'tenant', {
					resource: 'call',
					operation: 'getAll',
					returnAll: true,
					sendingNumberId: byId(suporte.id),
				}),
			],
		);
		const limited = jsonOf(execution, 'Calls (number key)');
		assert.deepEqual(
			limited.map((call) => call.id),
			['call_sbx0003', 'call_sbx0002'],
		);
		assert.deepEqual(Object.keys(limited[0]).sort(), [
			'connectedAt',
			'createdAt',
			'direction',
			'durationSeconds',
			'endedAt',
			'externalCallId',
			'id',
			'peerNumber',
			'startedAt',
			'status',
			'updatedAt',
		]);
		assert.equal(limited[0].peerNumber, CUSTOMER);
		assert.deepEqual(
			jsonOf(execution, 'Calls (tenant key)').map((call) => call.id),
			['call_sbx0003', 'call_sbx0002', 'call_sbx0001'],
		);
		const reads = await requestsTo('GET', '/v1/calls');
		assert.deepEqual(reads.map((request) => [request.scope, request.query.limit]).sort(), [
			['number', '2'],
			['tenant', '100'],
		]);
	});
});
