'use strict';
// Campaigns in n8n's queue mode (issue 23, "What to measure" 3 and 5), for `npm run bench:scale`:
//   campaign: N messages paced at R per minute, (a) by one Message → Send with the pacing option
//     messagesPerMinute (the service schedules each message with deliverAt; the execution ends at
//     once), against (b) Loop Over Items + Wait at the same rate (batches of B, Wait B×60/R s, Send
//     without pacing) as users build it today;
//   burst: N messages sent at once while the sandbox answers 429 to a share of the sends (a burst
//     of a given number of refusals), (a) by Message → Send, against (b) the HTTP Request node with
//     Retry On Fail as a user turns it on (3 tries, 1 s apart: n8n's defaults).
// Each run is a fresh queue-mode setup (peak memory per process belongs to one run) against one
// sandbox; messages are told apart by a tag in their text. Measured: wall time of the n8n side
// (first call → execution finished), worker slot-seconds (Bull's active jobs, sampled every
// second), each process's peak RSS, API calls, and every destination's accepted messages (exactly
// one each: no duplicates, none missing).
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const env = require('../scripts/lib/n8n-env');
const { peakMemoryMiB, sleep } = require('../scripts/lib/n8n-server');
const { startQueueEnv, startSampler } = require('../scripts/lib/queue-env');
const { webhookNode } = require('../scripts/lib/workflows');
const { childPids } = require('./machine');
const {
	createSendingCredentials,
	headerRef,
	itemsNode,
	pilotStatusRef,
	sendTextHttpRequest,
	sendTextNode,
	splitNode,
} = require('./workflows');

const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const CAMPAIGN_MESSAGES = Number(process.env.SCALE_CAMPAIGN_MESSAGES ?? 5000);
const CAMPAIGN_RATE = Number(process.env.SCALE_CAMPAIGN_RATE ?? 600);
const CAMPAIGN_BATCH = Number(process.env.SCALE_CAMPAIGN_BATCH ?? 100);
const BURST_MESSAGES = Number(process.env.SCALE_BURST_MESSAGES ?? 2000);
const BURST_SHARE = Number(process.env.SCALE_BURST_SHARE ?? 0.25);
const BURST_REFUSALS = Number(process.env.SCALE_BURST_REFUSALS ?? 100);
const CAP_MINUTES = Number(process.env.SCALE_CAP_MINUTES ?? 12);
const SLOTS = 10;

/** Whether the node at this revision has Send's pacing option (another change adds it). */
function nodeHasPacing() {
	const found = (dir) =>
		fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) return found(file);
			return (
				entry.name.endsWith('.ts') &&
				/name: 'messagesPerMinute'/.test(fs.readFileSync(file, 'utf8'))
			);
		});
	return found(path.join(env.ROOT, 'nodes'));
}

// ---------------------------------------------------------------------------------------------
// Workflows

const campaignItems = (count, tag) =>
	`={{ Array.from({ length: ${count} }, (_, i) => ({ phone: '+55119' + String(60000000 + i), text: '${tag} Oferta da semana para o cliente ' + i })) }}`;

/** Webhook (answers at once) → N contacts → `tail` (nodes in a chain, or with own connections). */
function campaignWorkflow({ name, count, tag, tail, connections: extra }) {
	const webhookPath = `bench-campaign-${crypto.randomBytes(4).toString('hex')}`;
	const head = [
		webhookNode({ name: 'Start campaign', path: webhookPath }),
		itemsNode('Contacts', campaignItems(count, tag)),
		splitNode(),
	];
	const nodes = [...head, ...tail].map((node, index) => ({
		id: `campaign-${index}`,
		typeVersion: 1,
		position: [220 * index, 0],
		...node,
	}));
	const link = (from, to, output = 0) => {
		connections[from] ??= { main: [] };
		while (connections[from].main.length <= output) connections[from].main.push([]);
		connections[from].main[output].push({ node: to, type: 'main', index: 0 });
	};
	const connections = {};
	const chained = extra ? head.length : nodes.length;
	for (let index = 0; index < chained - 1; index++) link(nodes[index].name, nodes[index + 1].name);
	if (extra) extra(link);
	return {
		workflow: { name, settings: { executionOrder: 'v1' }, nodes, connections },
		webhookPath,
	};
}

const sendNode = (credential, options = {}) =>
	sendTextNode({ name: 'Send', options, credentials: pilotStatusRef(credential) });

const httpRequestSend = (sandboxUrl, credential, extra = {}) =>
	sendTextHttpRequest(sandboxUrl, { name: 'Send', credentials: headerRef(credential), extra });

/** Loop Over Items (batches of B) → Send → Wait B×60/R s → back to the loop. */
function loopAndWaitTail(credential) {
	const waitSeconds = (CAMPAIGN_BATCH * 60) / CAMPAIGN_RATE;
	return {
		waitSeconds,
		tail: [
			{
				name: 'Loop Over Items',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				parameters: { batchSize: CAMPAIGN_BATCH, options: {} },
			},
			sendNode(credential),
			{
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				webhookId: crypto.randomUUID(),
				parameters: { resume: 'timeInterval', amount: waitSeconds, unit: 'seconds' },
			},
		],
		connections: (link) => {
			link('Split', 'Loop Over Items');
			link('Loop Over Items', 'Send', 1);
			link('Send', 'Wait');
			link('Wait', 'Loop Over Items');
		},
	};
}

// ---------------------------------------------------------------------------------------------
// One run

function peaks(queue) {
	const peakMiB = {};
	for (const server of queue.processes()) {
		peakMiB[server.name] = peakMemoryMiB(server.pid);
		peakMiB[`${server.name} runner`] = childPids(server.pid)
			.map((pid) => peakMemoryMiB(pid) ?? 0)
			.reduce((sum, value) => sum + value, 0);
	}
	return peakMiB;
}

/**
 * Starts a fresh queue-mode setup, creates the credentials, builds the workflow with
 * `build({ sandboxUrl, pilotStatus, header })`, publishes it, calls its webhook once and waits (at
 * most the cap) until its execution finished. `before` runs just before the call (faults).
 * Resolves with what was measured; asserts nothing.
 */
async function runOnce({ label, sandbox, build, before = async () => {} }) {
	env.say(`\n${label}: starting Redis, PostgreSQL, main, webhook process, 2 workers...`);
	const queue = await startQueueEnv({ workers: 2, webhooks: 1, concurrency: SLOTS, say: env.say });
	try {
		const { pilotStatus, header } = await createSendingCredentials(queue.client, sandbox.url);
		const { workflow, webhookPath, ...extra } = build({
			sandboxUrl: sandbox.url,
			pilotStatus,
			header,
		});
		const { id: workflowId } = await queue.client.createWorkflow(workflow);
		await queue.client.publish(workflowId);
		await sleep(5000);
		const load = os.loadavg()[0];
		await before();
		const { seq: requestsBefore = 0 } = (await sandbox.control('GET', '/requests')).at(-1) ?? {};
		const sampler = startSampler(queue, { workflowId, intervalMs: 1000 });
		const started = Date.now();
		const answer = await fetch(`${queue.webhooks[0].url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		await answer.arrayBuffer();
		let capped = false;
		let lastProgress = Date.now();
		for (;;) {
			const sample = sampler.last();
			const done = FINISHED.reduce((sum, status) => sum + (sample?.executions[status] ?? 0), 0);
			if (sample && done >= 1) break;
			if (Date.now() - started > CAP_MINUTES * 60_000) {
				capped = true;
				break;
			}
			if (Date.now() - lastProgress >= 30_000) {
				lastProgress = Date.now();
				env.say(
					`    ${Math.round((Date.now() - started) / 1000)} s: Bull ${sample?.active ?? '?'} active; executions ${JSON.stringify(sample?.executions ?? {})}`,
				);
			}
			await sleep(500);
		}
		await sleep(capped ? 0 : 2000);
		const { samples } = await sampler.stop();
		const [[status, stoppedAt] = []] = await queue.postgres.queryAsync(
			`select status, round(extract(epoch from "stoppedAt") * 1000) from execution_entity where "workflowId" = '${workflowId}' order by id::int desc limit 1`,
		);
		const requests = await sandbox.control('GET', `/requests?since=${requestsBefore}`);
		return {
			label,
			webhookStatus: answer.status,
			capped,
			status,
			started,
			wallMs: stoppedAt ? Number(stoppedAt) - started : undefined,
			slotSeconds: samples.reduce((sum, sample) => sum + sample.active, 0),
			activePeak: Math.max(0, ...samples.map((sample) => sample.active)),
			peakMiB: peaks(queue),
			load: { start: load, end: os.loadavg()[0] },
			requests,
			...extra,
		};
	} finally {
		await queue.stop();
	}
}

/** What the sandbox accepted for one run's tag: per destination, duplicates, missing. */
async function accepted(sandbox, tag, expected) {
	const { messages } = await sandbox.control('GET', '/messages');
	const ours = messages.filter((message) => message.text?.startsWith(`${tag} `));
	const perDestination = new Map();
	for (const message of ours)
		perDestination.set(message.to, (perDestination.get(message.to) ?? 0) + 1);
	const duplicates = [...perDestination.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
	return {
		messages: ours,
		total: ours.length,
		destinations: perDestination.size,
		duplicates,
		missing: expected - perDestination.size,
		exactlyOnce: perDestination.size === expected && duplicates === 0,
	};
}

/** The run's calls (the request log since its webhook call): refused sends carry no body. */
function sendCalls(run) {
	const sends = run.requests.filter(
		(request) => request.method === 'POST' && request.path === '/v1/messages/send',
	);
	return {
		apiCalls: run.requests.filter((request) => request.path.startsWith('/v1/')).length,
		sends: sends.length,
		refused429: sends.filter((request) => request.status === 429).length,
		accepted: sends.filter((request) => request.status === 202).length,
	};
}

/** deliverAt spacing and the sandbox's send times of a paced run. */
function pacing(messages) {
	const due = messages
		.filter((message) => message.deliverAt)
		.map((message) => ({
			at: Date.parse(message.deliverAt),
			sentAt: message.sentAt ? Date.parse(message.sentAt) : undefined,
		}))
		.sort((a, b) => a.at - b.at);
	if (due.length === 0) return { scheduled: 0 };
	let busiestMinute = 0;
	let from = 0;
	for (let to = 0; to < due.length; to++) {
		while (due[to].at - due[from].at >= 60_000) from++;
		busiestMinute = Math.max(busiestMinute, to - from + 1);
	}
	const lateness = due.filter((m) => m.sentAt !== undefined).map((m) => m.sentAt - m.at);
	lateness.sort((a, b) => a - b);
	return {
		scheduled: due.length,
		spanMs: due.at(-1).at - due[0].at,
		busiestMinute,
		sent: lateness.length,
		early: lateness.filter((ms) => ms < 0).length,
		lateP50: lateness[Math.floor(lateness.length / 2)],
		lateMax: lateness.at(-1),
	};
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const seconds = (ms) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
const processPeaks = (x) =>
	`main ${x.peakMiB.main}, webhook ${x.peakMiB.webhook1}, worker1 ${x.peakMiB.worker1}, worker2 ${x.peakMiB.worker2} MiB`;

/** The rows both scenarios report, each a function of the runs. */
const executionRow = (runs) => [
	'Execution',
	...runs.map((x) => `${x.status ?? 'not finished'}${x.capped ? ` (${CAP_MINUTES} min cap)` : ''}`),
];
const wallTimeRow = (runs) => [
	'Wall time of the n8n side (first call → execution finished)',
	...runs.map((x) => seconds(x.wallMs)),
];
const acceptedRow = (runs, expected) => [
	`Messages accepted: total / destinations (of ${expected}) / duplicates / missing`,
	...runs.map(
		(x) =>
			`${x.accepted.total} / ${x.accepted.destinations} / ${x.accepted.duplicates} / ${x.accepted.missing}`,
	),
];
const loadRow = (runs) => [
	'Machine load (1 min) at start / end',
	...runs.map((x) => `${x.load.start.toFixed(2)} / ${x.load.end.toFixed(2)}`),
];

/** A scenario's report: what was run, the table of its columns, the missed targets in bold. */
function scenarioText(intro, runs, rows, missed) {
	return [
		intro,
		'',
		tableOf(
			runs.map((x) => x.column),
			rows,
		),
		'',
		...missed.map((line) => `**${line}**`),
		'',
	].join('\n');
}

function tableOf(columns, rows) {
	return [
		`| Measure | ${columns.join(' | ')} |`,
		`|---|${columns.map(() => '---').join('|')}|`,
		...rows.map(([measure, ...values]) => `| ${measure} | ${values.join(' | ')} |`),
	].join('\n');
}

async function campaignScenario(sandbox) {
	const paced = nodeHasPacing();
	await sandbox.control('POST', '/reset');
	const runs = [];
	if (paced) {
		const tag = '[paced]';
		const run = await runOnce({
			label: `Campaign (a): ${CAMPAIGN_MESSAGES} × Send with messagesPerMinute ${CAMPAIGN_RATE}`,
			sandbox,
			build: ({ pilotStatus }) =>
				campaignWorkflow({
					name: 'bench: campaign paced by the service',
					count: CAMPAIGN_MESSAGES,
					tag,
					tail: [sendNode(pilotStatus, { messagesPerMinute: CAMPAIGN_RATE })],
				}),
		});
		runs.push({ ...run, tag, column: `Send, messagesPerMinute ${CAMPAIGN_RATE}` });
	}
	const tag = '[loop]';
	const run = await runOnce({
		label: `Campaign (b): ${CAMPAIGN_MESSAGES} × Loop Over Items (${CAMPAIGN_BATCH}) + Send + Wait`,
		sandbox,
		build: ({ pilotStatus }) => {
			const { tail, connections, waitSeconds } = loopAndWaitTail(pilotStatus);
			return {
				...campaignWorkflow({
					name: 'bench: campaign paced by Loop Over Items + Wait',
					count: CAMPAIGN_MESSAGES,
					tag,
					tail,
					connections,
				}),
				waitSeconds,
			};
		},
	});
	runs.push({
		...run,
		tag,
		column: `Loop Over Items (${CAMPAIGN_BATCH}) + Send + Wait ${run.waitSeconds} s`,
	});

	// The paced messages are due over the minutes that (b) ran: their send times are read now.
	for (const x of runs) {
		x.accepted = await accepted(sandbox, x.tag, CAMPAIGN_MESSAGES);
		x.calls = sendCalls(x);
		x.pacing = pacing(x.accepted.messages);
	}
	const expectedSpanMs = ((CAMPAIGN_MESSAGES - 1) * 60_000) / CAMPAIGN_RATE;
	const rows = [
		executionRow(runs),
		wallTimeRow(runs),
		[
			'Worker slot-seconds held (Bull active jobs, 1 s samples)',
			...runs.map((x) => String(x.slotSeconds)),
		],
		['Worker slots held: peak', ...runs.map((x) => `${x.activePeak} of ${2 * SLOTS}`)],
		['Peak RSS per process', ...runs.map(processPeaks)],
		['API calls (send calls)', ...runs.map((x) => `${x.calls.apiCalls} (${x.calls.sends})`)],
		acceptedRow(runs, CAMPAIGN_MESSAGES),
		[
			`Scheduled by the service (deliverAt): count, span (expected ${seconds(expectedSpanMs)}), busiest 60 s`,
			...runs.map((x) =>
				x.pacing.scheduled
					? `${x.pacing.scheduled}, ${seconds(x.pacing.spanMs)}, ${x.pacing.busiestMinute}`
					: 'none (sent when the loop reached them)',
			),
		],
		[
			'Sandbox sent them at their time: sent so far / early / late p50 / late max',
			...runs.map((x) =>
				x.pacing.scheduled
					? `${x.pacing.sent} / ${x.pacing.early} / ${x.pacing.lateP50} ms / ${x.pacing.lateMax} ms`
					: '–',
			),
		],
		loadRow(runs),
	];
	const missed = [];
	if (!paced)
		missed.push(
			'Column (a) not measured: Send has no messagesPerMinute option at this revision (the pacing change had not landed); the harness runs it once it has.',
		);
	for (const x of runs)
		if (!x.accepted.exactlyOnce || x.status !== 'success')
			missed.push(
				`${x.column}: not every message accepted exactly once, or the execution did not succeed.`,
			);
	const text = scenarioText(
		`Campaign in queue mode (\`npm run bench:scale\`, SCALE_SCENARIOS=campaign): ${CAMPAIGN_MESSAGES} text messages at ${CAMPAIGN_RATE} per minute from one Webhook-started execution; one main, one webhook process, two workers with ${SLOTS} slots each, a fresh setup per column. In (b) Wait's ${(CAMPAIGN_BATCH * 60) / CAMPAIGN_RATE} s is under n8n's 65 s threshold, so the execution stays in the worker's memory and holds its slot; longer waits are parked in the database and resumed through the queue.`,
		runs,
		rows,
		missed,
	);
	return { text, failed: missed.length > 0 };
}

async function burstScenario(sandbox) {
	const fault = {
		type: 'status',
		status: 429,
		method: 'POST',
		path: '/v1/messages/send',
		share: BURST_SHARE,
		count: BURST_REFUSALS,
		body: { error: 'Too many requests' },
	};
	const setFault = async () => {
		await sandbox.control('DELETE', '/faults');
		await sandbox.control('POST', '/faults', fault);
	};
	await sandbox.control('POST', '/reset');
	const runs = [];
	for (const [tag, column, make] of [
		['[burst-node]', 'Message → Send', ({ pilotStatus }) => sendNode(pilotStatus)],
		[
			'[burst-http]',
			'HTTP Request, Retry On Fail (3 tries, 1 s apart)',
			({ sandboxUrl, header }) =>
				httpRequestSend(sandboxUrl, header, {
					retryOnFail: true,
					maxTries: 3,
					waitBetweenTries: 1000,
				}),
		],
	]) {
		const run = await runOnce({
			label: `429 burst: ${BURST_MESSAGES} × ${column}`,
			sandbox,
			before: setFault,
			build: (context) =>
				campaignWorkflow({
					name: `bench: 429 burst x ${column}`,
					count: BURST_MESSAGES,
					tag,
					tail: [make(context)],
				}),
		});
		await sandbox.control('DELETE', '/faults');
		run.accepted = await accepted(sandbox, tag, BURST_MESSAGES);
		run.calls = sendCalls(run);
		runs.push({ ...run, tag, column });
	}
	const rows = [
		executionRow(runs),
		wallTimeRow(runs),
		[
			'Send calls / answered 429 / accepted (202)',
			...runs.map((x) => `${x.calls.sends} / ${x.calls.refused429} / ${x.calls.accepted}`),
		],
		acceptedRow(runs, BURST_MESSAGES),
		['Worker slot-seconds held', ...runs.map((x) => String(x.slotSeconds))],
		['Peak RSS per process', ...runs.map(processPeaks)],
		loadRow(runs),
	];
	const node = runs[0];
	const missed = [];
	if (!node.accepted.exactlyOnce || node.status !== 'success')
		missed.push(
			'Message → Send did not get every message accepted exactly once through the burst (target: all accepted once, none failed).',
		);
	const text = scenarioText(
		`429 burst in queue mode (\`npm run bench:scale\`, SCALE_SCENARIOS=burst): ${BURST_MESSAGES} text messages from one Webhook-started execution while the sandbox answers \`429 {"error":"Too many requests"}\` (no Retry-After, as documented) to ${Math.round(BURST_SHARE * 100)} % of the sends, spread evenly, until it has refused ${BURST_REFUSALS}; one main, one webhook process, two workers with ${SLOTS} slots each, a fresh setup per column. The HTTP Request column is the baseline: n8n's Retry On Fail repeats the whole node, every item, when one item fails.`,
		runs,
		rows,
		missed,
	);
	return { text, failed: missed.length > 0 };
}

module.exports = { burstScenario, campaignScenario, nodeHasPacing };
