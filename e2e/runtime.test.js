'use strict';
// What only a running n8n 2.41 can show: one `n8n start` (SQLite) with the package installed as the
// Community Nodes screen installs it, N8N_WEBHOOK_URL pointing at itself and the sandbox as the
// API. The Pilot Status Trigger published for real (registration once, also across a restart;
// duplicates, forgeries and bad bodies at its URL; deactivation that fails half-way), Wait for
// Connection with Resume When: Pilot Status Notifies (an execution that waits while nothing runs,
// resumed by the sandbox's event, across a restart, or by n8n's own timeout), and a Base URL that
// redirects. The checks read what n8n stored (executions over its REST API) and what reached the
// sandbox (its request log and state). Run with `npm run test:runtime`; about 2 minutes.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const env = require('../scripts/lib/n8n-env');
const { sandboxCredential } = require('../scripts/lib/examples');
const {
	N8nClient,
	own,
	removeOnExit,
	sleep,
	startN8n,
	waitFor,
} = require('../scripts/lib/n8n-server');
const {
	approvalWorkflow,
	onboardingWorkflow,
	triggerWorkflow,
} = require('../scripts/lib/workflows');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');
const {
	startCutOffProxy,
	startDripServer,
	startRedirectServer,
} = require('../test/helpers/badServers');

const ACTION_TYPE = 'n8n-nodes-pilot-status.pilotStatus';
const TRIGGER_EVENTS = [
	'message.delivered',
	'message.sent',
	'number.connected',
	'number.disconnected',
];
const WAIT_MARKER = 'n8n Wait for Connection';
const WAIT_NODE = 'Wait for Connection';
const SEEDED_IDS = SEED.numbers.map((number) => number.id);

let sandbox;
let n8n;
let client;
let credential;
let userFolder;
let keep;
/** What the suite measured; printed at the end. */
const figures = { startedAt: Date.now() };

// ---------------------------------------------------------------------------------------------
// The sandbox

const control = (method, route, body) => sandbox.control(method, route, body);

/** API requests the sandbox received after request number `since` (0: all). */
const requestsSince = (since = 0) => control('GET', `/requests?since=${since}`);
/** The number of the last request logged so far, to read only what comes after it. */
const lastSeq = async () => (await requestsSince()).at(-1)?.seq ?? 0;
const state = () => control('GET', '/state');

const apiRequests = (requests, method, prefix) =>
	requests.filter((request) => request.method === method && request.path.startsWith(prefix));

async function postJson(url, body, { contentType = 'application/json', raw = false } = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: raw ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body: parsed };
}

// ---------------------------------------------------------------------------------------------
// Workflows

async function publishNew(workflow) {
	const created = await client.createWorkflow(workflow);
	await client.publish(created.id);
	return created;
}

// ---------------------------------------------------------------------------------------------
// Executions

async function executionIds(workflowId) {
	return new Set((await client.listExecutions({ workflowId })).map((execution) => execution.id));
}

/** Output items of a node's last run. */
function lastOutput(execution, nodeName, output = 0) {
	return execution.data?.resultData?.runData?.[nodeName]?.at(-1)?.data?.main?.[output] ?? [];
}

const errorOf = (execution) => execution.data?.resultData?.error;

/** Waits until every execution of the workflow has left new/running (webhooks answer first). */
async function settled(workflowId, { settleMs = 1500 } = {}) {
	await sleep(settleMs);
	await waitFor(
		`executions of ${workflowId} to finish`,
		async () =>
			(await client.listExecutions({ workflowId })).every(
				(execution) => !['new', 'running'].includes(execution.status),
			),
		{ timeoutMs: 60_000 },
	);
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

before(
	async () => {
		const started = Date.now();
		// What is proven here is n8n 2.x's runtime (publication, resume tokens, no checkExists on
		// start, resumeError); n8n 1.x differs on each of them.
		if (env.N8N_MAJOR < 2)
			throw new Error(
				`e2e/runtime.test.js checks n8n 2.41's runtime; PILOT_STATUS_N8N picks ${env.N8N_VERSION}`,
			);
		await env.ensureN8n();
		sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
		own(sandbox.child);
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-runtime-'));
		keep = process.env.KEEP_E2E ? { forget() {} } : removeOnExit(userFolder);
		const installing = Date.now();
		const installed = await env.installThisPackage(userFolder);
		assert.ok(
			fs.existsSync(path.join(installed, 'dist/nodes/PilotStatus/PilotStatusTrigger.node.js')),
		);
		figures.installMs = Date.now() - installing;
		const port = await env.freePort();
		n8n = await startN8n({
			name: 'n8n',
			userFolder,
			port,
			env: {
				// Where registered trigger URLs and $execution.resumeUrl point: this n8n.
				N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			},
		});
		figures.firstStartMs = n8n.startupMs;
		client = await new N8nClient(n8n.url).signIn();
		credential = await client.createCredential(
			sandboxCredential(undefined, 'Pilot Status account', sandbox.url, SEED.tenantKey.value),
		);
		assert.doesNotMatch(n8n.log(), /Unrecognized node type|Error loading package/i);
		figures.setupMs = Date.now() - started;
	},
	{ timeout: 20 * 60_000 },
);

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
	figures.totalMs = Date.now() - figures.startedAt;
	env.say(`\nRuntime figures:\n${JSON.stringify(figures, null, 2)}`);
	if (userFolder && process.env.KEEP_E2E) env.say(`n8n user folder and log kept in ${userFolder}`);
	else if (userFolder) {
		fs.rmSync(userFolder, { recursive: true, force: true });
		keep?.forget();
	}
});

// ---------------------------------------------------------------------------------------------
// A. The trigger

/** The published trigger: workflow id, its n8n URL (without secret), registered webhooks. */
const trigger = { workflowId: undefined, url: undefined, registered: [] };

/** Sandbox webhooks that point at the trigger's URL (whatever their secret). */
const triggerWebhooks = (sandboxState) =>
	sandboxState.webhooks.filter((webhook) => webhook.url.split('?')[0] === trigger.url);

const webhookFor = (numberId) =>
	trigger.registered.find((webhook) => webhook.whatsappNumberIds.includes(numberId));

/** Trigger executions (newest first) with the event and event id each one received. */
async function triggerRuns() {
	const runs = [];
	for (const summary of await client.listExecutions({ workflowId: trigger.workflowId })) {
		const execution = await client.getExecution(summary.id);
		const [item] = lastOutput(execution, 'Pilot Status Trigger');
		runs.push({
			id: execution.id,
			status: execution.status,
			event: item?.json?.event,
			eventId: item?.json?.data?.id,
			item,
		});
	}
	return runs;
}

async function runsFor(eventId, event) {
	await settled(trigger.workflowId);
	return (await triggerRuns()).filter(
		(run) => run.eventId === eventId && (event === undefined || run.event === event),
	);
}

/** The account's numbers now: what "All Numbers" means when the trigger is published. */
const accountNumbers = async () => (await state()).numbers.map((number) => number.id).sort();

/** Checks that the sandbox holds exactly one trigger webhook per number, each with its own secret. */
async function assertOneWebhookPerNumber(numberIds) {
	const webhooks = triggerWebhooks(await state());
	assert.deepEqual(
		webhooks.flatMap((webhook) => webhook.whatsappNumberIds).sort(),
		[...numberIds].sort(),
		`one trigger webhook per number: ${JSON.stringify(webhooks)}`,
	);
	const secrets = webhooks.map((webhook) => new URL(webhook.url).searchParams.get('secret'));
	assert.ok(
		secrets.every((secret) => /^[0-9a-f]{64}$/.test(secret)),
		`secrets: ${secrets}`,
	);
	assert.equal(new Set(secrets).size, webhooks.length, 'every number has its own secret');
	for (const webhook of webhooks) assert.deepEqual(webhook.events, TRIGGER_EVENTS);
	return webhooks;
}

// ---------------------------------------------------------------------------------------------
// B. Wait for Connection, Resume When: Pilot Status Notifies

/** Published onboarding workflows: connect (10 min, output), timeoutOutput / timeoutFail (1 min). */
const flows = {};
/** Waits started, by name: { executionId, numberId, workflowId, ... }. */
const waits = {};

/** Webhook (deal won) → Create Number → Wait for Connection (Pilot Status Notifies) → No Operation. */
async function publishFlow(key, label, { timeout, ifNotConnected }) {
	const { workflow, webhookPath } = onboardingWorkflow({
		credential,
		resumeWhen: 'webhook',
		timeoutMinutes: timeout,
		ifNotConnected,
		name: `Runtime: onboarding, wait ${timeout} min, ${ifNotConnected}`,
		webhookPath: `pilot-status-runtime-${label}-${crypto.randomBytes(3).toString('hex')}`,
	});
	const { id } = await publishNew(workflow);
	flows[key] = { id, webhookPath };
}

/**
 * A deal is won: the Webhook starts the onboarding, which creates a number and puts the execution
 * to wait. Resolves once n8n lists the new execution as waiting.
 */
async function startWait(flowKey, name, phone) {
	const flow = flows[flowKey];
	assert.ok(flow, `workflow ${flowKey} was not published`);
	const known = await executionIds(flow.id);
	const started = Date.now();
	const response = await postJson(`${n8n.url}/webhook/${flow.webhookPath}`, {
		customer: name,
		phone,
	});
	assert.equal(response.status, 200, JSON.stringify(response.body));
	const summary = await waitFor(
		`a waiting execution of ${flowKey}`,
		async () => {
			const fresh = (await client.listExecutions({ workflowId: flow.id })).find(
				(execution) => !known.has(execution.id),
			);
			if (fresh && !['new', 'running', 'waiting'].includes(fresh.status)) {
				const execution = await client.getExecution(fresh.id);
				throw new Error(
					`execution ${fresh.id} ended ${fresh.status} instead of waiting: ${JSON.stringify(errorOf(execution))}`,
				);
			}
			return fresh?.status === 'waiting' ? fresh : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 200 },
	);
	const execution = await client.getExecution(summary.id);
	const [created] = lastOutput(execution, 'Create Number');
	assert.match(created?.json?.id ?? '', /^num_/);
	return {
		flowKey,
		workflowId: flow.id,
		executionId: String(summary.id),
		numberId: created.json.id,
		waitTill: summary.waitTill,
		resumeToken: execution.data.resumeToken,
		startMs: Date.now() - started,
	};
}

/** Temporary webhooks of Wait for Connection in the sandbox. */
const tempWebhooks = (sandboxState) =>
	sandboxState.webhooks.filter((webhook) => String(webhook.name).startsWith(WAIT_MARKER));

/** The one temporary webhook the wait registered, checked against what n8n stored. */
async function assertTempWebhook(wait) {
	const mine = tempWebhooks(await state()).filter((webhook) =>
		webhook.whatsappNumberIds.includes(wait.numberId),
	);
	assert.equal(
		mine.length,
		1,
		`one temporary webhook for ${wait.numberId}: ${JSON.stringify(mine)}`,
	);
	const [webhook] = mine;
	const match = /^n8n Wait for Connection · execution (\S+) · until (\S+)$/.exec(webhook.name);
	assert.ok(match, `name: ${webhook.name}`);
	assert.equal(match[1], wait.executionId);
	assert.equal(new Date(match[2]).toISOString(), match[2], 'an ISO date');
	// The deadline in the name is the one n8n waits until.
	assert.ok(
		Math.abs(Date.parse(match[2]) - Date.parse(wait.waitTill)) < 1000,
		`until ${match[2]}, n8n waits till ${wait.waitTill}`,
	);
	const url = new URL(webhook.url);
	assert.equal(url.origin, n8n.url);
	assert.equal(url.pathname, `/webhook-waiting/${wait.executionId}`);
	// The execution's own resume URL (signature = its resume token), plus the wait's secret.
	assert.ok(wait.resumeToken, 'the execution has a resume token');
	assert.equal(url.searchParams.get('signature'), wait.resumeToken);
	assert.match(url.searchParams.get('secret') ?? '', /^[0-9a-f]{64}$/);
	assert.equal(url.searchParams.get('number'), wait.numberId);
	assert.deepEqual(webhook.events, ['number.connected']);
	return webhook;
}

const statusPolls = (requests, numberId) =>
	requests.filter(
		(request) => request.method === 'GET' && request.path === `/v1/numbers/${numberId}/status`,
	);

async function isWaiting(wait) {
	const waiting = await client.listExecutions({ workflowId: wait.workflowId, status: ['waiting'] });
	return waiting.some((execution) => String(execution.id) === wait.executionId);
}

/** The customer scans the QR code: the sandbox delivers number.connected to the resume URL. */
async function scanAndResume(wait) {
	const resuming = Date.now();
	const before = await lastSeq();
	const scanned = await control('POST', `/numbers/${wait.numberId}/scan`);
	assert.deepEqual(
		scanned.deliveries.map((delivery) => [delivery.statusCode, JSON.parse(delivery.response)]),
		[[200, { received: true, resumed: true }]],
	);
	const execution = await client.waitForExecution(wait.executionId, undefined, {
		timeoutMs: 60_000,
	});
	wait.resumeMs = Date.now() - resuming;
	assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
	const [waited] = lastOutput(execution, WAIT_NODE);
	assert.deepEqual(
		{ ...waited.json, waitedSeconds: 0 },
		{
			numberId: wait.numberId,
			connected: true,
			reason: null,
			state: 'OPEN',
			isFullyConnected: true,
			waitedSeconds: 0,
			// One status check when the wait began, one confirming the event (issue 18, item 2).
			polls: 2,
		},
	);
	assert.ok(waited.json.waitedSeconds > 0);
	assert.equal(lastOutput(execution, 'Connected').length, 1, 'the node after the wait ran');
	// The temporary webhook is gone (deleted right after the resume answered Pilot Status).
	await waitFor(
		'the temporary webhook gone',
		async () =>
			!(await state()).webhooks.some((webhook) =>
				webhook.whatsappNumberIds.includes(wait.numberId),
			),
		{ timeoutMs: 10_000 },
	);
	// Deleted by the ID kept in the waiting execution's stack entry metadata (with the wait's start,
	// which only lets the current wait's URL resume it): n8n stored that metadata, so the resume did
	// not list the account's webhooks.
	const resume = await requestsSince(before);
	assert.equal(apiRequests(resume, 'DELETE', '/v1/webhooks/').length, 1);
	assert.deepEqual(
		resume.filter((request) => request.method === 'GET' && request.path === '/v1/webhooks'),
		[],
	);
	return execution;
}

/** A server that records what reaches it and answers like the API would (an empty list). */
async function startRecorder() {
	const received = [];
	const server = http.createServer((req, res) => {
		received.push({ method: req.method, url: req.url, headers: req.headers });
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('[]');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		received,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

// ---------------------------------------------------------------------------------------------
// The tests, in the order they run. One n8n for all of them; the two 1-minute waits of B.3 begin
// right after the trigger is published and time out while the rest of A, B.1/B.2 (with the
// restart) and A.5 run, so their minute costs little.

describe('A. the Pilot Status Trigger, published in a real n8n', () => {
	test('1. publishing registers one webhook per number, once, each URL with its own secret', async () => {
		await control('POST', '/reset');
		const workflow = triggerWorkflow({
			credential,
			events: TRIGGER_EVENTS,
			name: 'Runtime: Pilot Status events',
		});
		const started = Date.now();
		trigger.workflowId = (await publishNew(workflow)).id;
		figures.triggerPublishMs = Date.now() - started;
		const webhookId = workflow.nodes[0].webhookId;
		trigger.url = `${n8n.url}/webhook/${webhookId}/webhook`;
		// Anything n8n might still do with a freshly published workflow.
		await sleep(1500);
		const requests = await requestsSince(0);
		const posts = apiRequests(requests, 'POST', '/v1/webhooks');
		assert.equal(posts.length, SEEDED_IDS.length, 'one POST /v1/webhooks per number');
		assert.deepEqual(
			posts.map((post) => post.body.whatsappNumberId).sort(),
			[...SEEDED_IDS].sort(),
		);
		for (const post of posts) assert.equal(post.body.url.split('?')[0], trigger.url);
		trigger.registered = await assertOneWebhookPerNumber(SEEDED_IDS);
		figures.registration = {
			postWebhooks: posts.length,
			requests: requests.map((request) => `${request.method} ${request.path}`),
		};
	});
});

describe('B. Wait for Connection, Resume When: Pilot Status Notifies: two 1-minute waits begin', () => {
	before(async () => {
		await publishFlow('connect', 'connect', { timeout: 10, ifNotConnected: 'output' });
		await publishFlow('timeoutOutput', 'timeout-output', { timeout: 1, ifNotConnected: 'output' });
		await publishFlow('timeoutFail', 'timeout-fail', { timeout: 1, ifNotConnected: 'fail' });
	});

	test('3a. two 1-minute waits begin (they time out by themselves, after the restart: see the last test)', async () => {
		waits.timeoutOutput = await startWait('timeoutOutput', 'Farmácia', '+55 11 97000-0003');
		waits.timeoutFail = await startWait('timeoutFail', 'Oficina', '+55 11 97000-0004');
		for (const wait of [waits.timeoutOutput, waits.timeoutFail]) {
			assert.ok(await isWaiting(wait));
			await assertTempWebhook(wait);
		}
		waits.timeoutOutput.startedAt = Date.now();
	});
});

describe('A. the Pilot Status Trigger (while the 1-minute waits wait)', () => {
	test('2. duplicate deliveries are dropped; dedupe keys on event and id', async () => {
		assert.ok(trigger.workflowId, 'the trigger was not published');
		// The service retries: the same payload twice, one after the other.
		const repeated = await control('POST', '/events', {
			numberId: 'num_suporte',
			event: 'number.connected',
			repeat: 2,
		});
		assert.deepEqual(
			repeated.deliveries.map((delivery) => [delivery.statusCode, JSON.parse(delivery.response)]),
			[
				[200, { received: true }],
				[200, { received: true, duplicate: true }],
			],
		);
		const eventId = repeated.event.data.id;
		let runs = await runsFor(eventId);
		assert.equal(runs.length, 1, 'repeat: 2 → one execution');
		assert.equal(runs[0].status, 'success');
		assert.equal(runs[0].item.json.numberId, 'num_suporte');
		assert.equal(runs[0].item.json.event, 'number.connected');

		// Later: the same event id once more through the sandbox, and the identical payload sent
		// straight to the registered URL.
		const again = await control('POST', '/events', {
			numberId: 'num_suporte',
			event: 'number.connected',
			data: { id: eventId },
		});
		assert.deepEqual(
			again.deliveries.map((delivery) => [delivery.statusCode, JSON.parse(delivery.response)]),
			[[200, { received: true, duplicate: true }]],
		);
		const direct = await postJson(webhookFor('num_suporte').url, repeated.event);
		assert.deepEqual(direct, { status: 200, body: { received: true, duplicate: true } });
		runs = await runsFor(eventId);
		assert.equal(runs.length, 1, 'delivered four times → still one execution');

		// Message events share one id across sent and delivered: two events, two executions.
		const messageId = `msg_${crypto.randomBytes(6).toString('hex')}`;
		for (const event of ['message.sent', 'message.sent', 'message.delivered']) {
			const delivered = await control('POST', '/events', {
				numberId: 'num_vendas',
				event,
				data: { id: messageId },
			});
			assert.deepEqual(
				delivered.deliveries.map((delivery) => delivery.statusCode),
				[200],
			);
		}
		const messageRuns = await runsFor(messageId);
		assert.deepEqual(messageRuns.map((run) => run.event).sort(), [
			'message.delivered',
			'message.sent',
		]);
		assert.ok(messageRuns.every((run) => run.status === 'success'));
	});

	test('3. no secret → 401, another number’s event → 403, a non-object body → 400; none runs', async () => {
		assert.ok(trigger.workflowId, 'the trigger was not published');
		const before = await executionIds(trigger.workflowId);
		const suporteUrl = new URL(webhookFor('num_suporte').url);
		const event = (numberId) => ({
			event: 'number.connected',
			data: { id: `evt_forged_${crypto.randomBytes(4).toString('hex')}`, numberId, state: 'OPEN' },
			createdAt: new Date().toISOString(),
		});
		const withoutSecret = new URL(suporteUrl);
		withoutSecret.searchParams.delete('secret');
		const wrongSecret = new URL(suporteUrl);
		wrongSecret.searchParams.set('secret', crypto.randomBytes(32).toString('hex'));
		const answers = {
			noSecret: await postJson(withoutSecret, event('num_suporte')),
			wrongSecret: await postJson(wrongSecret, event('num_suporte')),
			// num_suporte's URL (and secret) naming num_vendas.
			otherNumber: await postJson(suporteUrl, event('num_vendas')),
			otherNumberByInstanceId: await postJson(suporteUrl, {
				event: 'number.connected',
				data: { id: 'evt_instance', instanceId: 'num_vendas' },
			}),
			array: await postJson(suporteUrl, [event('num_suporte')]),
			string: await postJson(suporteUrl, 'number.connected'),
			number: await postJson(suporteUrl, '42', { raw: true }),
			noEvent: await postJson(suporteUrl, { data: { id: 'evt_no_event' } }),
			emptyBody: await postJson(suporteUrl, '', { raw: true }),
		};
		figures.refusals = Object.fromEntries(
			Object.entries(answers).map(([name, answer]) => [name, answer.status]),
		);
		assert.equal(answers.noSecret.status, 401);
		assert.equal(answers.wrongSecret.status, 401);
		assert.equal(answers.otherNumber.status, 403);
		assert.equal(answers.otherNumberByInstanceId.status, 403);
		for (const name of ['array', 'string', 'number', 'noEvent', 'emptyBody'])
			assert.equal(answers[name].status, 400, `${name}: ${JSON.stringify(answers[name])}`);
		await sleep(1500);
		assert.deepEqual(await executionIds(trigger.workflowId), before, 'no execution started');
	});

	test('4. unpublishing removes the webhooks; a failed DELETE is left, then cleaned up by the next publish', async () => {
		assert.ok(trigger.workflowId, 'the trigger was not published');
		// Unpublish: every webhook it registered is deleted.
		let since = await lastSeq();
		await client.unpublish(trigger.workflowId);
		let requests = await requestsSince(since);
		assert.deepEqual(
			apiRequests(requests, 'DELETE', '/v1/webhooks/')
				.map((request) => request.path)
				.sort(),
			trigger.registered.map((webhook) => `/v1/webhooks/${webhook.id}`).sort(),
		);
		assert.deepEqual(triggerWebhooks(await state()), []);

		// Publish again: a fresh webhook per number. "All Numbers" are the numbers the account has
		// now: the seeded ones and the two the 1-minute waits created.
		const numbers = await accountNumbers();
		assert.equal(numbers.length, SEEDED_IDS.length + 2);
		since = await lastSeq();
		await client.publish(trigger.workflowId);
		requests = await requestsSince(since);
		assert.equal(apiRequests(requests, 'POST', '/v1/webhooks').length, numbers.length);
		trigger.registered = await assertOneWebhookPerNumber(numbers);

		// Unpublish while Pilot Status refuses to delete one of them (503, more often than n8n tries).
		const stuck = webhookFor('num_vendas');
		const stuckPath = `/v1/webhooks/${stuck.id}`;
		await control('POST', '/faults', {
			type: 'status',
			status: 503,
			method: 'DELETE',
			path: stuckPath,
			count: 5,
		});
		since = await lastSeq();
		const unpublishing = Date.now();
		await client.unpublish(trigger.workflowId);
		figures.failingUnpublishMs = Date.now() - unpublishing;
		requests = await requestsSince(since);
		const stuckDeletes = requests.filter(
			(request) => request.method === 'DELETE' && request.path === stuckPath,
		);
		figures.deleteAttemptsOnStuckWebhook = stuckDeletes.length;
		// n8n 2.41 tries a failing deactivation 3 times.
		assert.equal(
			stuckDeletes.length,
			3,
			JSON.stringify(requests.map((r) => [r.method, r.path, r.status])),
		);
		assert.ok(stuckDeletes.every((request) => request.status === 503));
		assert.deepEqual(
			triggerWebhooks(await state()).map((webhook) => webhook.id),
			[stuck.id],
			'only the webhook that could not be deleted is left',
		);
		assert.equal((await client.publicationStatus(trigger.workflowId)).status, 'not_published');
		// n8n shows the node's error only in its log.
		figures.deactivationErrorLogged = n8n.log().includes(`could not be deleted: ${stuck.id}`);

		// The service answers again (the two faults n8n did not use are dropped): publishing
		// removes the leftover and registers every number.
		await control('DELETE', '/faults');
		since = await lastSeq();
		await client.publish(trigger.workflowId);
		requests = await requestsSince(since);
		assert.ok(
			requests.some(
				(request) =>
					request.method === 'DELETE' && request.path === stuckPath && request.status === 200,
			),
			'the leftover was deleted',
		);
		assert.equal(apiRequests(requests, 'POST', '/v1/webhooks').length, numbers.length);
		trigger.registered = await assertOneWebhookPerNumber(numbers);
		assert.ok(!trigger.registered.some((webhook) => webhook.id === stuck.id));
		// And it delivers.
		const delivered = await control('POST', '/events', {
			numberId: 'num_vendas',
			event: 'number.disconnected',
		});
		assert.deepEqual(
			delivered.deliveries.map((delivery) => [delivery.statusCode, delivery.webhookId]),
			[[200, webhookFor('num_vendas').id]],
		);
		assert.equal((await runsFor(delivered.event.data.id)).length, 1);
	});
});

describe('B. Wait for Connection: resumed by the event, also across a restart of n8n', () => {
	test('1. the execution waits while nothing runs, then the scan resumes it connected (and 4. forged calls change nothing)', async () => {
		const since = await lastSeq();
		waits.first = await startWait('connect', 'Padaria', '+55 11 97000-0001');
		// Resumed after the restart, in the next test.
		waits.second = await startWait('connect', 'Mercado', '+55 11 97000-0002');
		figures.waitStartMs = waits.first.startMs;
		for (const wait of [waits.first, waits.second]) {
			assert.ok(await isWaiting(wait), `execution ${wait.executionId} is listed as waiting`);
			wait.webhook = await assertTempWebhook(wait);
		}

		// 4. Calls to the resume URL without the wait's secret: 401, and the execution keeps waiting.
		const resumeUrl = new URL(waits.first.webhook.url);
		const payload = {
			event: 'number.connected',
			data: { id: 'evt_forged', numberId: waits.first.numberId, state: 'OPEN' },
			createdAt: new Date().toISOString(),
		};
		const noSecret = new URL(resumeUrl);
		noSecret.searchParams.delete('secret');
		const wrongSecret = new URL(resumeUrl);
		wrongSecret.searchParams.set('secret', crypto.randomBytes(32).toString('hex'));
		const noSignature = new URL(resumeUrl);
		noSignature.searchParams.delete('signature');
		// The other execution's secret on this execution's URL.
		const otherSecret = new URL(resumeUrl);
		otherSecret.searchParams.set(
			'secret',
			new URL(waits.second.webhook.url).searchParams.get('secret'),
		);
		const forged = {
			noSecret: await postJson(noSecret, payload),
			wrongSecret: await postJson(wrongSecret, payload),
			otherExecutionsSecret: await postJson(otherSecret, payload),
			noSignature: await postJson(noSignature, payload),
		};
		figures.forgedResumeCalls = Object.fromEntries(
			Object.entries(forged).map(([name, answer]) => [name, answer.status]),
		);
		for (const [name, answer] of Object.entries(forged))
			assert.equal(answer.status, 401, `${name}: ${JSON.stringify(answer)}`);
		await sleep(1000);
		assert.ok(await isWaiting(waits.first), 'still waiting after the forged calls');
		assert.ok(await isWaiting(waits.second));
		await assertTempWebhook(waits.first);

		// Nothing ran for the waiting executions: each number's state was checked once, when the wait began.
		let requests = await requestsSince(since);
		for (const wait of [waits.first, waits.second])
			assert.equal(
				statusPolls(requests, wait.numberId).length,
				1,
				`status checks of ${wait.numberId}`,
			);

		await scanAndResume(waits.first);
		figures.resumeByEventMs = waits.first.resumeMs;
		requests = await requestsSince(since);
		// The resume confirmed the event with one status check; nothing else ran.
		assert.equal(statusPolls(requests, waits.first.numberId).length, 2);
	});

	test('1b. a forged number.connected with the right secret, while the number is not connected, does not resume the execution (issue 18, item 2)', async () => {
		// Whoever holds the number's own key can list its webhooks and read the resume URL with its
		// secret. The number is still pairing in the sandbox; the real scan resumes it in test 2.
		assert.ok(waits.second?.webhook, 'the second wait did not start');
		const since = await lastSeq();
		const forged = await postJson(waits.second.webhook.url, {
			event: 'number.connected',
			data: { id: 'evt_forged_right_secret', numberId: waits.second.numberId, state: 'OPEN' },
			createdAt: new Date().toISOString(),
		});
		figures.forgedConnectedWithSecret = forged;
		assert.equal(forged.status, 409, JSON.stringify(forged));
		assert.match(JSON.stringify(forged.body), /does not confirm number\.connected/);
		await sleep(1000);
		assert.ok(await isWaiting(waits.second), 'still waiting after the forged event');
		// The webhook stays for the real event; the wait asked Pilot Status once.
		await assertTempWebhook(waits.second);
		const requests = await requestsSince(since);
		assert.equal(statusPolls(requests, waits.second.numberId).length, 1);
		assert.deepEqual(apiRequests(requests, 'DELETE', '/v1/webhooks/'), []);
	});

	test('2. n8n stopped and started again during the wait: the scan still resumes it; the trigger is not registered again', async () => {
		assert.ok(waits.second, 'the second wait did not start');
		assert.ok(trigger.workflowId, 'the trigger was not published');
		// An event the trigger has seen before the restart.
		const seen = await control('POST', '/events', {
			numberId: 'num_suporte',
			event: 'number.disconnected',
		});
		assert.deepEqual(
			seen.deliveries.map((delivery) => delivery.statusCode),
			[200],
		);
		assert.equal((await runsFor(seen.event.data.id)).length, 1);

		// Keep the restart clear of the moment the 1-minute waits fall due (on a slow machine the
		// tests before may have taken most of that minute): then let n8n resume them first.
		const timeouts = [waits.timeoutOutput, waits.timeoutFail].filter(Boolean);
		const due = Math.min(...timeouts.map((wait) => Date.parse(wait.waitTill)));
		if (due - Date.now() < 20_000) {
			figures.restartPostponedForTimeouts = true;
			await Promise.all(
				timeouts.map((wait) =>
					client.waitForExecution(wait.executionId, undefined, { timeoutMs: 150_000 }),
				),
			);
		}

		const beforeRestart = await lastSeq();
		const restarting = Date.now();
		n8n = await n8n.restart();
		await client.login();
		figures.restartMs = Date.now() - restarting;
		figures.restartStartupMs = n8n.startupMs;
		// Whatever n8n does at startup (waiting executions, published triggers) settles.
		await sleep(2000);
		// n8n 2.41 does not call checkExists or create on start: nothing reached Pilot Status.
		assert.deepEqual(
			(await requestsSince(beforeRestart)).map((request) => `${request.method} ${request.path}`),
			[],
			'n8n sent nothing to Pilot Status while restarting',
		);
		assert.ok(await isWaiting(waits.second), 'still waiting after the restart');
		await assertTempWebhook(waits.second);
		assert.deepEqual(
			triggerWebhooks(await state())
				.map((webhook) => webhook.id)
				.sort(),
			trigger.registered.map((webhook) => webhook.id).sort(),
		);

		// The trigger delivers after the restart, and still knows the event it saw before it.
		const fresh = await control('POST', '/events', {
			numberId: 'num_suporte',
			event: 'number.connected',
		});
		assert.deepEqual(
			fresh.deliveries.map((delivery) => [delivery.statusCode, JSON.parse(delivery.response)]),
			[[200, { received: true }]],
		);
		const replay = await postJson(webhookFor('num_suporte').url, seen.event);
		figures.duplicateAcrossRestart = replay;
		assert.equal((await runsFor(fresh.event.data.id)).length, 1);
		assert.equal(
			(await runsFor(seen.event.data.id)).length,
			1,
			`an event seen before the restart ran again (answer ${JSON.stringify(replay)})`,
		);
		assert.deepEqual(replay, { status: 200, body: { received: true, duplicate: true } });

		// The wait resumes from the event. Its status checks: when it began (before the restart), the
		// one that refused test 1b's forged event, and the one confirming this event.
		await scanAndResume(waits.second);
		const requests = await requestsSince(0);
		assert.equal(statusPolls(requests, waits.second.numberId).length, 3);
		// Still nothing registered again for the trigger, and its webhooks were never looked up.
		const sinceRestart = await requestsSince(beforeRestart);
		assert.deepEqual(
			apiRequests(sinceRestart, 'POST', '/v1/webhooks').filter(
				(request) => request.body.url.split('?')[0] === trigger.url,
			),
			[],
		);
		assert.deepEqual(apiRequests(sinceRestart, 'GET', '/v1/webhooks/'), []);
	});
});

describe('A. redirects in a real n8n', () => {
	test('5. a Base URL that redirects: the execution fails with the node’s message, the key goes nowhere else, the credential test says so', async () => {
		const target = await startRecorder();
		const redirect = await startRedirectServer({ status: 302, location: target.url });
		try {
			const redirecting = await client.createCredential(
				sandboxCredential(
					undefined,
					'Pilot Status (redirecting)',
					redirect.url,
					SEED.tenantKey.value,
				),
			);
			const { id } = await client.createWorkflow({
				name: 'Runtime: list numbers behind a redirect',
				settings: { executionOrder: 'v1' },
				nodes: [
					{
						id: 'runtime-redirect-start',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: 'runtime-redirect-list',
						name: 'Get Many Numbers',
						type: ACTION_TYPE,
						typeVersion: 1,
						position: [220, 0],
						parameters: { resource: 'number', operation: 'getAll', returnAll: true },
						credentials: { pilotStatusApi: { id: redirecting.id, name: redirecting.name } },
					},
				],
				connections: {
					Start: { main: [[{ node: 'Get Many Numbers', type: 'main', index: 0 }]] },
				},
			});
			const run = await client.runManually(id, 'Start');
			assert.ok(run.executionId, `n8n did not start the run: ${JSON.stringify(run)}`);
			const execution = await client.waitForExecution(run.executionId, undefined, {
				timeoutMs: 60_000,
			});
			assert.equal(execution.status, 'error');
			const error = errorOf(execution);
			figures.redirectExecutionError = error?.message;
			assert.match(
				error?.message ?? '',
				/Pilot Status at http:\/\/127\.0\.0\.1:\d+ answered with a redirect \(302\), which the node does not follow: the API key was not sent anywhere else/,
			);
			assert.equal(error.message.includes(SEED.tenantKey.value), false);
			assert.equal(redirect.received.length, 1, 'one request to the Base URL');
			assert.equal(redirect.received[0].headers['x-api-key'], SEED.tenantKey.value);
			assert.deepEqual(target.received, [], 'nothing reached the redirect target');

			// The credential dialog's Test, through n8n's REST API.
			const verdict = await client.testCredential({
				id: redirecting.id,
				name: redirecting.name,
				type: 'pilotStatusApi',
				data: { keyType: 'apiKey', apiKey: SEED.tenantKey.value, baseUrl: redirect.url },
			});
			figures.redirectCredentialTest = verdict;
			assert.equal(verdict.status, 'Error');
			assert.match(
				verdict.message,
				/answered with a redirect \(302\), which is never followed: the key was not sent anywhere else/,
			);
			assert.equal(redirect.received.length, 2);
			assert.deepEqual(target.received, [], 'nothing reached the redirect target');
			// Nor did the key end up in what n8n stored or logged about the failure.
			assert.equal(JSON.stringify(execution).includes(SEED.tenantKey.value), false);
			assert.equal(n8n.log().includes(SEED.tenantKey.value), false);
		} finally {
			await redirect.stop();
			await target.stop();
		}
	});
});

// ---------------------------------------------------------------------------------------------
// B.3: the waits begun before the restart time out.

describe('B. Wait for Connection: the timeout path', () => {
	test('3b. after Give Up After, n8n resumes the waits itself: connected false (output) or the node’s error (fail)', async () => {
		assert.ok(waits.timeoutOutput && waits.timeoutFail, 'the 1-minute waits did not start');
		// n8n's wait tracker looks for due waits once a minute.
		const [output, failed] = await Promise.all(
			[waits.timeoutOutput, waits.timeoutFail].map((wait) =>
				client.waitForExecution(wait.executionId, undefined, {
					timeoutMs: 200_000,
					intervalMs: 1000,
				}),
			),
		);
		figures.timeoutResumedAfterMs = Date.now() - waits.timeoutOutput.startedAt;

		assert.equal(output.status, 'success', JSON.stringify(errorOf(output)));
		const [timedOut] = lastOutput(output, WAIT_NODE);
		assert.deepEqual(timedOut.json, {
			numberId: waits.timeoutOutput.numberId,
			connected: false,
			reason: 'timeout',
			state: 'CONNECTING',
			isFullyConnected: false,
			waitedSeconds: 60,
			polls: 1,
		});
		assert.equal(lastOutput(output, 'Connected').length, 1);

		assert.equal(failed.status, 'error');
		const error = errorOf(failed);
		figures.timeoutFailError = error?.message;
		assert.match(
			error?.message ?? '',
			new RegExp(`^Number "${waits.timeoutFail.numberId}" did not connect within 1 min`),
		);
		assert.equal(failed.data.resultData.lastNodeExecuted, WAIT_NODE);
		assert.equal(lastOutput(failed, 'Connected').length, 0);

		// No node code ran on the timeouts: their temporary webhooks are still there...
		const left = tempWebhooks(await state()).map((webhook) => webhook.whatsappNumberIds[0]);
		assert.deepEqual(
			left.sort(),
			[waits.timeoutOutput.numberId, waits.timeoutFail.numberId].sort(),
		);
		// ...until the next wait in webhook mode removes every expired one.
		waits.last = await startWait('connect', 'Livraria', '+55 11 97000-0005');
		assert.deepEqual(
			tempWebhooks(await state()).map((webhook) => webhook.whatsappNumberIds[0]),
			[waits.last.numberId],
			'only the new wait’s temporary webhook is left',
		);
		await assertTempWebhook(waits.last);
		await scanAndResume(waits.last);
		assert.deepEqual(tempWebhooks(await state()), []);
	});
});

// ---------------------------------------------------------------------------------------------
// C. Issue 18, items 1 and 6: an answer cut off mid-body, and a server that never finishes one.

/** Start → one Pilot Status node with `parameters` and `settings`, on a credential for `baseUrl`. */
async function runOneNode({ name, baseUrl, parameters, settings = {} }) {
	const account = await client.createCredential(
		sandboxCredential(undefined, `Pilot Status (${name})`, baseUrl, SEED.tenantKey.value),
	);
	const { id } = await client.createWorkflow({
		name: `Runtime: ${name}`,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `runtime-${crypto.randomBytes(4).toString('hex')}`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `runtime-${crypto.randomBytes(4).toString('hex')}`,
				name: 'Pilot Status',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { pilotStatusApi: { id: account.id, name: account.name } },
				...settings,
			},
		],
		connections: { Start: { main: [[{ node: 'Pilot Status', type: 'main', index: 0 }]] } },
	});
	const run = await client.runManually(id, 'Start');
	assert.ok(run.executionId, `n8n did not start the run: ${JSON.stringify(run)}`);
	return await client.waitForExecution(run.executionId, undefined, { timeoutMs: 120_000 });
}

describe('C. cut-off answers and deadlines in a real n8n', () => {
	test('1. Create under Retry On Fail, its answer cut off mid-body: one number, and the error says the change may or may not have happened', async () => {
		const proxy = await startCutOffProxy({
			upstream: sandbox.url,
			cut: (request) => request.method === 'POST',
		});
		try {
			const execution = await runOneNode({
				name: 'Create, answer cut off',
				baseUrl: proxy.url,
				parameters: {
					resource: 'number',
					operation: 'create',
					name: 'Runtime Cut Off',
					phoneNumber: '5511955550101',
				},
				settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
			});
			assert.equal(execution.status, 'error');
			const error = errorOf(execution);
			figures.cutOffExecutionError = error?.message;
			assert.match(
				error?.message ?? '',
				/^The answer from Pilot Status at http:\/\/127\.0\.0\.1:\d+ was cut off before it was complete/,
			);
			assert.match(error.message, /The change may or may not have been made/);
			assert.equal(proxy.received.filter((request) => request.method === 'POST').length, 1);
			const made = (await state()).numbers.filter((number) => number.name === 'Runtime Cut Off');
			assert.equal(made.length, 1, `numbers made: ${JSON.stringify(made)}`);
		} finally {
			await proxy.stop();
		}
	});

	test('2. a server that drips its answer one byte at a time: the request fails at Settings → Request Options → Timeout', async () => {
		const drip = await startDripServer({ intervalMs: 200 });
		try {
			const execution = await runOneNode({
				name: 'Get Many, answer dripping',
				baseUrl: drip.url,
				parameters: {
					resource: 'number',
					operation: 'getAll',
					returnAll: true,
					requestOptions: { timeout: 2000 },
				},
			});
			assert.equal(execution.status, 'error');
			const error = errorOf(execution);
			figures.dripExecutionError = error?.message;
			assert.match(
				error?.message ?? '',
				/^Pilot Status at http:\/\/127\.0\.0\.1:\d+ did not answer in time \(ETIMEDOUT\)\. Nothing was changed; try again\.$/,
			);
			const seconds = (Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000;
			figures.dripExecutionSeconds = seconds;
			// A bound, not a benchmark: the Timeout is 2 s; without the deadline it never ends.
			assert.ok(seconds < 2 + 3, `the execution took ${seconds} s`);
			assert.equal(drip.received.length, 1);
		} finally {
			await drip.stop();
		}
	});
});

describe('D. an inbound WhatsApp message starts a published workflow that replies (issue 21)', () => {
	const CUSTOMER = '+5511977776666';
	const [suporte] = SEED.numbers;

	/** Pilot Status Trigger (message.received, Download Media) → Message → Send back to the sender. */
	async function publishAutoReply() {
		// The documented way to send: the number-scoped key of the number that received the message.
		const numberKey = await client.createCredential(
			sandboxCredential(undefined, 'Suporte number key', sandbox.url, suporte.key.value),
		);
		const workflow = {
			name: 'Runtime: reply to inbound messages',
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'inbound-trigger',
					name: 'Pilot Status Trigger',
					type: 'n8n-nodes-pilot-status.pilotStatusTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: crypto.randomUUID(),
					parameters: {
						events: ['message.received'],
						numbers: 'selected',
						numberIds: [suporte.id],
						downloadMedia: true,
					},
					credentials: { pilotStatusApi: { id: credential.id, name: credential.name } },
				},
				{
					id: 'inbound-reply',
					name: 'Reply',
					type: ACTION_TYPE,
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						resource: 'message',
						operation: 'send',
						sendTo: 'phone',
						recipientPhoneNumber: '={{ $json.from }}',
						messageType: 'text',
						text: '=Recebemos: {{ $json.text }}',
					},
					credentials: { pilotStatusApi: { id: numberKey.id, name: numberKey.name } },
				},
			],
			connections: {
				'Pilot Status Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] },
			},
		};
		const { id } = await publishNew(workflow);
		const url = `${n8n.url}/webhook/${workflow.nodes[0].webhookId}/webhook`;
		await waitFor(
			'the trigger’s webhook for Suporte',
			async () =>
				(await state()).webhooks.find(
					(webhook) =>
						webhook.url.split('?')[0] === url && webhook.whatsappNumberIds.includes(suporte.id),
				),
			{ timeoutMs: 30_000 },
		);
		return { workflowId: id, url };
	}

	test('1. the message (with its image) runs the workflow once in the documented shape; the reply goes out once and its echo starts nothing', async () => {
		await control('PUT', '/settings', { echoOwnMessages: true, messageStepMs: 100 });
		const { workflowId, url } = await publishAutoReply();
		const mine = async () =>
			(await state()).webhooks.find(
				(webhook) =>
					webhook.url.split('?')[0] === url && webhook.whatsappNumberIds.includes(suporte.id),
			);
		assert.equal(
			(await state()).numbers.find((number) => number.id === suporte.id)?.state,
			'OPEN',
			'Suporte is connected, so the reply goes out and echoes',
		);
		const sendsBefore = (await control('GET', '/messages')).messages.length;
		const injected = await control('POST', `/numbers/${suporte.id}/inbound`, {
			from: CUSTOMER,
			participantName: 'Ana',
			media: { type: 'image', caption: 'Quero o boleto' },
		});
		assert.deepEqual(
			injected.deliveries.map((delivery) => delivery.statusCode),
			[200],
			JSON.stringify(injected.deliveries),
		);
		const summary = await waitFor(
			'the auto-reply execution',
			async () => (await client.listExecutions({ workflowId }))[0],
			{ timeoutMs: 60_000 },
		);
		const execution = await client.waitForExecution(summary.id, undefined, { timeoutMs: 60_000 });
		assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
		const [item] = lastOutput(execution, 'Pilot Status Trigger');
		const { receivedAt, ...shape } = item.json;
		assert.match(receivedAt, /^\d{4}-\d{2}-\d{2}T/);
		assert.deepEqual(shape, {
			event: 'message.received',
			numberId: suporte.id,
			messageId: injected.event.data.messageId,
			internalMessageId: null,
			correlationId: null,
			status: null,
			from: CUSTOMER,
			to: `+${suporte.number}`,
			fromMe: false,
			type: 'image',
			text: 'Quero o boleto',
			participantName: 'Ana',
			quotedMessageId: null,
			media: {
				type: 'image',
				fileName: 'photo.png',
				caption: 'Quero o boleto',
				url: injected.event.data.mediaLink,
			},
			errorMessage: null,
			errorExplanation: null,
			createdAt: injected.event.data.createdAt,
			data: injected.event.data,
		});
		// The file, downloaded from the Base URL's host, stored by n8n as the item's binary data.
		assert.equal(item.binary?.data?.mimeType, 'image/png');
		assert.equal(item.binary?.data?.fileName, 'photo.png');
		const [reply] = lastOutput(execution, 'Reply');
		assert.equal(reply.json.status, 'QUEUED');
		// The reply went out once, to the sender, with the message's text.
		const sends = (await control('GET', '/messages')).messages.slice(sendsBefore);
		assert.deepEqual(
			sends.map((message) => [message.id, message.to, message.text]),
			[[reply.json.id, CUSTOMER, 'Recebemos: Quero o boleto']],
		);
		// The reply's echo (fromMe) reached the trigger and was dropped: no second run, no loop.
		await waitFor('the echo of the reply', async () => (await mine())?.deliveries >= 2, {
			timeoutMs: 10_000,
		});
		await settled(workflowId);
		assert.equal((await client.listExecutions({ workflowId })).length, 1);
		figures.autoReply = { executionId: execution.id, replyId: reply.json.id };
	});
});

describe('E. Send and Wait for Response answered on WhatsApp (issue 21)', () => {
	const [suporte] = SEED.numbers;
	const SEND_AND_WAIT_MARKER = 'n8n Send and Wait';
	const askFlow = {};

	const sendAndWaitWebhooks = async () =>
		(await state()).webhooks.filter((webhook) =>
			String(webhook.name).startsWith(SEND_AND_WAIT_MARKER),
		);
	const messagesTo = async (phone) =>
		(await control('GET', '/messages')).messages.filter((message) => message.to === phone);

	/** Webhook (order placed) → Message → Send and Wait for Response (Approval, by reply, 10 min). */
	async function publishApproval(extra = {}) {
		const numberKey = await client.createCredential(
			sandboxCredential(
				undefined,
				'Suporte number key (send and wait)',
				sandbox.url,
				suporte.key.value,
			),
		);
		const { workflow, webhookPath } = approvalWorkflow({
			credential: numberKey,
			name: 'Runtime: approval over WhatsApp',
			webhookPath: `pilot-status-runtime-ask-${crypto.randomBytes(3).toString('hex')}`,
			askParameters: extra,
		});
		const { id } = await publishNew(workflow);
		Object.assign(askFlow, { workflowId: id, webhookPath });
	}

	/** An order is placed: the workflow asks `phone` and its execution waits. */
	async function ask(phone, order) {
		const known = await executionIds(askFlow.workflowId);
		const response = await postJson(`${n8n.url}/webhook/${askFlow.webhookPath}`, { phone, order });
		assert.equal(response.status, 200, JSON.stringify(response.body));
		const summary = await waitFor(
			'a waiting Send and Wait execution',
			async () => {
				const fresh = (await client.listExecutions({ workflowId: askFlow.workflowId })).find(
					(execution) => !known.has(execution.id),
				);
				if (fresh && !['new', 'running', 'waiting'].includes(fresh.status)) {
					const execution = await client.getExecution(fresh.id);
					throw new Error(
						`execution ${fresh.id} ended ${fresh.status}: ${JSON.stringify(errorOf(execution))}`,
					);
				}
				return fresh?.status === 'waiting' ? fresh : undefined;
			},
			{ timeoutMs: 60_000, intervalMs: 200 },
		);
		return { workflowId: askFlow.workflowId, executionId: String(summary.id) };
	}

	/** The one temporary webhook of this execution: on Suporte, named after it, at its resume URL. */
	async function assertAskWebhook(wait) {
		const mine = (await sendAndWaitWebhooks()).filter((webhook) =>
			webhook.name.includes(`· execution ${wait.executionId} ·`),
		);
		assert.equal(mine.length, 1, JSON.stringify(mine));
		assert.deepEqual(mine[0].whatsappNumberIds, [suporte.id]);
		assert.deepEqual(mine[0].events, ['message.received', 'message.reply']);
		const url = new URL(mine[0].url);
		assert.equal(`${url.origin}${url.pathname}`, `${n8n.url}/webhook-waiting/${wait.executionId}`);
		assert.match(url.searchParams.get('secret') ?? '', /^[0-9a-f]{64}$/);
	}

	test('1. the execution waits; the scripted customer answers "1" quoting the message; it resumes approved, and the webhook is gone', async () => {
		const CUSTOMER = '+5511955554401';
		await control('PUT', '/settings', { messageStepMs: 100 });
		await publishApproval();
		// The customer answers a few seconds after the message reaches them (the execution is saved
		// as waiting by then).
		await control('POST', `/customers/${encodeURIComponent(CUSTOMER)}`, {
			text: '1',
			afterMs: 3000,
		});
		const asking = Date.now();
		const wait = await ask(CUSTOMER, '#101');
		await assertAskWebhook(wait);
		const [message, ...more] = await messagesTo(CUSTOMER);
		assert.deepEqual(more, [], 'one message');
		assert.equal(
			message.text,
			'Posso confirmar seu pedido #101?\n\nResponda 1 para aprovar ou 2 para recusar.',
		);
		const execution = await client.waitForExecution(wait.executionId, undefined, {
			timeoutMs: 60_000,
		});
		assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
		const [answer] = lastOutput(execution, 'Ask the customer');
		assert.deepEqual(
			{ ...answer.json, respondedAt: typeof answer.json.respondedAt },
			{
				responded: true,
				timedOut: false,
				approved: true,
				from: CUSTOMER,
				respondedAt: 'string',
				respondedVia: 'whatsappReply',
				replyMessageId: answer.json.replyMessageId,
				messageId: message.id,
				correlationId: message.correlationId,
				to: CUSTOMER,
				sendingNumberId: null,
				data: { approved: true },
			},
		);
		await waitFor(
			'the temporary webhook removed',
			async () => (await sendAndWaitWebhooks()).length === 0,
			{
				timeoutMs: 15_000,
			},
		);
		assert.equal((await messagesTo(CUSTOMER)).length, 1, 'still one message');
		figures.sendAndWait = { executionId: wait.executionId, answeredInMs: Date.now() - asking };
	});

	test('2. n8n restarted while the execution waits: the customer’s quoting reply still resumes it (declined)', async () => {
		const CUSTOMER = '+5511955554402';
		const wait = await ask(CUSTOMER, '#102');
		const [message] = await messagesTo(CUSTOMER);
		const restarting = Date.now();
		n8n = await n8n.restart();
		await client.login();
		figures.sendAndWaitRestartMs = Date.now() - restarting;
		await sleep(2000);
		assert.ok(await isWaiting(wait), 'still waiting after the restart');
		await assertAskWebhook(wait);
		const sent = await waitFor(
			'the message to reach SENT (its provider id)',
			async () => (await messagesTo(CUSTOMER)).find((sentMessage) => sentMessage.externalMessageId),
			{ timeoutMs: 15_000 },
		);
		// Someone else writes first: not an answer, the execution keeps waiting.
		const other = await control('POST', `/numbers/${suporte.id}/inbound`, {
			from: '+5511955554499',
			text: '1',
		});
		// Only the wait's own webhook counts: the trigger published in D receives inbound messages too.
		const toTheWait = (injected) =>
			injected.deliveries
				.filter((delivery) => delivery.url.includes(`/webhook-waiting/${wait.executionId}`))
				.map((delivery) => delivery.statusCode);
		assert.deepEqual(toTheWait(other), [200]);
		await sleep(1000);
		assert.ok(await isWaiting(wait), 'another contact’s "1" does not answer');
		const reply = await control('POST', `/numbers/${suporte.id}/inbound`, {
			from: CUSTOMER,
			text: 'recusar',
			quotedMessageId: sent.externalMessageId,
		});
		assert.deepEqual(toTheWait(reply), [200]);
		const execution = await client.waitForExecution(wait.executionId, undefined, {
			timeoutMs: 60_000,
		});
		assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
		const [answer] = lastOutput(execution, 'Ask the customer');
		assert.equal(answer.json.approved, false);
		assert.equal(answer.json.messageId, message.id);
		await waitFor(
			'the temporary webhook removed',
			async () => (await sendAndWaitWebhooks()).length === 0,
			{
				timeoutMs: 15_000,
			},
		);
	});

	test('3. Response Via Link: a GET of the link (a link preview) shows the page and answers nothing; the page’s POST approves', async () => {
		const CUSTOMER = '+5511955554403';
		await publishApproval({ responseVia: 'link', linkText: 'Responda aqui:' });
		const wait = await ask(CUSTOMER, '#103');
		assert.deepEqual(
			(await sendAndWaitWebhooks()).filter((webhook) =>
				webhook.name.includes(`· execution ${wait.executionId} ·`),
			),
			[],
			'no reply webhook: the link is the way back',
		);
		const [message] = await messagesTo(CUSTOMER);
		const link = /Responda aqui: (\S+)$/.exec(message.text)?.[1];
		assert.ok(link?.startsWith(`${n8n.url}/webhook-waiting/${wait.executionId}?`), message.text);
		for (let preview = 0; preview < 2; preview += 1) {
			const page = await fetch(link, { headers: { 'user-agent': 'WhatsApp/2.23 link preview' } });
			assert.equal(page.status, 200);
			assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
			const html = await page.text();
			assert.match(html, /<form method="post"><input type="hidden" name="choice" value="approve">/);
			assert.match(html, /Aprovar/);
		}
		await sleep(1000);
		assert.ok(await isWaiting(wait), 'a GET (link preview) does not answer');
		// The page's button: a form POST to the same address.
		const posted = await fetch(link, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'choice=approve',
		});
		assert.equal(posted.status, 200);
		assert.match(await posted.text(), /Thank you, your response was recorded\./);
		const execution = await client.waitForExecution(wait.executionId, undefined, {
			timeoutMs: 60_000,
		});
		assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
		const [answer] = lastOutput(execution, 'Ask the customer');
		assert.equal(answer.json.approved, true);
		assert.equal(answer.json.respondedVia, 'link');
	});
});
