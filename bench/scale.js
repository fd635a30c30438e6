#!/usr/bin/env node
'use strict';
// npm run bench:scale: scenarios in n8n's queue mode, chosen by SCALE_SCENARIOS
// ("onboarding,campaign,burst,flood", the default; each under 17 minutes on 2 cores). Campaign and
// 429 burst are in bench/campaign.js, the inbound flood in bench/flood.js. Onboarding at scale in n8n's queue mode (scripts/lib/queue-env.js: Redis,
// PostgreSQL, one main, one webhook process, two workers). 100 onboardings are started together
// through a Webhook trigger (Webhook → Create Number → Wait for Connection → No Operation); the
// sandbox's customer connects each number 30 to 120 s after it was created (connectAfterSeconds).
// Run once per mode of Wait for Connection, each in a fresh setup so every process's peak memory
// belongs to one run:
//   webhook, 10 slots per worker: the execution waits in the database, a worker slot is held only
//     while the execution starts and while it resumes;
//   polling, 10 slots per worker: the same setup; each wait holds a slot, so 20 slots run 20
//     onboardings at a time and the rest queue in Redis (a number is created only when its
//     execution gets a slot);
//   polling, 50 slots per worker: enough slots for all 100 waits at once.
// 10 is n8n's default worker concurrency, and ample for webhook mode. Measured: wall time, rate,
// worker slots held (Bull's active jobs, sampled every second), execution statuses, each process's
// peak RSS, and the sandbox's request log. Every run must end with all onboardings connected; a
// run that does not finish within its cap is stopped and reported as such (exit code 1).
// The table is printed and added to bench/RESULTS.md (newest first). About 17 minutes on 2 cores.
//   SCALE_EXECUTIONS (100), SCALE_CONNECT_SECONDS ("30,120"), SCALE_POLL_SECONDS (5),
//   SCALE_RUNS ("webhook:10,polling:10,polling:50": mode:slots per worker),
//   SCALE_CAP_MINUTES (12: longest wait for one run's executions), SCALE_NO_RESULTS=1 (print only),
//   SCALE_FIGURES_FILE (every figure as JSON), SCALE_REVISION (what was measured, if not git's).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const env = require('../scripts/lib/n8n-env');
const { publishReport, revision } = require('./results');
const { sandboxCredential } = require('../scripts/lib/examples');
const { outputOf, own, peakMemoryMiB, sleep } = require('../scripts/lib/n8n-server');
const { startQueueEnv, startSampler } = require('../scripts/lib/queue-env');
const { burstScenario, campaignScenario } = require('./campaign');
const { floodScenario } = require('./flood');
const { childPids, loadAverages, machineLine: machine, reportHeading } = require('./machine');
const { onboardingWorkflow } = require('../scripts/lib/workflows');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

// ---------------------------------------------------------------------------------------------
// One run (also used by e2e/queue.test.js, at CI size)

/** Runs `tasks` (functions returning promises) `limit` at a time; resolves with their results. */
async function inBatches(tasks, limit) {
	const results = new Array(tasks.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, tasks.length) }, async () => {
			while (next < tasks.length) {
				const index = next++;
				results[index] = await tasks[index]();
			}
		}),
	);
	return results;
}

/** How many jobs each execution was run as on each worker ("Worker started execution <id>"). */
function workerJobs(workers) {
	const jobs = new Map();
	for (const worker of workers)
		for (const match of worker.log().matchAll(/Worker started execution (\S+) \(job [^)]+\)/g)) {
			const entry = jobs.get(match[1]) ?? [];
			entry.push(worker.name);
			jobs.set(match[1], entry);
		}
	return jobs;
}

/**
 * Starts `count` onboardings of a published `onboardingWorkflow` together through the webhook
 * process and waits (at most `capMs`) until every one has finished, sampling Bull and the
 * executions table every second. The sandbox must already be set to connect numbers by itself.
 * Resolves with what was measured; asserts nothing.
 */
async function runOnboardings({
	queue,
	client,
	sandbox,
	workflowId,
	webhookPath,
	count,
	capMs,
	say = () => {},
	progressEveryMs = 15_000,
}) {
	const sampler = startSampler(queue, { workflowId, intervalMs: 1000 });
	const url = `${queue.webhooks[0].url}/webhook/${webhookPath}`;
	const started = Date.now();
	const answers = await Promise.all(
		Array.from({ length: count }, (_, index) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					customer: `Customer ${index + 1}`,
					phone: `+5511955${String(index).padStart(6, '0')}`,
				}),
			}).then(
				async (response) => {
					await response.arrayBuffer();
					return response.status;
				},
				(error) => `${error.cause?.code ?? error.message}`,
			),
		),
	);
	const acceptedMs = Date.now() - started;

	let capped = false;
	let lastProgress = Date.now();
	for (;;) {
		const sample = sampler.last();
		const done = FINISHED.reduce((sum, status) => sum + (sample?.executions[status] ?? 0), 0);
		if (sample && sample.t > acceptedMs && done >= count) break;
		if (Date.now() - started > capMs) {
			capped = true;
			break;
		}
		if (Date.now() - lastProgress >= progressEveryMs && sample) {
			lastProgress = Date.now();
			const e = sample.executions;
			say(
				`    ${Math.round((Date.now() - started) / 1000)} s: ${done}/${count} finished, ` +
					`${e.waiting ?? 0} waiting, ${e.running ?? 0} running, ${e.new ?? 0} new; ` +
					`Bull: ${sample.active} active, ${sample.waiting} queued`,
			);
		}
		await sleep(500);
	}
	// A few more samples after the last one finished.
	await sleep(capped ? 0 : 2000);
	const { samples, errors: sampleErrors } = await sampler.stop();

	const peakMiB = Object.fromEntries(
		[
			...queue.processes(),
			{ name: 'redis', pid: queue.redis.child.pid },
			{ name: 'postgres', pid: queue.postgres.child.pid },
		].map((server) => [server.name, peakMemoryMiB(server.pid)]),
	);
	// n8n 2.x starts a task runner (a child process) beside each n8n process: its peak, apart.
	for (const server of queue.processes()) {
		const runners = childPids(server.pid).map((pid) => peakMemoryMiB(pid) ?? 0);
		peakMiB[`${server.name} runner`] = runners.reduce((sum, value) => sum + value, 0);
	}

	const rows = await queue.postgres.queryAsync(
		`select id, status, round(extract(epoch from "createdAt") * 1000), round(extract(epoch from "stoppedAt") * 1000) from execution_entity where "workflowId" = '${workflowId}' and "deletedAt" is null order by id::int`,
	);
	const executions = rows.map(([id, status, createdAt, stoppedAt]) => ({
		id,
		status,
		createdAt: Number(createdAt),
		stoppedAt: stoppedAt === '' ? undefined : Number(stoppedAt),
	}));
	// What the wait output for each finished execution (the REST API, as the editor reads it).
	await inBatches(
		executions
			.filter((execution) => FINISHED.includes(execution.status))
			.map((execution) => async () => {
				const full = await client.getExecution(execution.id);
				const [created] = outputOf(full, 'Create Number');
				const [waited] = outputOf(full, 'Wait for Connection');
				execution.numberId = created?.json?.id;
				execution.wait = waited?.json;
				execution.error = full.data?.resultData?.error?.message;
			}),
		4,
	);

	const [state, requests] = await Promise.all([
		sandbox.control('GET', '/state'),
		sandbox.control('GET', '/requests'),
	]);
	const seeded = new Set(SEED.numbers.map((number) => number.id));
	const numbers = state.numbers.filter((number) => !seeded.has(number.id));
	const connects = new Map(state.scheduledConnects.map((entry) => [entry.numberId, entry]));

	return {
		count,
		started,
		acceptedMs,
		answers,
		capped,
		samples,
		sampleErrors,
		peakMiB,
		executions,
		numbers: numbers.map((number) => ({
			id: number.id,
			createdAt: Date.parse(number.createdAt),
			state: number.state,
			connectedAt: connects.get(number.id)?.connectedAt
				? Date.parse(connects.get(number.id).connectedAt)
				: undefined,
			deliveries: connects.get(number.id)?.deliveries ?? [],
		})),
		requests,
		jobs: workerJobs(queue.workers),
		leftoverWebhooks: state.webhooks.length,
	};
}

// ---------------------------------------------------------------------------------------------
// Figures

const quantile = (values, q) => {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const mean = (values) =>
	values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;

/** The figures of one run, from what runOnboardings measured. */
function summarize(run) {
	const { samples, executions, numbers, requests, started } = run;
	const finished = executions.filter((execution) => FINISHED.includes(execution.status));
	const connected = finished.filter(
		(execution) => execution.status === 'success' && execution.wait?.connected === true,
	);
	const lastStop = Math.max(...finished.map((execution) => execution.stoppedAt ?? 0));
	const wallMs = finished.length > 0 ? lastStop - started : undefined;

	const status = (sample, name) => sample.executions[name] ?? 0;
	const apiRequests = requests.filter((request) => request.path.startsWith('/v1/'));

	// Pairing: from a number's creation to its connection (the sandbox's clock, same machine).
	const created = numbers.map((number) => number.createdAt);
	const connectedAt = numbers.map((number) => number.connectedAt).filter(Boolean);
	const pairingFrom = Math.min(...created);
	const pairingTo = connectedAt.length ? Math.max(...connectedAt) : Date.now();
	const pairingAt = (time) =>
		numbers.filter((number) => number.createdAt <= time && (number.connectedAt ?? Infinity) > time)
			.length;
	const inPairing = samples.filter(
		(sample) => started + sample.t >= pairingFrom && started + sample.t <= pairingTo,
	);
	// Every onboarding waiting for its number, none connected yet: nothing starts or resumes then.
	// An onboarding waits from its first status check; in webhook mode from when n8n stored it as
	// 'waiting' (the worker lets go of the job just after: the window opens at the next sample).
	const firstCheck = new Map();
	for (const request of apiRequests)
		if (request.method === 'GET' && /^\/v1\/numbers\/[^/]+\/status$/.test(request.path)) {
			const numberId = request.path.split('/')[3];
			if (!firstCheck.has(numberId)) firstCheck.set(numberId, Date.parse(request.at));
		}
	const allWaiting = samples.find(
		(sample) =>
			status(sample, 'waiting') + FINISHED.reduce((sum, name) => sum + status(sample, name), 0) >=
				run.count && status(sample, 'waiting') > 0,
	);
	const quietFrom = Math.max(
		firstCheck.size === numbers.length && numbers.length > 0
			? Math.max(...firstCheck.values())
			: Infinity,
		allWaiting ? started + allWaiting.t + 1 : -Infinity,
	);
	const quietTo = connectedAt.length ? Math.min(...connectedAt) : undefined;
	const quiet =
		quietTo > quietFrom
			? samples.filter((sample) => started + sample.t >= quietFrom && started + sample.t <= quietTo)
			: [];
	const intervalS = 1;
	const countRequests = (method, pattern) =>
		apiRequests.filter((request) => request.method === method && pattern.test(request.path)).length;
	const byNumber = new Map(numbers.map((number) => [number.id, number]));
	const resumeLatency = finished
		.map((execution) => {
			const number = byNumber.get(execution.numberId);
			return number?.connectedAt && execution.stoppedAt
				? execution.stoppedAt - number.connectedAt
				: undefined;
		})
		.filter((value) => value !== undefined);
	const deliveries = numbers.flatMap((number) => number.deliveries);
	const jobCounts = executions.map((execution) => run.jobs.get(String(execution.id)) ?? []);
	const perWorker = {};
	for (const names of jobCounts)
		for (const name of names) perWorker[name] = (perWorker[name] ?? 0) + 1;

	return {
		executions: executions.length,
		finished: finished.length,
		connected: connected.length,
		notConnected: finished
			.filter((execution) => !connected.includes(execution))
			.map((execution) => ({ id: execution.id, status: execution.status, error: execution.error })),
		capped: run.capped,
		accepted: run.answers.filter((answer) => answer === 200).length,
		acceptedMs: run.acceptedMs,
		wallMs,
		perSecond: wallMs ? connected.length / (wallMs / 1000) : undefined,
		allCreatedMs: created.length ? Math.max(...created) - started : undefined,
		numbersCreated: numbers.length,
		pairingMs: connectedAt.length ? pairingTo - pairingFrom : undefined,
		activePeak: Math.max(0, ...samples.map((sample) => sample.active)),
		activeAvgWhilePairing: mean(inPairing.map((sample) => sample.active)),
		pairingAvg: mean(inPairing.map((sample) => pairingAt(started + sample.t))),
		pairingPeak: Math.max(0, ...samples.map((sample) => pairingAt(started + sample.t))),
		quietMs: quietTo > quietFrom ? quietTo - quietFrom : 0,
		quietSamples: quiet.length,
		activeQuietPeak: quiet.length ? Math.max(...quiet.map((sample) => sample.active)) : undefined,
		activeQuietAvg: mean(quiet.map((sample) => sample.active)),
		runningQuietPeak: quiet.length
			? Math.max(...quiet.map((sample) => status(sample, 'running')))
			: undefined,
		waitingQuietMin: quiet.length
			? Math.min(...quiet.map((sample) => status(sample, 'waiting')))
			: undefined,
		slotSeconds: samples.reduce((sum, sample) => sum + sample.active * intervalS, 0),
		queuedPeak: Math.max(0, ...samples.map((sample) => sample.waiting)),
		runningPeak: Math.max(0, ...samples.map((sample) => status(sample, 'running'))),
		runningAvgWhilePairing: mean(inPairing.map((sample) => status(sample, 'running'))),
		waitingPeak: Math.max(0, ...samples.map((sample) => status(sample, 'waiting'))),
		samples: samples.length,
		sampleErrors: run.sampleErrors,
		peakMiB: run.peakMiB,
		requests: {
			total: apiRequests.length,
			create: countRequests('POST', /^\/v1\/numbers$/),
			statusPolls: countRequests('GET', /^\/v1\/numbers\/[^/]+\/status$/),
			webhookCreates: countRequests('POST', /^\/v1\/webhooks$/),
			webhookLists: countRequests('GET', /^\/v1\/webhooks$/),
			webhookDeletes: countRequests('DELETE', /^\/v1\/webhooks\/[^/]+$/),
		},
		deliveries: {
			total: deliveries.length,
			ok: deliveries.filter((delivery) => delivery.statusCode >= 200 && delivery.statusCode < 300)
				.length,
			failed: deliveries
				.filter((delivery) => !(delivery.statusCode >= 200 && delivery.statusCode < 300))
				.map((delivery) => `${delivery.statusCode} after ${delivery.durationMs} ms`),
			medianMs: quantile(
				deliveries.map((delivery) => delivery.durationMs),
				0.5,
			),
			slowestMs: Math.max(0, ...deliveries.map((delivery) => delivery.durationMs)),
		},
		resumeLatencyMs: {
			median: quantile(resumeLatency, 0.5),
			p95: quantile(resumeLatency, 0.95),
			max: resumeLatency.length ? Math.max(...resumeLatency) : undefined,
		},
		workerJobs: {
			perWorker,
			executionsOnWorkers: jobCounts.filter((names) => names.length > 0).length,
			jobsPerExecution: mean(jobCounts.map((names) => names.length)),
		},
		leftoverWebhooks: run.leftoverWebhooks,
	};
}

// ---------------------------------------------------------------------------------------------
// The benchmark

const EXECUTIONS = Number(process.env.SCALE_EXECUTIONS ?? 100);
const CONNECT_SECONDS = (process.env.SCALE_CONNECT_SECONDS ?? '30,120').split(',').map(Number);
const POLL_SECONDS = Number(process.env.SCALE_POLL_SECONDS ?? 5);
const CAP_MINUTES = Number(process.env.SCALE_CAP_MINUTES ?? 12);
const RUNS = (process.env.SCALE_RUNS ?? 'webhook:10,polling:10,polling:50')
	.split(',')
	.map((spec) => {
		const [mode, slots] = spec.trim().split(':');
		if (!['webhook', 'polling'].includes(mode) || !(Number(slots) > 0))
			throw new Error(`SCALE_RUNS: "${spec}" is not mode:slots (webhook:10, polling:50)`);
		return { mode, concurrency: Number(slots) };
	});

const seconds = (ms, digits = 0) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(digits)} s`);
const fixed = (value, digits = 1) => (value === undefined ? '–' : value.toFixed(digits));

async function benchmarkRun({ mode, concurrency }, sandbox) {
	const label = `${mode}, ${concurrency} slots per worker`;
	env.say(`\n${label}: starting Redis, PostgreSQL, main, webhook process, 2 workers...`);
	const queue = await startQueueEnv({
		workers: 2,
		webhooks: 1,
		concurrency,
		say: env.say,
	});
	try {
		const credential = await queue.client.createCredential(
			sandboxCredential(undefined, 'Pilot Status (sandbox)', sandbox.url, SEED.tenantKey.value),
		);
		const { workflow, webhookPath } = onboardingWorkflow({
			credential,
			resumeWhen: mode,
			pollInterval: POLL_SECONDS,
			// Longer than any wait can last: a number connects at most 120 s after it was created.
			timeoutMinutes: 10,
		});
		const { id: workflowId } = await queue.client.createWorkflow(workflow);
		await queue.client.publish(workflowId);
		await sandbox.control('POST', '/reset');
		await sandbox.control('PUT', '/settings', { connectAfterSeconds: CONNECT_SECONDS });
		// Let the processes settle after startup before the clock starts.
		await sleep(5000);
		const loadAtStart = os.loadavg()[0];
		env.say(
			`  ${EXECUTIONS} onboardings at once (cap ${CAP_MINUTES} min; load average ${loadAtStart.toFixed(2)})...`,
		);
		const run = await runOnboardings({
			queue,
			client: queue.client,
			sandbox,
			workflowId,
			webhookPath,
			count: EXECUTIONS,
			capMs: CAP_MINUTES * 60_000,
			say: env.say,
		});
		const figures = summarize(run);
		figures.load = { start: loadAtStart, end: os.loadavg()[0] };
		env.say(
			`  ${figures.connected}/${EXECUTIONS} connected in ${seconds(figures.wallMs)}; ` +
				`Bull active peak ${figures.activePeak}, average while pairing ${fixed(figures.activeAvgWhilePairing, 2)}`,
		);
		return { mode, concurrency, label, figures, startup: queue.timings };
	} finally {
		await queue.stop();
	}
}

function table(results) {
	const header = `| Measure | ${results.map((result) => `${result.mode === 'webhook' ? 'Webhook' : 'Polling'}, ${result.concurrency} slots/worker`).join(' | ')} |`;
	const rule = `|---|${results.map(() => '---').join('|')}|`;
	const f = (pick) => results.map((result) => pick(result.figures, result)).join(' | ');
	const rows = [
		[
			'Finished connected',
			f(
				(x) =>
					`${x.connected} / ${EXECUTIONS}${x.capped ? ` (stopped at the ${CAP_MINUTES} min cap)` : ''}`,
			),
		],
		[
			`Wall time for the ${EXECUTIONS} (first call → last execution finished)`,
			f((x) => seconds(x.wallMs)),
		],
		['Executions per second (connected ÷ wall time)', f((x) => fixed(x.perSecond, 2))],
		['All numbers created after', f((x) => seconds(x.allCreatedMs))],
		[
			'Worker slots held (Bull active jobs): peak',
			f((x, r) => `${x.activePeak} of ${r.concurrency * 2}`),
		],
		[
			'Worker slots held: time-average while numbers pair',
			f((x) => `${fixed(x.activeAvgWhilePairing, 2)} (numbers pairing: ${fixed(x.pairingAvg, 1)})`),
		],
		[
			'Worker slots held while every onboarding waits (all at their wait, none connected yet): average / peak',
			f((x) =>
				x.quietSamples
					? `${fixed(x.activeQuietAvg, 2)} / ${x.activeQuietPeak} (${x.quietSamples} samples over ${seconds(x.quietMs)})`
					: 'no such moment: numbers are created only as slots free up',
			),
		],
		['Worker slot-seconds used', f((x) => fixed(x.slotSeconds, 0))],
		['Jobs queued for a slot (Bull wait): peak', f((x) => String(x.queuedPeak))],
		["Executions 'running' / 'waiting': peak", f((x) => `${x.runningPeak} / ${x.waitingPeak}`)],
		[
			'Connected → execution finished: median / p95',
			f((x) => `${seconds(x.resumeLatencyMs.median, 1)} / ${seconds(x.resumeLatencyMs.p95, 1)}`),
		],
		['Peak RSS main', f((x) => `${x.peakMiB.main} MiB`)],
		['Peak RSS webhook process', f((x) => `${x.peakMiB.webhook1} MiB`)],
		['Peak RSS worker1 / worker2', f((x) => `${x.peakMiB.worker1} / ${x.peakMiB.worker2} MiB`)],
		[
			'Peak RSS of the task runners (main, webhook, worker1, worker2)',
			f(
				(x) =>
					`${['main', 'webhook1', 'worker1', 'worker2'].map((name) => x.peakMiB[`${name} runner`]).join(' / ')} MiB`,
			),
		],
		[
			'Peak RSS Redis / PostgreSQL (postmaster)',
			f((x) => `${x.peakMiB.redis} / ${x.peakMiB.postgres} MiB`),
		],
		[
			'Machine load average (1 min) at start / end of the run',
			f((x) => `${x.load.start.toFixed(2)} / ${x.load.end.toFixed(2)}`),
		],
		['Sandbox API requests', f((x) => String(x.requests.total))],
		['… of which status polls', f((x) => String(x.requests.statusPolls))],
		[
			'… webhooks registered / listed / deleted',
			f(
				(x) =>
					`${x.requests.webhookCreates} / ${x.requests.webhookLists} / ${x.requests.webhookDeletes}`,
			),
		],
		[
			'number.connected deliveries: ok / failed',
			f((x) => `${x.deliveries.ok} / ${x.deliveries.failed.length}`),
		],
		[
			'Worker jobs per execution; per worker',
			f(
				(x) =>
					`${fixed(x.workerJobs.jobsPerExecution, 1)}; ${Object.entries(x.workerJobs.perWorker)
						.sort()
						.map(([name, jobs]) => `${name} ${jobs}`)
						.join(', ')}`,
			),
		],
	];
	return [header, rule, ...rows.map(([measure, values]) => `| ${measure} | ${values} |`)].join(
		'\n',
	);
}

/** The onboarding scenario: every SCALE_RUNS column in its own setup; its report and verdict. */
async function onboardingScenario(sandbox) {
	const load = loadAverages();
	const results = [];
	let failed = false;
	for (const spec of RUNS) {
		const result = await benchmarkRun(spec, sandbox);
		results.push(result);
		const x = result.figures;
		const complete =
			!x.capped &&
			x.connected === EXECUTIONS &&
			x.accepted === EXECUTIONS &&
			x.workerJobs.executionsOnWorkers === EXECUTIONS;
		if (!complete) {
			failed = true;
			env.say(
				`  NOT all ${EXECUTIONS} connected: ${JSON.stringify({ capped: x.capped, accepted: x.accepted, notConnected: x.notConnected.slice(0, 5) })}`,
			);
		}
	}
	const figuresFile = process.env.SCALE_FIGURES_FILE;
	if (figuresFile)
		fs.writeFileSync(
			figuresFile,
			`${JSON.stringify({ at: new Date().toISOString(), machine: machine(), results }, null, 2)}\n`,
		);
	const text = [
		`Onboarding at scale (\`npm run bench:scale\`, revision ${revision()}): n8n in queue mode (Redis, PostgreSQL, one main, one webhook process, two workers), ${EXECUTIONS} executions of Webhook → Create Number → Wait for Connection → No Operation started together; the sandbox connects each number ${CONNECT_SECONDS[0]}–${CONNECT_SECONDS[1]} s after it was created; polling every ${POLL_SECONDS} s. Load average before the run: ${load}.`,
		'',
		table(results),
		'',
		'Each column is a fresh setup (peak RSS is per process since its start). Worker slots held: the length of Bull\'s active list in Redis, sampled every second; "while numbers pair" averages the samples from the first number created to the last one connected, beside how many numbers were pairing then. Slot-seconds: the sum of those samples. With polling a number is created only when its execution gets a slot, so with fewer slots than onboardings the rest wait in Bull\'s queue.',
		'',
		...(failed ? ['**At least one run did not end with every onboarding connected.**', ''] : []),
	].join('\n');
	return { text, failed };
}

/**
 * SCALE_SCENARIOS picks what runs, in this order: onboarding (about 17 minutes on 2 cores),
 * campaign (about 8), burst (about 5), flood (bench/flood.js, about 10). Default: all of them.
 */
const SCENARIOS = {
	onboarding: onboardingScenario,
	campaign: (sandbox) => campaignScenario(sandbox),
	burst: (sandbox) => burstScenario(sandbox),
	flood: (sandbox) => floodScenario(sandbox),
};
function chosenScenarios() {
	const names = (process.env.SCALE_SCENARIOS ?? Object.keys(SCENARIOS).join(','))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const unknown = names.filter((name) => !(name in SCENARIOS));
	if (unknown.length > 0 || names.length === 0)
		throw new Error(
			`SCALE_SCENARIOS: "${unknown.join(', ')}" unknown; choose from ${Object.keys(SCENARIOS).join(', ')}`,
		);
	return Object.keys(SCENARIOS).filter((name) => names.includes(name));
}

async function main() {
	const scenarios = chosenScenarios();
	await env.ensureN8n();
	const sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
	own(sandbox.child);
	const load = loadAverages();
	const parts = [];
	let failed = false;
	try {
		for (const name of scenarios) {
			const part = await SCENARIOS[name](sandbox);
			parts.push(part.text);
			failed ||= part.failed;
		}
	} finally {
		await sandbox.stop();
	}

	const report = [
		reportHeading(),
		'',
		`\`npm run bench:scale\` (SCALE_SCENARIOS=${scenarios.join(',')}), revision ${revision()}; load average before: ${load}.`,
		'',
		...parts,
	].join('\n');
	publishReport(report, 'SCALE_NO_RESULTS');
	if (failed) process.stdout.write('At least one scenario missed its target (see above).\n');
	return failed ? 1 : 0;
}

module.exports = { runOnboardings, summarize, workerJobs };

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`${error.stack}\n`);
			process.exit(1);
		},
	);
}
