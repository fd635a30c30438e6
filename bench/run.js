#!/usr/bin/env node
'use strict';
// npm run bench: speed, memory and footprint, each as a ratio against a baseline measured in the
// same run on the same machine. Results are printed and written to bench/RESULTS.md.
//   BENCH_ITEMS (500 Get Status), BENCH_SENDS (1000 text sends), BENCH_CREATES (200),
//   BENCH_ROUNDS (7), BENCH_MEDIA_ITEMS (200), BENCH_MEDIA_MB (3), BENCH_MEDIA_MODES
//   ("default,filesystem": n8n binary data modes) change them; BENCH_NO_RESULTS=1 prints only.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { DatabaseSync } = require('node:sqlite');

const env = require('../scripts/lib/n8n-env');
const { publishReport, revision } = require('./results');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');
const { comparisonTable, loadAverages, reportHeading } = require('./machine');
const { measureMediaMemory, mediaRows, MEDIA_MODES } = require('./media');
const { credentials, createWorkflows, sendWorkflows, throughputWorkflows } = require('./workflows');

const ITEMS = Number(process.env.BENCH_ITEMS ?? 500);
const CREATES = Number(process.env.BENCH_CREATES ?? 200);
const SENDS = Number(process.env.BENCH_SENDS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** The Pilot Status node must do 500 × Get Status in at most this share of the HTTP Request node's time. */
const THROUGHPUT_TARGET = 0.85;
/** …and 1,000 × Message → Send (text) in at most this share (issue 23). */
const SEND_TARGET = 0.85;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ratio = (a, b) => (a / b).toFixed(2);
const perItem = (ms, items = ITEMS) => `${(ms / items).toFixed(2)} ms/item`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

let sandbox;
let userFolder;

const control = (method, route, body) => sandbox.control(method, route, body);

/** Runs a workflow; returns the run, and the peak resident memory of the n8n process. */
async function execute(id) {
	let peakKb = 0;
	let timer;
	const result = await env.n8n(['execute', `--id=${id}`, '--rawOutput'], {
		userFolder,
		timeoutMs: 600_000,
		onSpawn: (child) => {
			timer = setInterval(() => {
				try {
					const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
					peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
				} catch {
					// exited between ticks
				}
			}, 25);
		},
	});
	clearInterval(timer);
	if (result.code !== 0)
		throw new Error(
			`Workflow ${id} failed:\n${result.stdout.slice(-3000)}${result.stderr.slice(-2000)}`,
		);
	return { run: env.parseRun(result.stdout), peakBytes: peakKb * 1024 };
}

/** Every item's message accepted exactly once: as many messages as items, each destination once. */
async function expectEachSentOnce(kind, run) {
	const { messages } = await control('GET', '/messages');
	const destinations = new Set(messages.map((message) => message.to));
	const out = itemCount(run, 'Target');
	if (out !== SENDS || messages.length !== SENDS || destinations.size !== SENDS)
		throw new Error(
			`Send x ${kind}: ${out} items out, ${messages.length} messages accepted for ${destinations.size} destinations (expected ${SENDS} of each)`,
		);
}

const nodeTime = (run, name) => run.data.resultData.runData[name][0].executionTime;
const itemCount = (run, name) => run.data.resultData.runData[name][0].data.main[0].length;

/** The same requests with Node's own HTTP client and a keep-alive agent: the floor. */
async function plainHttp(count) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from(
			{ length: count },
			(_, index) =>
				new Promise((resolve, reject) => {
					const id = index % 2 ? 'num_suporte' : 'num_vendas';
					const request = http.get(
						`${sandbox.url}/v1/numbers/${id}/status`,
						{ agent, headers: { 'x-api-key': SEED.tenantKey.value, accept: 'application/json' } },
						(response) => {
							let text = '';
							response.on('data', (chunk) => (text += chunk));
							response.on('end', () =>
								response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(text)),
							);
						},
					);
					request.on('error', reject);
				}),
		),
	);
	agent.destroy();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Size of what n8n saved for the latest execution (its run data, JSON). */
function latestExecutionDataBytes() {
	const database = new DatabaseSync(path.join(userFolder, '.n8n', 'database.sqlite'), {
		readOnly: true,
	});
	try {
		const row = database
			.prepare('SELECT length(data) AS size FROM execution_data ORDER BY executionId DESC LIMIT 1')
			.get();
		return row.size;
	} finally {
		database.close();
	}
}

/** Median time to require a module in a fresh Node 24 process that already has n8n-workflow loaded. */
function requireTime(modules) {
	const script = `
		require(${JSON.stringify(path.join(env.HOST_DIR, 'node_modules/n8n-workflow'))});
		const started = process.hrtime.bigint();
		for (const file of ${JSON.stringify(modules)}) require(file);
		process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));`;
	const samples = Array.from({ length: 9 }, () =>
		Number(
			execFileSync(env.NODE_BIN, ['-e', script], {
				encoding: 'utf8',
				env: { ...process.env, NODE_PATH: path.join(env.HOST_DIR, 'node_modules') },
			}),
		),
	);
	return median(samples);
}

async function main() {
	await env.ensureN8n();
	const loadBefore = loadAverages();
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-bench-'));
	const installed = await env.installThisPackage(userFolder);
	sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
	const throughput = throughputWorkflows(sandbox.url, ITEMS);
	const sends = sendWorkflows(sandbox.url, SENDS);
	const creates = createWorkflows(sandbox.url, CREATES);
	await env.importIntoN8n(userFolder, {
		credentials: credentials(sandbox.url, SEED.tenantKey.value, SEED.numbers[0].key.value),
		workflows: [
			throughput.node,
			throughput.httpRequest,
			sends.node,
			sends.httpRequest,
			creates.node,
			creates.chain,
		],
	});

	env.say(
		`Throughput: ${ITEMS} × Get Status and ${SENDS} × Send (text), ${ROUNDS} rounds, alternating...`,
	);
	const times = { node: [], httpRequest: [], floor: [] };
	const sendTimes = { node: [], httpRequest: [] };
	for (let round = 0; round < ROUNDS; round++) {
		for (const kind of ['node', 'httpRequest']) {
			await control('POST', '/reset');
			const { run } = await execute(throughput[kind].id);
			if (itemCount(run, 'Target') !== ITEMS)
				throw new Error(`${kind} returned ${itemCount(run, 'Target')} items`);
			times[kind].push(nodeTime(run, 'Target'));
		}
		for (const kind of ['node', 'httpRequest']) {
			await control('POST', '/reset');
			const { run } = await execute(sends[kind].id);
			await expectEachSentOnce(kind, run);
			sendTimes[kind].push(nodeTime(run, 'Target'));
		}
		times.floor.push(await plainHttp(ITEMS));
	}

	env.say(`Memory and saved data: ${CREATES} × Create Number with QR codes...`);
	const memory = {};
	for (const kind of ['node', 'chain']) {
		await control('POST', '/reset');
		const { run, peakBytes } = await execute(creates[kind].id);
		const last = kind === 'node' ? 'Create' : 'To file';
		if (itemCount(run, last) !== CREATES)
			throw new Error(`${kind} returned ${itemCount(run, last)} items`);
		memory[kind] = {
			peakBytes,
			dataBytes: latestExecutionDataBytes(),
			ms: run.data.resultData.runData[last][0].executionTime,
		};
	}

	env.say(
		`Media memory: ${process.env.BENCH_MEDIA_ITEMS ?? 200} × Send of a PDF from a binary field, binary data modes ${MEDIA_MODES.join(', ')}...`,
	);
	// BENCH_MEDIA_MODES=none leaves the media rows out (node bench/media.js measures them alone).
	const media = mediaRows(
		MEDIA_MODES.length === 0
			? []
			: await measureMediaMemory({
					sandbox,
					nodesFolder: path.join(userFolder, '.n8n', 'nodes'),
					say: env.say,
				}),
	);

	const [packed] = JSON.parse(
		execFileSync(env.NODE_BIN, [env.npmCli(), 'pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: env.ROOT,
			encoding: 'utf8',
		}),
	);
	const whatsApp = path.join(
		env.HOST_DIR,
		'node_modules/n8n-nodes-base/dist/nodes/WhatsApp/WhatsApp.node.js',
	);
	const whatsAppCredential = path.join(
		env.HOST_DIR,
		'node_modules/n8n-nodes-base/dist/credentials/WhatsAppApi.credentials.js',
	);
	const ours = [
		path.join(installed, 'dist/nodes/PilotStatus/PilotStatus.node.js'),
		path.join(installed, 'dist/credentials/PilotStatusApi.credentials.js'),
	];
	const footprint = {
		packedBytes: packed.size,
		unpackedBytes: packed.unpackedSize,
		files: packed.entryCount,
		runtimeDependencies: Object.keys(env.PACKAGE.dependencies ?? {}).length,
		requireMs: requireTime(ours),
		baselineRequireMs: requireTime([whatsApp, whatsAppCredential]),
	};

	const t = {
		node: median(times.node),
		httpRequest: median(times.httpRequest),
		floor: median(times.floor),
		sendNode: median(sendTimes.node),
		sendHttpRequest: median(sendTimes.httpRequest),
	};
	const rows = [
		[
			'Throughput',
			`${ITEMS} × Get Status: Pilot Status node`,
			`${t.node} ms (${perItem(t.node)})`,
			'HTTP Request node (same headers)',
			`${t.httpRequest} ms (${perItem(t.httpRequest)})`,
			ratio(t.node, t.httpRequest),
			`≤ ${THROUGHPUT_TARGET.toFixed(2)}`,
		],
		[
			'Throughput',
			`${ITEMS} × Get Status: Pilot Status node`,
			`${t.node} ms (${perItem(t.node)})`,
			'Node http client, keep-alive (floor)',
			`${t.floor.toFixed(0)} ms (${perItem(t.floor)})`,
			ratio(t.node, t.floor),
			'informational',
		],
		[
			'Throughput',
			`${SENDS} × Message → Send (text): Pilot Status node`,
			`${t.sendNode} ms (${perItem(t.sendNode, SENDS)})`,
			'HTTP Request node (same JSON body and headers)',
			`${t.sendHttpRequest} ms (${perItem(t.sendHttpRequest, SENDS)})`,
			ratio(t.sendNode, t.sendHttpRequest),
			`≤ ${SEND_TARGET.toFixed(2)}`,
		],
		...media.rows,
		[
			'Memory',
			`${CREATES} × Create Number: n8n peak RSS`,
			mb(memory.node.peakBytes),
			'HTTP Request → Edit Fields → Convert to File',
			mb(memory.chain.peakBytes),
			ratio(memory.node.peakBytes, memory.chain.peakBytes),
			'≤ 1.00',
		],
		[
			'Data size',
			`${CREATES} × Create Number: saved execution data`,
			kb(memory.node.dataBytes),
			'HTTP Request → Edit Fields → Convert to File',
			kb(memory.chain.dataBytes),
			ratio(memory.node.dataBytes, memory.chain.dataBytes),
			'≤ 1.00',
		],
		[
			'Footprint',
			'require() node + credential',
			`${footprint.requireMs.toFixed(1)} ms`,
			"n8n's WhatsApp node + credential",
			`${footprint.baselineRequireMs.toFixed(1)} ms`,
			ratio(footprint.requireMs, footprint.baselineRequireMs),
			'informational',
		],
	];
	const pack = `Package: ${kb(footprint.packedBytes)} packed, ${kb(footprint.unpackedBytes)} unpacked, ${footprint.files} files, ${footprint.runtimeDependencies} runtime dependencies (target 0).`;
	const report = [
		reportHeading(),
		'',
		`\`npm run bench\`, revision ${revision()}; load average before: ${loadBefore}.`,
		'',
		comparisonTable(rows),
		'',
		pack,
		'',
		`Times are medians of ${ROUNDS} rounds of n8n's own per-node execution time (\`executionTime\`); the two workflows alternate. Every Send run is checked in the sandbox: one accepted message per item, each destination once. Create Number's memory is the n8n process's peak resident set (VmHWM) during \`n8n execute\`. Saved data is the \`execution_data\` row n8n stored (binary files live on disk in both cases).`,
		'',
		media.note,
		'',
	].join('\n');
	publishReport(report, 'BENCH_NO_RESULTS');

	const failed = [
		t.node <= THROUGHPUT_TARGET * t.httpRequest,
		t.sendNode <= SEND_TARGET * t.sendHttpRequest,
		...media.met,
		memory.node.peakBytes <= memory.chain.peakBytes,
		memory.node.dataBytes <= memory.chain.dataBytes,
		footprint.runtimeDependencies === 0,
	].includes(false);
	if (failed) process.stdout.write('At least one target was missed (see the Target column).\n');
	return failed ? 1 : 0;
}

main()
	.then(async (code) => {
		await sandbox?.stop();
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		process.exit(code);
	})
	.catch(async (error) => {
		process.stderr.write(`${error.stack}\n`);
		await sandbox?.stop();
		process.exit(1);
	});
