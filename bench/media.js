'use strict';
// Media memory (issue 23, "What to measure" 2): N × Message → Send of a multi-megabyte PDF from an
// n8n binary field, against n8n's own way of doing it (Read File → Extract from File → base64 →
// HTTP Request with the base64 in the JSON body), once per n8n binary data mode. Each measurement
// is a fresh `n8n start` (peak resident memory counts from a process's start) that runs the whole
// workflow from one production webhook call; `n8n execute` cannot be used: it prints the whole
// run, and in memory mode that is every file as base64.
//   BENCH_MEDIA_ITEMS (200), BENCH_MEDIA_MB (3), BENCH_MEDIA_MODES ("default,filesystem").
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { N8nClient, peakMemoryMiB, sleep, startN8n } = require('../scripts/lib/n8n-server');
const { webhookNode } = require('../scripts/lib/workflows');
const { comparisonTable, loadAverages, reportHeading } = require('./machine');
const {
	chainConnections,
	createSendingCredentials,
	headerRef,
	itemsNode,
	messageSendNode,
	messagesSendRequest,
	pilotStatusRef,
	splitNode,
} = require('./workflows');

const MEDIA_ITEMS = Number(process.env.BENCH_MEDIA_ITEMS ?? 200);
const MEDIA_MB = Number(process.env.BENCH_MEDIA_MB ?? 3);
/**
 * n8n's N8N_DEFAULT_BINARY_DATA_MODE values (n8n-core binary-data.config): 'default' keeps files in
 * memory as base64, 'filesystem' (2.41's default outside queue mode) keeps them on disk.
 */
const MEDIA_MODES = (process.env.BENCH_MEDIA_MODES ?? 'default,filesystem')
	.split(',')
	.map((mode) => mode.trim())
	.filter((mode) => mode !== '' && mode !== 'none');
const KINDS = ['node', 'httpRequest'];
const BASELINE_NAME = 'Read → Extract from File → HTTP Request (base64 in the JSON body)';

/** A PDF-shaped file of `bytes` bytes; random content, so nothing on the way can compress it. */
function writePdf(file, bytes) {
	const head = Buffer.from(
		'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 0 >>\nstream\n',
		'latin1',
	);
	const tail = Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
	const body = crypto.randomBytes(Math.max(0, bytes - head.length - tail.length));
	fs.writeFileSync(file, Buffer.concat([head, body, tail]));
}

/** Webhook (answers with the last node's items) → N items → Read the PDF per item → `tail`. */
function mediaWorkflow(name, webhookPath, pdfPath, tail) {
	const nodes = [
		webhookNode({
			name: 'Webhook',
			path: webhookPath,
			parameters: { responseMode: 'lastNode', responseData: 'allEntries' },
		}),
		itemsNode(
			'Items',
			`={{ Array.from({ length: ${MEDIA_ITEMS} }, (_, i) => ({ phone: '+55119' + String(56000000 + i) })) }}`,
		),
		splitNode(),
		{
			name: 'Read invoice',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			parameters: { operation: 'read', fileSelector: pdfPath, options: {} },
		},
		...tail,
	].map((node, index) => ({
		id: `media-${index}`,
		typeVersion: 1,
		position: [220 * index, 0],
		...node,
	}));
	// Not saved, in both: n8n would store the baseline's base64 (and, in memory mode, every file)
	// as JSON; the measure is the run itself.
	return {
		name,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none' },
		nodes,
		connections: chainConnections(nodes),
	};
}

function mediaWorkflows({ sandboxUrl, pdfPath, pilotStatus, header }) {
	const phone = "={{ $('Split').item.json.phone }}";
	return {
		node: mediaWorkflow('bench: media x node', 'bench-media-node', pdfPath, [
			messageSendNode({
				phone,
				content: {
					messageType: 'media',
					mediaType: 'document',
					mediaSource: 'binary',
					mediaBinaryField: 'data',
				},
				credentials: pilotStatusRef(pilotStatus),
			}),
		]),
		httpRequest: mediaWorkflow('bench: media x HTTP Request', 'bench-media-http', pdfPath, [
			{
				name: 'To base64',
				type: 'n8n-nodes-base.extractFromFile',
				typeVersion: 1.1,
				parameters: {
					operation: 'binaryToPropery',
					binaryPropertyName: 'data',
					destinationKey: 'data',
					options: {},
				},
			},
			messagesSendRequest(sandboxUrl, {
				body: [
					{ name: 'destinationNumber', value: phone },
					{ name: 'media', value: '=data:application/pdf;base64,{{ $json.data }}' },
					{ name: 'mediaType', value: 'document' },
				],
				credentials: headerRef(header),
			}),
		]),
	};
}

/** Credentials and both workflows, published, in a fresh n8n user folder's database. */
async function prepare(client, sandboxUrl, pdfPath) {
	const { pilotStatus, header } = await createSendingCredentials(client, sandboxUrl);
	const workflows = mediaWorkflows({ sandboxUrl, pdfPath, pilotStatus, header });
	const paths = {};
	for (const kind of KINDS) {
		const { id } = await client.createWorkflow(workflows[kind]);
		await client.publish(id);
		paths[kind] = workflows[kind].nodes[0].parameters.path;
	}
	return paths;
}

/** POSTs {} and waits for the answer however long the run takes (fetch gives up after 300 s). */
function post(url) {
	return new Promise((resolve) => {
		const request = http.request(
			url,
			{ method: 'POST', headers: { 'content-type': 'application/json' } },
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode, text }));
				response.on('error', (error) => resolve({ failure: error.message, text }));
			},
		);
		request.on('error', (error) => resolve({ failure: error.message, text: '' }));
		request.end('{}');
	});
}

/** n8n's error of the latest failed execution, to say why a run failed. */
async function lastError(client) {
	const [failed] = await client.listExecutions({ status: ['error', 'crashed'] }, { limit: 1 });
	if (!failed) return '';
	const error = (await client.getExecution(failed.id)).data?.resultData?.error;
	return `\nn8n: ${error?.node?.name ?? ''}: ${error?.message ?? 'no error stored'} ${error?.description ?? ''}`;
}

async function prepareOnce({ sandbox, userFolder, filesDir, pdfPath }) {
	const server = await startN8n({
		name: 'media-prepare',
		userFolder,
		env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
	});
	try {
		const client = await new N8nClient(server.url).signIn();
		return { paths: await prepare(client, sandbox.url, pdfPath) };
	} finally {
		await server.stop();
	}
}

/** One fresh n8n in `mode`, one webhook call running `kind`'s workflow; its memory and time. */
async function measureOnce({ mode, kind, sandbox, userFolder, filesDir, pdfPath, state }) {
	const server = await startN8n({
		name: `media-${mode}-${kind}`,
		userFolder,
		env: { N8N_DEFAULT_BINARY_DATA_MODE: mode, N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
	});
	try {
		const client = await new N8nClient(server.url).signIn();
		await sandbox.control('POST', '/reset');
		// Let startup settle, so its peak is measured apart from the run's.
		await sleep(3000);
		const startupPeakMiB = peakMemoryMiB(server.pid);
		const started = Date.now();
		const { status, text, failure } = await post(`${server.url}/webhook/${state.paths[kind]}`);
		const ms = Date.now() - started;
		await sleep(2000);
		const peakMiB = peakMemoryMiB(server.pid);
		if (server.child.exitCode !== null || server.child.signalCode !== null) {
			const outOfMemory = /heap out of memory|Allocation failed/i.test(server.log());
			return {
				mode,
				kind,
				startupPeakMiB,
				ms,
				crashed: outOfMemory
					? 'n8n ran out of memory (JavaScript heap) and exited'
					: `n8n exited (${server.child.exitCode ?? server.child.signalCode})`,
			};
		}
		let items;
		try {
			items = JSON.parse(text);
		} catch {
			items = undefined;
		}
		const sent = Array.isArray(items) ? items.filter((item) => item?.id).length : 0;
		if (status !== 200 || sent !== MEDIA_ITEMS)
			throw new Error(
				`Media x ${kind} (${mode}) answered ${status ?? failure} with ${sent} sent messages, expected ${MEDIA_ITEMS}: ${String(text).slice(0, 500)}${await lastError(client)}`,
			);
		return { mode, kind, peakMiB, startupPeakMiB, ms, sent };
	} finally {
		await server.stop();
	}
}

/**
 * Runs every mode × kind in a fresh n8n process each (same user folder: the package installed
 * from `nodesFolder`, credentials and workflows created once). Resolves with the measurements.
 */
async function measureMediaMemory({ sandbox, nodesFolder, say = () => {} }) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-bench-media-'));
	try {
		const userFolder = path.join(root, 'n8n');
		fs.cpSync(nodesFolder, path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
		const filesDir = path.join(root, 'files');
		fs.mkdirSync(filesDir);
		const pdfPath = path.join(filesDir, 'invoice.pdf');
		writePdf(pdfPath, Math.round(MEDIA_MB * 1024 * 1024));
		// A first start migrates the database and creates the workflows: not measured.
		if (MEDIA_MODES.length === 0) return [];
		const state = await prepareOnce({ sandbox, userFolder, filesDir, pdfPath });
		const results = [];
		for (const mode of MEDIA_MODES)
			for (const kind of KINDS) {
				const result = await measureOnce({
					mode,
					kind,
					sandbox,
					userFolder,
					filesDir,
					pdfPath,
					state,
				});
				say(
					`  ${mode}, ${kind}: peak ${result.peakMiB} MiB (startup ${result.startupPeakMiB} MiB), ${result.ms} ms`,
				);
				results.push(result);
			}
		return results;
	} finally {
		await sandbox.control('POST', '/reset');
		fs.rmSync(root, { recursive: true, force: true });
	}
}

/** Table rows, whether each target was met, and the note that says how it was measured. */
function mediaRows(results) {
	const rows = [];
	const met = [];
	const value = (result) =>
		result.crashed
			? `${result.crashed} after ${(result.ms / 1000).toFixed(1)} s`
			: `${result.peakMiB} MiB (${(result.ms / 1000).toFixed(1)} s)`;
	for (const mode of MEDIA_MODES) {
		const node = results.find((result) => result.mode === mode && result.kind === 'node');
		const baseline = results.find(
			(result) => result.mode === mode && result.kind === 'httpRequest',
		);
		if (!node || !baseline) continue;
		const both = !node.crashed && !baseline.crashed;
		rows.push([
			'Memory',
			`${MEDIA_ITEMS} × Send of a ${MEDIA_MB} MB PDF from a binary field: n8n peak RSS (binary data mode ${mode})`,
			value(node),
			BASELINE_NAME,
			value(baseline),
			both ? (node.peakMiB / baseline.peakMiB).toFixed(2) : '–',
			'≤ 1.00',
		]);
		met.push(both ? node.peakMiB <= baseline.peakMiB : !node.crashed);
	}
	if (results.length === 0) return { rows, met, note: '' };
	const startup = results.map((result) => result.startupPeakMiB);
	const note = `Media memory: a fresh \`n8n start\` (regular mode, SQLite) per value, with N8N_DEFAULT_BINARY_DATA_MODE as named ('default' keeps files in memory as base64; 'filesystem' is n8n 2.41's default outside queue mode); one production webhook call runs the whole workflow (the same file read from disk for each item) and answers with the last node's items, each checked to carry a message id; the value is the n8n process's peak resident set (VmHWM) 2 s after the answer, with the run's wall time. Startup alone peaked at ${Math.min(...startup)}–${Math.max(...startup)} MiB. Neither workflow saves its execution (saveDataSuccessExecution: none): n8n would store the baseline's base64 strings, and in memory mode every file, as JSON.`;
	return { rows, met, note };
}

/** `node bench/media.js`: the media rows alone (as in npm run bench), added to bench/RESULTS.md. */
async function main() {
	const env = require('../scripts/lib/n8n-env');
	const { spawnSandbox } = require('../sandbox/process');
	const { publishReport, revision } = require('./results');
	await env.ensureN8n();
	const load = loadAverages();
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-bench-'));
	const sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
	try {
		await env.installThisPackage(folder);
		const media = mediaRows(
			await measureMediaMemory({
				sandbox,
				nodesFolder: path.join(folder, '.n8n', 'nodes'),
				say: env.say,
			}),
		);
		const report = [
			reportHeading(),
			'',
			`Media memory (\`node bench/media.js\`, the media rows of \`npm run bench\`), revision ${revision()}; load average before: ${load}.`,
			'',
			comparisonTable(media.rows),
			'',
			media.note,
			'',
		].join('\n');
		publishReport(report, 'BENCH_NO_RESULTS');
		return media.met.includes(false) ? 1 : 0;
	} finally {
		await sandbox.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

module.exports = { MEDIA_MODES, measureMediaMemory, mediaRows, writePdf };

if (require.main === module)
	main().then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`${error.stack}\n`);
			process.exit(1);
		},
	);
