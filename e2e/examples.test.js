'use strict';
// End to end in a real n8n 2.41: the packed package installed as the Community Nodes screen
// installs it, the example workflows imported and run with `n8n execute`, the sandbox as the API.
// Flows that need a running n8n (forms, waiting executions) are in onboarding.test.js.
// Run with `npm run test:e2e` (first run installs n8n into the cache: a few minutes).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, beforeEach, describe, test } = require('node:test');

const env = require('../scripts/lib/n8n-env');
const {
	EXAMPLES,
	SANDBOX_CREDENTIAL_ID,
	SENDING_CREDENTIAL_ID,
	loadExample,
	localCopy,
	sandboxCredential,
} = require('../scripts/lib/examples');
const { N8nClient, startN8n } = require('../scripts/lib/n8n-server');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');

const NEGATIVE = { wrongKey: 'PsNegWrongKey001', numberKey: 'PsNegNumberKey01' };
/** The key rotation example with n8n's default settings (execution data saved): the control case. */
const KEY_ROTATION_SAVING = 'PsKeyRotationSav';
/** The remote onboarding example waiting by polling instead of being called back. */
const REMOTE_ONBOARDING_POLLING = 'PsRemoteOnbPoll1';

let sandbox;
let userFolder;
const logs = [];

const control = (method, route, body) => sandbox.control(method, route, body);

/** Runs an imported workflow; returns n8n's exit code, the run's JSON and everything else it printed. */
async function execute(id) {
	const { code, stdout, stderr } = await env.n8n(['execute', `--id=${id}`, '--rawOutput'], {
		userFolder,
	});
	const run = env.parseRun(stdout);
	const jsonStart = stdout.split('\n').findIndex((line) => line.startsWith('{'));
	const logText = [...stdout.split('\n').slice(0, Math.max(jsonStart, 0)), stderr].join('\n');
	logs.push(logText);
	return { code, run, stdout, logText };
}

const outputOf = (run, nodeName) =>
	run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];

function listNumbersWorkflow(id, credentialId) {
	return {
		id,
		name: `List numbers (${credentialId})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-start`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-list`,
				name: 'List numbers',
				type: 'n8n-nodes-pilot-status.pilotStatus',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'number', operation: 'getAll', returnAll: true },
				credentials: { pilotStatusApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: { Start: { main: [[{ node: 'List numbers', type: 'main', index: 0 }]] } },
	};
}

before(
	async () => {
		await env.ensureN8n();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-e2e-'));
		const installed = await env.installThisPackage(userFolder);
		assert.ok(fs.existsSync(path.join(installed, 'dist/nodes/PilotStatus/PilotStatus.node.js')));
		sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });

		const credentials = [
			sandboxCredential(
				SANDBOX_CREDENTIAL_ID,
				'Pilot Status account',
				sandbox.url,
				SEED.tenantKey.value,
			),
			sandboxCredential(
				SENDING_CREDENTIAL_ID,
				"Pilot Status (Suporte's key)",
				sandbox.url,
				SEED.numbers[0].key.value,
			),
			sandboxCredential(
				'PsWrongKeyCred01',
				'Pilot Status (wrong key)',
				sandbox.url,
				'ps_example_wrong_key',
			),
			sandboxCredential(
				'PsNumberKeyCred1',
				'Pilot Status (number key)',
				sandbox.url,
				SEED.numbers[0].key.value,
			),
		];
		const workflows = [
			...EXAMPLES.map((name) =>
				localCopy(loadExample(name), {
					sandboxUrl: sandbox.url,
					pollInterval: 1,
					manualStart: true,
				}),
			),
			// `n8n execute` cannot be called back, so this copy waits by polling, as the example's
			// sticky note advises for an n8n the internet cannot reach. The shipped wait (Pilot Status
			// Notifies) runs in a running n8n in onboarding.test.js.
			{
				...localCopy(loadExample('remote-onboarding'), {
					sandboxUrl: sandbox.url,
					pollInterval: 1,
					resumeWhen: 'polling',
				}),
				id: REMOTE_ONBOARDING_POLLING,
				name: 'Remote onboarding, waiting by polling',
			},
			{
				...localCopy(loadExample('key-rotation'), { sandboxUrl: sandbox.url, manualStart: true }),
				id: KEY_ROTATION_SAVING,
				name: 'Key rotation, saving execution data',
				settings: { executionOrder: 'v1' },
			},
			listNumbersWorkflow(NEGATIVE.wrongKey, 'PsWrongKeyCred01'),
			listNumbersWorkflow(NEGATIVE.numberKey, 'PsNumberKeyCred1'),
		];
		await env.importIntoN8n(userFolder, { credentials, workflows });
		// As npm start does: the Community Nodes screen lists what n8n's database records.
		await env.recordCommunityPackage(userFolder);
	},
	{ timeout: 20 * 60_000 },
);

after(async () => {
	await sandbox?.stop();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
});

describe('the example workflows in a real n8n', () => {
	test('every example imports', async () => {
		const { code, stdout } = await env.n8n(['list:workflow'], { userFolder });
		assert.equal(code, 0, stdout);
		const listed = stdout.split('\n').map((line) => line.split('|')[0]);
		for (const name of EXAMPLES) assert.ok(listed.includes(loadExample(name).id), name);
	});

	test('remote onboarding, polling (an n8n the internet cannot reach): the link, then the wait ends connected', async () => {
		await control('POST', '/reset');
		await control('PUT', '/settings', { autoConnectAfterPolls: 2 });
		const { code, run, stdout } = await execute(REMOTE_ONBOARDING_POLLING);
		assert.equal(code, 0, stdout.slice(-3000));
		assert.equal(run.finished, true);

		const [link] = outputOf(run, 'Create pairing link');
		assert.match(link.json.numberId, /^num_/);
		assert.match(link.json.token, /^rp_/);
		assert.equal(link.json.remotePairingUrl, `${sandbox.url}/connect/${link.json.token}`);
		// The email step (a No Operation in this copy) received the link.
		assert.equal(
			outputOf(run, 'Email the link')[0].json.remotePairingUrl,
			link.json.remotePairingUrl,
		);

		const [waited] = outputOf(run, 'Wait for the customer');
		assert.deepEqual(
			{ ...waited.json, waitedSeconds: 0 },
			{
				numberId: link.json.numberId,
				connected: true,
				reason: null,
				state: 'OPEN',
				isFullyConnected: true,
				waitedSeconds: 0,
				polls: 2,
			},
		);
		assert.equal(outputOf(run, 'Tell the sales team').length, 1);
		assert.equal(outputOf(run, 'Ask the sales team to follow up').length, 0);
		const requests = await control('GET', '/requests');
		const polls = requests.filter(
			(request) => request.path === `/v1/numbers/${link.json.numberId}/status`,
		);
		assert.equal(polls.length, 2);
		assert.equal(requests.filter((request) => request.path === '/v1/webhooks').length, 0);
		// Connected: the agency's number greets the customer, once.
		const [greeting] = outputOf(run, 'Welcome the customer on WhatsApp');
		assert.equal(greeting.json.status, 'QUEUED', JSON.stringify(greeting.json));
		const { messages } = await control('GET', '/messages');
		assert.deepEqual(
			messages.map((message) => [message.id, message.to, message.text]),
			[
				[
					greeting.json.id,
					'+5521977773333',
					'Olá! Seu WhatsApp está conectado. Qualquer dúvida, é só responder esta mensagem.',
				],
			],
		);
	});

	test('key rotation: every number gets a new key, the old ones are dead, no key is logged or stored', async () => {
		await control('POST', '/reset');
		const { code, run, stdout, logText } = await execute('PsKeyRotation001');
		assert.equal(code, 0, stdout.slice(-3000));

		const listed = outputOf(run, 'List the keys');
		assert.deepEqual(
			listed.map((item) => item.json.key),
			['ps_…orte', null],
		);
		const stored = outputOf(run, 'Store the new keys');
		assert.deepEqual(
			stored.map((item) => item.json.numberId),
			SEED.numbers.map((number) => number.id),
		);

		const state = await control('GET', '/state');
		for (const item of stored) {
			const key = state.keys.find((candidate) => candidate.id === item.json.keyId);
			assert.equal(key.valid, true);
			assert.equal(key.last4, item.json.key.slice(-4));
		}
		for (const seeded of SEED.numbers)
			assert.equal(state.keys.find((key) => key.id === seeded.key.id).valid, false);

		const newKeys = stored.map((item) => item.json.key);
		for (const key of [...newKeys, SEED.tenantKey.value])
			assert.ok(!logText.includes(key), 'a key appeared in n8n’s log output');
		// The workflow saves no execution data, so n8n's database never holds the new keys.
		// SQLite in WAL mode keeps recent writes in database.sqlite-wal until a checkpoint.
		const database = () =>
			Buffer.concat(
				['database.sqlite', 'database.sqlite-wal']
					.map((file) => path.join(userFolder, '.n8n', file))
					.filter((file) => fs.existsSync(file))
					.map((file) => fs.readFileSync(file)),
			);
		for (const key of newKeys)
			assert.equal(database().includes(key), false, 'a new key was stored in n8n’s database');

		// Control: the same workflow with n8n's default settings does leave the keys in the database,
		// so the check above can see them; the example's settings are what keeps them out.
		const saving = await execute(KEY_ROTATION_SAVING);
		assert.equal(saving.code, 0);
		const savedKeys = outputOf(saving.run, 'Store the new keys').map((item) => item.json.key);
		assert.ok(
			savedKeys.some((key) => database().includes(key)),
			'the control run should have stored its keys',
		);
	});
});

describe('failures in a real n8n show the mapped messages', () => {
	// The key rotation above replaced the seeded number key this needs.
	beforeEach(() => control('POST', '/reset'));

	test('a wrong key', async () => {
		const { code, stdout } = await execute(NEGATIVE.wrongKey);
		assert.equal(code, 1);
		assert.match(stdout, /Pilot Status did not accept the API key \(401 Unauthorized\)/);
		assert.ok(!stdout.includes('ps_example_wrong_key'));
	});

	test('a number-scoped key', async () => {
		const { code, stdout } = await execute(NEGATIVE.numberKey);
		assert.equal(code, 1);
		assert.match(
			stdout,
			/This operation needs the tenant API key, but the credential holds a number-scoped key \(403 NUMBER_SCOPE_NOT_ALLOWED\)/,
		);
		assert.ok(!stdout.includes(SEED.numbers[0].key.value));
	});
});

// Last: this starts n8n on the same folder, and uninstalls the package at the end.
describe('the package as n8n’s Community Nodes screen sees it', () => {
	let n8n;
	let client;
	const nodesDir = () => path.join(userFolder, '.n8n', 'nodes');
	const ledger = () => JSON.parse(fs.readFileSync(path.join(nodesDir(), 'package.json'), 'utf8'));

	before(async () => {
		n8n = await startN8n({ name: 'community-nodes', userFolder });
		client = await new N8nClient(n8n.url).signIn();
	});
	after(() => n8n?.stop());

	/**
	 * The screen's list. n8n asks npm for updates first (`npm outdated`); n8n 1.x runs npm without
	 * the environment's npm settings, so where the registry needs them that takes npm's retries.
	 */
	const listPackages = () =>
		client.request('GET', '/community-packages', { timeoutMs: 5 * 60_000 });

	test('Settings → Community nodes lists it at its version, loaded; n8n’s ledger is usable', async () => {
		const packages = await listPackages();
		const listed = packages.find((entry) => entry.packageName === env.PACKAGE.name);
		assert.ok(listed, `not listed: ${JSON.stringify(packages)}`);
		assert.equal(listed.installedVersion, env.PACKAGE.version);
		// 2.x says false; 1.x sets it only on a package it could not load.
		assert.equal(listed.failedLoading ?? false, false);
		assert.deepEqual(listed.installedNodes.map((node) => [node.type, node.name]).sort(), [
			[`${env.PACKAGE.name}.pilotStatus`, 'Pilot Status'],
			[`${env.PACKAGE.name}.pilotStatusTrigger`, 'Pilot Status Trigger'],
		]);
		assert.deepEqual(ledger().dependencies, { [env.PACKAGE.name]: env.PACKAGE.version });
		assert.doesNotMatch(n8n.log(), /ledger/i);
	});

	test('its Uninstall removes the package, its files and its ledger entry', async () => {
		await client.request('DELETE', '/community-packages', { query: { name: env.PACKAGE.name } });
		const packages = await listPackages();
		assert.deepEqual(
			packages.map((entry) => entry.packageName),
			[],
		);
		assert.equal(fs.existsSync(path.join(nodesDir(), 'node_modules', env.PACKAGE.name)), false);
		// n8n 1.x's Uninstall leaves its ledger as it is (it never reads it back); 2.x updates it.
		if (env.N8N_MAJOR >= 2) assert.deepEqual(ledger().dependencies, {});
		assert.doesNotMatch(n8n.log(), /ledger/i);
	});
});
