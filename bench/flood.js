#!/usr/bin/env node
'use strict';
// An inbound flood in n8n's queue mode (issue 23, "What to measure" 4), a scenario of
// `npm run bench:scale` and runnable alone (`node bench/flood.js`). N message.received events
// reach an auto-reply workflow through two webhook processes behind a load balancer (the sandbox
// posts each attempt to the next one), while the sandbox plays the service's retries
// (sandbox/webhooks.js deliverWithRetries): a share of the events is delivered twice or three
// times, after an answer the service never saw (retried 1 s later, then 2 s), or as two copies at
// the same moment. Two workflows, each in a fresh setup (main, 2 webhook processes, 2 workers):
//   Pilot Status Trigger (Message Received) → Message → Send, replying to the sender;
//   the baseline: n8n's Webhook node → HTTP Request (POST /v1/messages/send), no de-duplication.
// Each reply names its inbound event, so the sandbox's messages list says how many replies each
// event got: exactly one is the goal, more is a duplicate reply, none is a lost message. Also
// measured: executions, deliveries answered as repeats, delivery → reply p50/p95 (the sandbox's
// clock at both ends: the first attempt's start, the reply's acceptance), each process's peak RSS.
//   FLOOD_EVENTS (1000), FLOOD_IN_FLIGHT (16 events being delivered at a time),
//   FLOOD_ROUTING (round-robin; pinned: the balancer sends the workflows' webhook path to webhook1
//   only, as one can route a path), FLOOD_BASELINE=0 (the trigger only), FLOOD_CAP_MINUTES (10),
//   FLOOD_NO_RESULTS=1 (print only),
//   SCALE_REVISION.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const os = require('node:os');

const env = require('../scripts/lib/n8n-env');
const { publishReport } = require('./results');
const { own, peakMemoryMiB, sleep } = require('../scripts/lib/n8n-server');
const { startQueueEnv } = require('../scripts/lib/queue-env');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');
const { webhookNode } = require('../scripts/lib/workflows');
const {
	chainConnections,
	headerRef,
	messagesSendRequest,
	pilotStatusRef,
	sendTextNode,
} = require('./workflows');

const EVENTS = Number(process.env.FLOOD_EVENTS ?? 1000);
const IN_FLIGHT = Number(process.env.FLOOD_IN_FLIGHT ?? 16);
const CAP_MINUTES = Number(process.env.FLOOD_CAP_MINUTES ?? 10);
const PINNED = process.env.FLOOD_ROUTING === 'pinned';
const WITH_BASELINE = process.env.FLOOD_BASELINE !== '0';
const SLOTS = 10;
const SUPORTE = SEED.numbers[0];
const REPLY = 'Obrigado! Recebemos sua mensagem';
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/**
 * How the service delivers event `index`: out of every 20, 14 once, 3 twice (one answer lost),
 * 1 three times (two answers lost), 2 as two copies at the same moment.
 */
function deliveryPlan(index) {
	const slot = index % 20;
	if (slot < 14) return {};
	if (slot < 17) return { lostAnswers: 1 };
	if (slot < 18) return { lostAnswers: 2 };
	return { concurrentCopies: 1 };
}

// ---------------------------------------------------------------------------------------------
// Workflows (the reply text ends with the inbound event's id)

const reference = (expression) => `=${REPLY} (ref {{ ${expression} }})`;

/** `nodes` in a chain, as one workflow (node settings default to version 1, placed left to right). */
function chainWorkflow(name, nodes) {
	const placed = nodes.map((node, index) => ({
		typeVersion: 1,
		position: [220 * index, 0],
		...node,
	}));
	return {
		name,
		settings: { executionOrder: 'v1' },
		nodes: placed,
		connections: chainConnections(placed),
	};
}

function triggerReplyWorkflow({ tenant, suporte }) {
	return chainWorkflow('Flood: Pilot Status Trigger → Send reply', [
		{
			name: 'A customer writes',
			type: 'n8n-nodes-pilot-status.pilotStatusTrigger',
			webhookId: crypto.randomUUID(),
			parameters: { events: ['message.received'], numbers: 'selected', numberIds: [SUPORTE.id] },
			credentials: pilotStatusRef(tenant),
		},
		sendTextNode({
			name: 'Reply to the sender',
			phone: '={{ $json.from }}',
			text: reference('$json.data.id'),
			credentials: pilotStatusRef(suporte),
		}),
	]);
}

function baselineWorkflow({ header, sandboxUrl, path }) {
	return chainWorkflow('Flood baseline: Webhook → HTTP Request reply', [
		webhookNode({ name: 'Webhook', path }),
		messagesSendRequest(sandboxUrl, {
			name: 'Reply to the sender',
			body: [
				{ name: 'destinationNumber', value: '={{ $json.body.data.from }}' },
				{ name: 'text', value: reference('$json.body.data.id') },
			],
			credentials: headerRef(header),
			acceptJson: false,
		}),
	]);
}

/** Publishes the workflow; for the baseline, registers its URL as Suporte's webhook too. */
async function publishFlood(kind, queue, sandbox) {
	const { client } = queue;
	const suporteKey = SUPORTE.key.value;
	if (kind === 'trigger') {
		const tenant = await client.createCredential({
			name: 'Pilot Status account (sandbox)',
			type: 'pilotStatusApi',
			data: { keyType: 'apiKey', apiKey: SEED.tenantKey.value, baseUrl: sandbox.url },
		});
		const suporte = await client.createCredential({
			name: 'Pilot Status Suporte (sandbox)',
			type: 'pilotStatusApi',
			data: { keyType: 'apiKey', apiKey: suporteKey, baseUrl: sandbox.url },
		});
		const { id } = await client.createWorkflow(triggerReplyWorkflow({ tenant, suporte }));
		await client.publish(id);
		return id;
	}
	const header = await client.createCredential({
		name: 'x-api-key Suporte (sandbox)',
		type: 'httpHeaderAuth',
		data: { name: 'x-api-key', value: suporteKey },
	});
	const path = `flood-baseline-${crypto.randomBytes(4).toString('hex')}`;
	const { id } = await client.createWorkflow(
		baselineWorkflow({ header, sandboxUrl: sandbox.url, path }),
	);
	await client.publish(id);
	const registered = await fetch(`${sandbox.url}/v1/webhooks`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': SEED.tenantKey.value },
		body: JSON.stringify({
			url: `${queue.webhooks[0].url}/webhook/${path}`,
			events: ['message.received'],
			whatsappNumberId: SUPORTE.id,
		}),
	});
	if (!registered.ok) throw new Error(`Registering the baseline webhook: ${registered.status}`);
	return id;
}

// ---------------------------------------------------------------------------------------------
// The flood

const customer = (index) => `+55119${String(70_000_000 + index)}`;

/** Delivers `count` inbound messages, `inFlight` at a time; resolves with each event's attempts. */
async function flood({ sandbox, origins, count, inFlight }) {
	const results = new Array(count);
	let next = 0;
	const deliverOne = async (index) => {
		const answer = await sandbox.control('POST', `/numbers/${SUPORTE.id}/inbound`, {
			from: customer(index),
			text: `Olá, mensagem ${index}`,
			delivery: { origins, retryAfterMs: 1000, ...deliveryPlan(index) },
		});
		return { index, eventId: answer.event.data.id, deliveries: answer.deliveries };
	};
	await Promise.all(
		Array.from({ length: Math.min(inFlight, count) }, async () => {
			while (next < count) {
				const index = next++;
				results[index] = await deliverOne(index);
			}
		}),
	);
	return results;
}

async function executionCounts(queue, workflowId) {
	const rows = await queue.postgres.queryAsync(
		`select status, count(*) from execution_entity where "workflowId" = '${workflowId}' group by status`,
	);
	return Object.fromEntries(rows.map(([status, n]) => [status, Number(n)]));
}

/** Waits until no execution is unfinished and the count held still for 5 s (or the cap). */
async function settle(queue, workflowId, deadline) {
	let last = -1;
	let stillSince = Date.now();
	for (;;) {
		const counts = await executionCounts(queue, workflowId);
		const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
		const finished = FINISHED.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
		if (total !== last) {
			last = total;
			stillSince = Date.now();
		}
		if (total === finished && Date.now() - stillSince >= 5000) return { counts, capped: false };
		if (Date.now() > deadline) return { counts, capped: true };
		await sleep(1000);
	}
}

const percentile = (sorted, p) =>
	sorted.length === 0
		? undefined
		: sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function answersOf(deliveries) {
	return deliveries.map((delivery) => {
		try {
			return JSON.parse(String(delivery.receiverResponse));
		} catch {
			return {};
		}
	});
}

const answered = (delivery) =>
	delivery.receiverStatusCode >= 200 && delivery.receiverStatusCode < 300;

/** Replies per event, repeats recognised, and delivery → reply times, from the sandbox's records. */
function tally(events, messages) {
	const replies = new Map();
	for (const message of messages) {
		const ref = /\(ref (\S+)\)$/.exec(message.text ?? '')?.[1];
		if (!ref) continue;
		const list = replies.get(ref) ?? [];
		list.push(Date.parse(message.createdAt));
		replies.set(ref, list);
	}
	const latencies = [];
	let exactlyOne = 0;
	let duplicateReplies = 0;
	let eventsWithDuplicates = 0;
	let lost = 0;
	let gaveUp = 0;
	let repeatsAnswered = 0;
	let deliveries = 0;
	let failedDeliveries = 0;
	for (const event of events) {
		const times = replies.get(event.eventId) ?? [];
		const firstAttempt = Math.min(...event.deliveries.map((d) => Date.parse(d.startedAt)));
		if (times.length === 0) lost += 1;
		if (times.length === 0 && !event.deliveries.some(answered)) gaveUp += 1;
		if (times.length === 1) exactlyOne += 1;
		if (times.length > 1) {
			eventsWithDuplicates += 1;
			duplicateReplies += times.length - 1;
		}
		if (times.length > 0) latencies.push(Math.min(...times) - firstAttempt);
		deliveries += event.deliveries.length;
		failedDeliveries += event.deliveries.filter((d) => !answered(d)).length;
		repeatsAnswered += answersOf(event.deliveries).filter((a) => a.duplicate === true).length;
	}
	latencies.sort((a, b) => a - b);
	return {
		events: events.length,
		deliveries,
		extraDeliveries: deliveries - events.length,
		concurrentCopies: events
			.flatMap((e) => e.deliveries)
			.filter((d) => d.kind === 'concurrent copy').length,
		failedDeliveries,
		repeatsAnswered,
		replies: [...replies.values()].reduce((sum, list) => sum + list.length, 0),
		exactlyOne,
		eventsWithDuplicates,
		duplicateReplies,
		lost,
		gaveUp,
		p50Ms: percentile(latencies, 0.5),
		p95Ms: percentile(latencies, 0.95),
	};
}

function peaks(queue) {
	return Object.fromEntries(queue.processes().map((p) => [p.name, peakMemoryMiB(p.pid)]));
}

/**
 * One flood against a running queue setup with at least two webhook processes and a published
 * workflow. Resolves with what was measured; asserts nothing. Also used by e2e/queue.test.js.
 */
async function runFlood({
	queue,
	sandbox,
	workflowId,
	count,
	inFlight = IN_FLIGHT,
	capMs,
	pinned = false,
}) {
	const all = queue.webhooks.map((webhook) => webhook.url);
	const origins = pinned ? all.slice(0, 1) : all;
	const started = Date.now();
	const events = await flood({ sandbox, origins, count, inFlight });
	const deliveredMs = Date.now() - started;
	const { counts, capped } = await settle(queue, workflowId, started + capMs);
	const [[lastStop] = []] = await queue.postgres.queryAsync(
		`select round(extract(epoch from max("stoppedAt")) * 1000) from execution_entity where "workflowId" = '${workflowId}'`,
	);
	const { messages } = await sandbox.control('GET', '/messages');
	return {
		capped,
		deliveredMs,
		wallMs: lastStop ? Number(lastStop) - started : undefined,
		executions: counts,
		executionsTotal: Object.values(counts).reduce((sum, n) => sum + n, 0),
		...tally(events, messages),
		attempts: events,
	};
}

/** A fresh setup (main, 2 webhook processes, 2 workers) for one workflow; the flood's figures. */
async function floodRun(kind, sandbox) {
	env.say(`\nFlood, ${kind}: starting Redis, PostgreSQL, main, 2 webhook processes, 2 workers...`);
	const queue = await startQueueEnv({ workers: 2, webhooks: 2, concurrency: SLOTS, say: env.say });
	try {
		await sandbox.control('POST', '/reset');
		// No lifecycle events: only the inbound messages and the replies matter here.
		await sandbox.control('PUT', '/settings', { messageStepMs: null });
		const workflowId = await publishFlood(kind, queue, sandbox);
		await sleep(5000);
		const load = os.loadavg()[0];
		env.say(`  ${EVENTS} events, ${IN_FLIGHT} at a time (load average ${load.toFixed(2)})...`);
		const run = await runFlood({
			queue,
			sandbox,
			workflowId,
			count: EVENTS,
			capMs: CAP_MINUTES * 60_000,
			pinned: PINNED,
		});
		const { attempts: _, ...figures } = run;
		figures.load = { start: load, end: os.loadavg()[0] };
		figures.peakMiB = peaks(queue);
		env.say(`  ${JSON.stringify(figures)}`);
		return figures;
	} finally {
		await queue.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// Report

const seconds = (ms, digits = 1) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(digits)} s`);
const milliseconds = (ms) => (ms === undefined ? '–' : `${Math.round(ms)} ms`);

function table(trigger, baseline) {
	const rows = [
		['Inbound messages (distinct events)', (x) => String(x.events)],
		[
			'Deliveries (extra: retries after a lost answer, copies at the same moment)',
			(x) => `${x.deliveries} (+${x.extraDeliveries}; ${x.concurrentCopies} concurrent copies)`,
		],
		['Deliveries answered as repeats (dropped)', (x) => String(x.repeatsAnswered)],
		['Deliveries not answered 2xx', (x) => String(x.failedDeliveries)],
		[
			'Executions (by status)',
			(x) =>
				`${x.executionsTotal} (${Object.entries(x.executions)
					.map(([status, n]) => `${status} ${n}`)
					.join(', ')})`,
		],
		['Replies sent', (x) => String(x.replies)],
		['Messages with exactly one reply', (x) => `${x.exactlyOne} / ${x.events}`],
		[
			'Messages replied to more than once (duplicate replies)',
			(x) => `${x.eventsWithDuplicates} (${x.duplicateReplies})`,
		],
		[
			'Messages never replied to (lost); of which no attempt was answered 2xx',
			(x) => `${x.lost}; ${x.gaveUp ?? '–'}`,
		],
		[
			'Delivery → reply accepted: p50 / p95',
			(x) => `${milliseconds(x.p50Ms)} / ${milliseconds(x.p95Ms)}`,
		],
		[
			'All delivered after / last execution finished after',
			(x) => `${seconds(x.deliveredMs)} / ${seconds(x.wallMs)}`,
		],
		[
			'Peak RSS main / webhook1 / webhook2 / worker1 / worker2',
			(x) =>
				`${['main', 'webhook1', 'webhook2', 'worker1', 'worker2'].map((name) => x.peakMiB[name] ?? '–').join(' / ')} MiB`,
		],
		[
			'Load average (1 min) at start / end',
			(x) => `${x.load.start.toFixed(2)} / ${x.load.end.toFixed(2)}`,
		],
	];
	return [
		'| Measure | Pilot Status Trigger → Send | Webhook node → HTTP Request (baseline) |',
		'|---|---|---|',
		...rows.map(
			([measure, pick]) => `| ${measure} | ${pick(trigger)} | ${baseline ? pick(baseline) : '–'} |`,
		),
	].join('\n');
}

const exactlyOnce = (x) => !x.capped && x.exactlyOne === x.events && x.lost === 0;

/** The flood scenario for bench:scale: both runs, their table and verdict. */
async function floodScenario(sandbox) {
	const trigger = await floodRun('trigger', sandbox);
	const baseline = WITH_BASELINE ? await floodRun('baseline', sandbox) : undefined;
	const failed = !exactlyOnce(trigger);
	const text = [
		`Inbound flood (\`node bench/flood.js\`, revision ${revision()}): n8n in queue mode (Redis, PostgreSQL, one main, two webhook processes behind a ${PINNED ? 'balancer that sends the webhook path to webhook1 only' : 'round-robin balancer'}, two workers with ${SLOTS} slots), ${EVENTS} message.received events, ${IN_FLIGHT} being delivered at a time. Of every 20 events the sandbox delivers 14 once, 3 twice (the first answer lost, retried 1 s later), 1 three times (retried after 1 s and 2 s more) and 2 as two copies at the same moment; ${PINNED ? 'every attempt goes to webhook1' : 'each attempt goes to the next webhook process'}. Each column is a fresh setup.`,
		'',
		table(trigger, baseline),
		'',
		'Replies are counted in the sandbox: each reply names its inbound event. Delivery → reply: from the start of the first attempt to the sandbox accepting the reply (one clock).',
		'',
		...(failed
			? [
					`**Missed: ${trigger.exactlyOne} of ${trigger.events} messages got exactly one reply through the trigger (${trigger.eventsWithDuplicates} more than one, ${trigger.lost} none).**`,
					'',
				]
			: []),
	].join('\n');
	return { text, failed, trigger, baseline };
}

function machine() {
	const cpus = os.cpus();
	return `${cpus.length} × ${cpus[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}, n8n ${env.N8N_VERSION}`;
}

function revision() {
	if (process.env.SCALE_REVISION) return process.env.SCALE_REVISION;
	try {
		return execFileSync('git', ['describe', '--always', '--dirty'], {
			cwd: env.ROOT,
			encoding: 'utf8',
		}).trim();
	} catch {
		return 'unknown';
	}
}

async function main() {
	await env.ensureN8n();
	const sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
	own(sandbox.child);
	let part;
	try {
		part = await floodScenario(sandbox);
	} finally {
		await sandbox.stop();
	}
	const report = [`## ${new Date().toISOString().slice(0, 10)}: ${machine()}`, '', part.text].join(
		'\n',
	);
	publishReport(report, 'FLOOD_NO_RESULTS');
	return part.failed ? 1 : 0;
}

if (require.main === module)
	main().then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`${error.stack ?? error}\n`);
			process.exit(1);
		},
	);

module.exports = { deliveryPlan, floodScenario, publishFlood, runFlood };
