'use strict';
// Pilot Status as an AI Agent's tool in a real n8n 2.41.1: the packed package installed as the
// Community Nodes screen installs it, n8n's AI Agent (v3.1) with its OpenAI Chat Model pointed at a
// deterministic fake model server (fake-model.js: it calls the tools the prompt's script names and
// records every request), Pilot Status tool nodes (n8n-nodes-pilot-status.pilotStatusTool) set up
// as a user leaves them (resource and operation; the number ID left to the model), the sandbox as
// the Pilot Status API. Each agent run is `n8n execute --id`; the last part starts the same user
// folder with `n8n start` to put Regenerate behind n8n's Human review (approval by email, a local
// SMTP sink) and follow the approve and decline links. The checks read what the model provider
// received (tool descriptions, parameter schemas, tool results), what reached the sandbox, and the
// sandbox's keys. Run with `npm run test:ai`; about 1 to 1.5 minutes once n8n is cached.
// AI_E2E_DUMP=<folder> keeps what the model received (and the approval emails), KEEP_E2E=1 the
// n8n user folder.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const env = require('../scripts/lib/n8n-env');
const { sandboxCredential } = require('../scripts/lib/examples');
const { N8nClient, own, removeOnExit, startN8n, waitFor } = require('../scripts/lib/n8n-server');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');
const { script, startFakeModel } = require('./fake-model');

const NODE_TYPE = 'n8n-nodes-pilot-status.pilotStatus';
const TOOL_TYPE = `${NODE_TYPE}Tool`;
const PILOT_CREDENTIAL = { id: 'PsAiAgentCred001', name: 'Pilot Status account' };
const MODEL_CREDENTIAL = { id: 'PsAiFakeModel001', name: 'Fake model provider' };
const SMTP_CREDENTIAL = { id: 'PsAiFakeSmtp0001', name: 'Fake SMTP' };
/** The approval link is a browser link: n8n ignores it when the user agent looks like a bot. */
const BROWSER =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const [SUPORTE, VENDAS] = SEED.numbers;
const TENANT_KEY = SEED.tenantKey;
/** The secret in the query of a webhook's address, which Reveal Secrets in URLs would show. */
const WEBHOOK_SECRET = 'e5'.repeat(32);

/**
 * Tool nodes by what they do; the model sees each by its node name (spaces become `_`). The
 * `parameters` of a few are what a workflow imported with a Reveal option on carries: n8n hides
 * those options on the tool, and the node ignores them there.
 */
const TOOLS = {
	getStatus: { name: 'Get Number Status', resource: 'number', operation: 'getStatus' },
	delete: { name: 'Delete Number', resource: 'number', operation: 'delete' },
	regenerate: { name: 'Regenerate Number Key', resource: 'apiKey', operation: 'regenerate' },
	rotate: { name: 'Rotate Own Key', resource: 'apiKey', operation: 'rotateOwnKey' },
	listKeys: { name: 'List API Keys', resource: 'apiKey', operation: 'getAll' },
	revealKeys: {
		name: 'List API Keys Revealed',
		resource: 'apiKey',
		operation: 'getAll',
		parameters: { returnAll: true, options: { revealKeys: true } },
	},
	listWebhooks: {
		name: 'List Webhooks',
		resource: 'webhook',
		operation: 'getAll',
		parameters: { returnAll: true, simplifyWebhook: false, options: { revealSecrets: true } },
	},
	getWebhook: {
		name: 'Get Webhook',
		resource: 'webhook',
		operation: 'get',
		parameters: { options: { revealSecrets: true } },
	},
	// Remote pairing takes no credential; its API host is set when the sandbox runs (see before).
	pairingInfo: { name: 'Get Pairing Link Info', resource: 'remotePairing', operation: 'getInfo' },
	// As a user leaves Send as a tool: the sending number chosen (the credential holds the tenant
	// key), the phone number and the text left to the model.
	send: {
		name: 'Send WhatsApp Message',
		resource: 'message',
		operation: 'send',
		parameters: {
			sendingNumberId: { __rl: true, mode: 'id', value: SUPORTE.id },
			sendTo: 'phone',
			messageType: 'text',
		},
	},
};
const toolName = (tool) => tool.name.replace(/[^a-zA-Z0-9_-]/g, '_');
const call = (tool, args = {}) => ({ tool: toolName(tool), args });

/** The workflows: Manual Trigger → AI Agent, with its model and the tools of each scenario. */
const RUNS = {
	account: {
		id: 'PsAiAgentAccount',
		tools: [TOOLS.getStatus, TOOLS.delete, TOOLS.regenerate, TOOLS.rotate],
		prompt: script('Rotate my API key, then tell me whether num_suporte is connected.', [
			call(TOOLS.rotate),
			call(TOOLS.getStatus, { numberId: SUPORTE.id }),
		]),
	},
	regenerate: {
		id: 'PsAiAgentRegen01',
		tools: [TOOLS.regenerate, TOOLS.listKeys],
		prompt: script('Regenerate the API key of num_suporte and show me the keys.', [
			call(TOOLS.regenerate, { numberId: SUPORTE.id }),
			call(TOOLS.listKeys),
		]),
	},
	// Seeds a webhook whose address holds a secret and a remote pairing link (normal Pilot Status
	// steps before the agent); the script passes their IDs as a model passes what it read earlier.
	secrets: {
		id: 'PsAiAgentSecrets',
		seeds: [
			{
				name: 'Seed Webhook',
				parameters: {
					resource: 'webhook',
					operation: 'create',
					webhookNumberId: { __rl: true, mode: 'id', value: SUPORTE.id },
					url: `https://hooks.example.test/pilot?secret=${WEBHOOK_SECRET}`,
					events: ['number.connected'],
				},
			},
			{
				name: 'Seed Pairing Link',
				parameters: {
					resource: 'number',
					operation: 'createRemotePairingLink',
					name: 'Loja Centro',
					phoneNumber: '5511955554444',
				},
			},
		],
		tools: [TOOLS.revealKeys, TOOLS.listWebhooks, TOOLS.getWebhook, TOOLS.pairingInfo],
		prompt: `=${script('Show me the keys, the webhooks, the new webhook and the pairing link.', [
			call(TOOLS.revealKeys),
			call(TOOLS.listWebhooks),
			call(TOOLS.getWebhook, { webhookId: "{{ $('Seed Webhook').first().json.id }}" }),
			call(TOOLS.pairingInfo, {
				pairingLink: "{{ $('Seed Pairing Link').first().json.remotePairingUrl }}",
			}),
		])}`,
	},
	send: {
		id: 'PsAiAgentSend001',
		tools: [TOOLS.send],
		prompt: script('Tell +55 11 97777-6666 that the order has shipped.', [
			call(TOOLS.send, { phoneNumber: '+5511977776666', text: 'Seu pedido foi enviado.' }),
		]),
	},
	errors: {
		id: 'PsAiAgentErrors1',
		tools: [TOOLS.getStatus],
		prompt: script('Is num_vendas connected? And +55 11 99999-9999?', [
			call(TOOLS.getStatus, { numberId: VENDAS.id }),
			call(TOOLS.getStatus, { numberId: '+5511999999999' }),
			call(TOOLS.getStatus, { numberId: '5511999999999' }),
		]),
	},
};

/** Webhook → AI Agent, whose Regenerate tool sits behind n8n's Human review (Send Email). */
const REVIEW = { id: 'PsAiAgentReview1', path: 'pilot-status-ai-review' };

let sandbox;
let model;
let mail;
let userFolder;
let keep;
/** The installed package's tool texts: toolDescription per "resource/operation", the numberId hint. */
let told;
const timings = {};
/** Every request the model provider received, in every run. */
const sentToModel = [];
/** Every key value and key ID the sandbox held at any point (read after each run). */
const sandboxKeys = new Set(
	[TENANT_KEY, ...SEED.numbers.map((number) => number.key)].flatMap((key) => [key.id, key.value]),
);

// ---------------------------------------------------------------------------------------------
// Helpers

const control = (method, route, body) => sandbox.control(method, route, body);

/** The Pilot Status API as a person calls it, with the tenant key (outside n8n). */
async function api(route) {
	const response = await fetch(`${sandbox.url}${route}`, {
		headers: { 'x-api-key': TENANT_KEY.value },
	});
	return { status: response.status, body: await response.json() };
}

function agentWorkflow({ id, tools, prompt, seeds = [] }) {
	const credentials = { pilotStatusApi: PILOT_CREDENTIAL };
	// Start → seeds (normal Pilot Status steps) → AI Agent.
	const chain = ['Start', ...seeds.map((seed) => seed.name), 'AI Agent'];
	return {
		id,
		name: `AI Agent with Pilot Status tools (${id})`,
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
			...seeds.map((seed, index) => ({
				id: `${id}-seed-${index}`,
				name: seed.name,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [120 * (index + 1), -200],
				parameters: seed.parameters,
				credentials,
			})),
			{
				id: `${id}-agent`,
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [240, 0],
				parameters: { promptType: 'define', text: prompt, options: {} },
			},
			{
				id: `${id}-model`,
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [160, 220],
				parameters: {
					model: { __rl: true, mode: 'id', value: 'fake-model' },
					responsesApiEnabled: false,
					options: {},
				},
				credentials: { openAiApi: MODEL_CREDENTIAL },
			},
			// As a user leaves a tool node: resource and operation; the Number ID keeps the node's
			// default, which the model fills ($fromAI), and the description is the node's own.
			...tools.map((tool, index) => ({
				id: `${id}-tool-${index}`,
				name: tool.name,
				type: TOOL_TYPE,
				typeVersion: 1,
				position: [360 + 160 * index, 220],
				parameters: { resource: tool.resource, operation: tool.operation, ...tool.parameters },
				...(tool.resource === 'remotePairing' ? {} : { credentials }),
			})),
		],
		connections: {
			...Object.fromEntries(
				chain
					.slice(0, -1)
					.map((from, index) => [
						from,
						{ main: [[{ node: chain[index + 1], type: 'main', index: 0 }]] },
					]),
			),
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			...Object.fromEntries(
				tools.map((tool) => [
					tool.name,
					{ ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
				]),
			),
		},
	};
}

/**
 * The same agent behind a Webhook, with Regenerate gated by n8n 2.41's Human review node for email
 * (emailSendHitlTool): the tool goes into the review node, the review node into the agent. The
 * model sees the gated tool's parameters under `toolParameters`.
 */
function reviewWorkflow() {
	const base = agentWorkflow({
		id: REVIEW.id,
		tools: [TOOLS.regenerate],
		prompt: script('Regenerate the API key of num_suporte.', [
			call(TOOLS.regenerate, { toolParameters: { numberId: SUPORTE.id }, hitlParameters: {} }),
		]),
	});
	const nodes = base.nodes.map((node) =>
		node.name === 'Start'
			? {
					id: `${REVIEW.id}-webhook`,
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '0b7d3c4e-5a6f-4b8c-9d0e-1f2a3b4c5d6e',
					parameters: {
						httpMethod: 'POST',
						path: REVIEW.path,
						responseMode: 'onReceived',
						options: {},
					},
				}
			: node,
	);
	nodes.push({
		id: `${REVIEW.id}-review`,
		name: 'Approve by Email',
		type: 'n8n-nodes-base.emailSendHitlTool',
		typeVersion: 2.1,
		position: [400, 400],
		parameters: {
			fromEmail: 'n8n@example.test',
			toEmail: 'ops@example.test',
			subject: 'An AI agent wants to run a Pilot Status tool',
			// The default renders the parameters as [object Object].
			message:
				'=The agent wants to run {{ $tool.name }} with {{ JSON.stringify($tool.parameters) }}',
			approvalOptions: { values: { approvalType: 'double' } },
			options: {},
		},
		credentials: { smtp: SMTP_CREDENTIAL },
	});
	const { Start, ...connections } = base.connections;
	return {
		...base,
		name: 'AI Agent with a Pilot Status tool behind human review',
		nodes,
		connections: {
			...connections,
			Webhook: Start,
			[TOOLS.regenerate.name]: {
				ai_tool: [[{ node: 'Approve by Email', type: 'ai_tool', index: 0 }]],
			},
			'Approve by Email': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
}

/** An SMTP server that accepts everything and keeps each message (raw) in `messages`. */
function startMailSink() {
	const messages = [];
	const server = net.createServer((socket) => {
		let buffer = '';
		let data = null;
		socket.on('error', () => {});
		socket.write('220 mail sink\r\n');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			let end;
			while ((end = buffer.indexOf('\r\n')) !== -1) {
				const line = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				if (data !== null) {
					if (line === '.') {
						messages.push(data);
						data = null;
						socket.write('250 queued\r\n');
					} else data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
					continue;
				}
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') socket.write('250-mail sink\r\n250 8BITMIME\r\n');
				else if (verb === 'DATA') {
					data = '';
					socket.write('354 go ahead\r\n');
				} else if (verb === 'QUIT') socket.end('221 bye\r\n');
				else socket.write('250 OK\r\n');
			}
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				port: server.address().port,
				messages,
				stop: () => new Promise((done) => server.close(() => done())),
			}),
		),
	);
}

/** The approve and decline links of an approval email (quoted-printable HTML). */
function approvalLinks(raw) {
	const text = raw
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
	const links = [...text.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
	return {
		text,
		approve: links.find((link) => link.includes('approved=true')),
		decline: links.find((link) => link.includes('approved=false')),
	};
}

/**
 * Runs one scenario from a clean sandbox and an empty model record. Returns n8n's exit code and
 * run, what the model received (`requests`), the tool messages it got and the agent's answer.
 */
async function runAgent(name, { prepare } = {}) {
	await control('POST', '/reset');
	await prepare?.();
	model.clear();
	const started = Date.now();
	const { code, stdout, stderr } = await env.n8n(
		['execute', `--id=${RUNS[name].id}`, '--rawOutput'],
		{ userFolder },
	);
	timings[name] = Date.now() - started;
	const run = env.parseRun(stdout);
	const requests = modelRequests(name);
	const agentRuns = run?.data?.resultData?.runData?.['AI Agent'] ?? [];
	const answer = agentRuns.map((agentRun) => agentRun.data?.main?.[0]?.[0]?.json?.output).at(-1);
	const apiRequests = await control('GET', '/requests');
	await collectKeys();
	return {
		code,
		run,
		output: `${stdout}\n${stderr}`,
		requests,
		toolMessages: toolMessagesOf(requests),
		answer,
		apiRequests,
	};
}

/** Adds every key the sandbox holds now (revealed with the tenant key) to `sandboxKeys`. */
async function collectKeys() {
	for (const key of (await api('/v1/api-keys')).body) {
		if (key.key) sandboxKeys.add(key.key);
		sandboxKeys.add(key.keyId);
	}
	for (const key of (await control('GET', '/state')).keys) sandboxKeys.add(key.id);
}

/**
 * Everything the model provider received in the run just finished, also kept for the suite-wide
 * check. AI_E2E_DUMP=<folder> writes it to <folder>/<run>.model-requests.json.
 */
function modelRequests(name) {
	const requests = [...model.requests];
	sentToModel.push(...requests);
	if (process.env.AI_E2E_DUMP) {
		fs.mkdirSync(process.env.AI_E2E_DUMP, { recursive: true });
		fs.writeFileSync(
			path.join(process.env.AI_E2E_DUMP, `${name}.model-requests.json`),
			JSON.stringify(requests, null, 2),
		);
	}
	return requests;
}

/** The tool results the model received, in order: { tool, args, content }. */
function toolMessagesOf(requests) {
	const last = requests.filter((request) => request.body?.messages).at(-1);
	const messages = last?.body.messages ?? [];
	const calls = new Map(
		messages.flatMap((message) => message.tool_calls ?? []).map((c) => [c.id, c.function]),
	);
	return messages
		.filter((message) => message.role === 'tool')
		.map((message) => {
			const args = JSON.parse(calls.get(message.tool_call_id)?.arguments ?? '{}');
			// n8n sends the call's arguments back with the call's own ID added (`id`); drop it.
			if (args.id === message.tool_call_id) delete args.id;
			return { tool: calls.get(message.tool_call_id)?.name, args, content: message.content };
		});
}

/** The tools offered in the model's first request, by name. */
function offeredTools(requests) {
	return new Map(
		(requests[0]?.body?.tools ?? []).map((tool) => [tool.function.name, tool.function]),
	);
}

/** What the node tells the model, read from the installed (packed) package, not from the source. */
function readToolTexts(installed) {
	const program = `
		const { PilotStatus } = require(${JSON.stringify(path.join(installed, 'dist/nodes/PilotStatus/PilotStatus.node.js'))});
		const properties = new PilotStatus().description.properties;
		const descriptions = {};
		// Reads share one empty Description: n8n then tells the model '<action> in Pilot Status'.
		for (const p of properties.filter((p) => p.name === 'operation'))
			for (const o of p.options)
				descriptions[p.displayOptions.show.resource[0] + '/' + o.value] = o.action + ' in Pilot Status';
		for (const p of properties.filter((p) => p.name === 'toolDescription' && p.default !== ''))
			for (const r of p.displayOptions.show.resource)
				for (const o of p.displayOptions.show.operation) descriptions[r + '/' + o] = p.default;
		const modelFilled = properties
			.filter((p) => typeof p.default === 'string' && p.default.includes('$fromAI('))
			.map((p) => p.default);
		process.stdout.write(JSON.stringify({ descriptions, modelFilled }));
	`;
	// The package leaves n8n-workflow to n8n (a peer dependency); here it comes from the devDependency.
	const result = spawnSync(env.NODE_BIN, ['-e', program], {
		encoding: 'utf8',
		env: { ...process.env, NODE_PATH: path.join(env.ROOT, 'node_modules') },
	});
	assert.equal(result.status, 0, result.stderr);
	const { descriptions, modelFilled } = JSON.parse(result.stdout);
	/** The hint of every field the model fills, by its $fromAI key. */
	const hints = {};
	for (const value of modelFilled) {
		const [, key, hint] = /\$fromAI\('(\w+)', '((?:[^'\\]|\\.)*)', 'string'\)/.exec(value);
		hints[key] = hint.replace(/\\(.)/g, '$1');
	}
	for (const key of ['numberId', 'pairingLink', 'webhookId'])
		assert.ok(hints[key], `no $fromAI('${key}', ...) among the tool's fields: ${modelFilled}`);
	return { descriptions, hints, numberIdHint: hints.numberId };
}

const failureText = (result) =>
	`exit ${result.code}; answer: ${result.answer}\n${result.output.slice(-3000)}`;

// ---------------------------------------------------------------------------------------------

before(
	async () => {
		const started = Date.now();
		// What is checked here is n8n 2.41's AI Agent (v3.1) and Human review nodes, not 1.x's.
		if (env.N8N_MAJOR < 2)
			throw new Error(
				`e2e/ai-agent.test.js checks n8n 2.41's AI Agent; PILOT_STATUS_N8N picks ${env.N8N_VERSION}`,
			);
		await env.ensureN8n();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-ai-'));
		keep = process.env.KEEP_E2E ? { forget() {} } : removeOnExit(userFolder);
		const installed = await env.installThisPackage(userFolder);
		told = readToolTexts(installed);
		sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
		own(sandbox.child);
		TOOLS.pairingInfo.parameters = { options: { apiBaseUrl: sandbox.url } };
		model = await startFakeModel();
		mail = await startMailSink();
		await env.importIntoN8n(userFolder, {
			credentials: [
				sandboxCredential(
					PILOT_CREDENTIAL.id,
					PILOT_CREDENTIAL.name,
					sandbox.url,
					TENANT_KEY.value,
				),
				{
					...MODEL_CREDENTIAL,
					type: 'openAiApi',
					data: { apiKey: 'sk-fake-model-e2e', url: model.url },
				},
				{
					...SMTP_CREDENTIAL,
					type: 'smtp',
					data: {
						user: '',
						password: '',
						host: '127.0.0.1',
						port: mail.port,
						secure: false,
						disableStartTls: true,
					},
				},
			],
			workflows: [...Object.values(RUNS).map(agentWorkflow), reviewWorkflow()],
		});
		timings.setup = Date.now() - started;
	},
	{ timeout: 20 * 60_000 },
);

after(async () => {
	await sandbox?.stop();
	await model?.stop();
	await mail?.stop();
	if (userFolder && process.env.KEEP_E2E) env.say(`n8n user folder kept in ${userFolder}`);
	else if (userFolder) {
		fs.rmSync(userFolder, { recursive: true, force: true });
		keep?.forget();
	}
	const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
	process.stdout.write(
		`AI agent e2e timings: ${Object.entries(timings)
			.map(([name, ms]) => `${name} ${seconds(ms)}`)
			.join(', ')}\n`,
	);
});

describe('Pilot Status as an AI Agent tool in a real n8n', () => {
	let account;
	let regenerate;
	let errors;

	test('the agent calls Get Status and quotes its result; the model was told the node’s text and the numberId hint', async () => {
		account = await runAgent('account');
		assert.equal(account.code, 0, failureText(account));

		// The model asked for Rotate Own Key, then Get Status; the agent ran both and answered.
		const status = account.toolMessages.find((m) => m.tool === toolName(TOOLS.getStatus));
		assert.deepEqual(status.args, { numberId: SUPORTE.id });
		const result = JSON.parse(status.content);
		assert.deepEqual(result, [{ numberId: SUPORTE.id, state: 'OPEN', isFullyConnected: true }]);
		assert.ok(
			account.answer.includes(`${toolName(TOOLS.getStatus)}: ${status.content}`),
			`the answer does not quote the tool result: ${account.answer}`,
		);
		const statusCalls = account.apiRequests.filter(
			(r) => r.method === 'GET' && r.path === `/v1/numbers/${SUPORTE.id}/status`,
		);
		assert.equal(statusCalls.length, 1);
		assert.equal(statusCalls[0].status, 200);

		// What the model was told about the tool: n8n's text for a read ('<action> in Pilot Status'),
		// and a numberId parameter with the node's hint (an ID, not the phone number).
		const offered = offeredTools(account.requests);
		assert.deepEqual(
			[...offered.keys()].sort(),
			Object.values(RUNS.account.tools).map(toolName).sort(),
		);
		const getStatus = offered.get(toolName(TOOLS.getStatus));
		assert.equal(getStatus.description, told.descriptions['number/getStatus']);
		assert.deepEqual(getStatus.parameters.required, ['numberId']);
		assert.deepEqual(Object.keys(getStatus.parameters.properties), ['numberId']);
		assert.equal(getStatus.parameters.properties.numberId.type, 'string');
		assert.equal(getStatus.parameters.properties.numberId.description, told.numberIdHint);
		assert.match(told.numberIdHint, /not its phone number/i);
		assert.match(told.numberIdHint, /num_/);
	});

	test('Delete and Regenerate are described to the model as PERMANENT; Rotate Own Key as not available', () => {
		assert.ok(account, 'the first test’s run is missing');
		const offered = offeredTools(account.requests);
		const cases = [
			[TOOLS.delete, 'number/delete'],
			[TOOLS.regenerate, 'apiKey/regenerate'],
			[TOOLS.rotate, 'apiKey/rotateOwnKey'],
		];
		for (const [tool, key] of cases)
			assert.equal(offered.get(toolName(tool)).description, told.descriptions[key], key);
		assert.match(offered.get(toolName(TOOLS.delete)).description, /PERMANENTLY/);
		assert.match(offered.get(toolName(TOOLS.regenerate)).description, /PERMANENTLY/);
		assert.match(offered.get(toolName(TOOLS.rotate)).description, /^Not available to AI agents/);
		// The destructive tools take the model's numberId too; Rotate Own Key takes nothing.
		assert.deepEqual(offered.get(toolName(TOOLS.delete)).parameters.required, ['numberId']);
		assert.deepEqual(offered.get(toolName(TOOLS.rotate)).parameters.properties, {});
	});

	test('Rotate Own Key is refused as a tool: the model gets the refusal, nothing is rotated, the credential still works', async () => {
		assert.ok(account, 'the first test’s run is missing');
		const [rotate] = account.toolMessages;
		assert.equal(rotate.tool, toolName(TOOLS.rotate));
		assert.deepEqual(JSON.parse(rotate.content), [
			{
				error:
					'Rotate Own Key cannot run as an AI tool: it would replace the key of this credential and leave the credential dead. Nothing was changed; rotate the key in a normal workflow step.',
			},
		]);
		assert.equal(
			account.apiRequests.filter((r) => r.path.startsWith('/v1/api-keys')).length,
			0,
			'a request reached /v1/api-keys',
		);
		// Still working: the Get Status call after the refusal (same credential, same run) succeeded,
		// the tenant key is valid in the sandbox, and it still opens the API.
		assert.equal(JSON.parse(account.toolMessages[1].content)[0].state, 'OPEN');
		const state = await control('GET', '/state');
		assert.equal(state.keys.find((key) => key.id === TENANT_KEY.id).valid, true);
		assert.equal((await api('/v1/numbers')).status, 200);
	});

	test('Regenerate really replaces the key, and neither the new key nor its ID reaches the model', async () => {
		regenerate = await runAgent('regenerate');
		assert.equal(regenerate.code, 0, failureText(regenerate));

		// The sandbox replaced the key: the old one is dead, the new one is revealed to the tenant key.
		const regenerated = regenerate.apiRequests.filter(
			(r) => r.method === 'POST' && r.path === '/v1/api-keys',
		);
		assert.equal(regenerated.length, 1);
		assert.equal(regenerated[0].status, 200);
		const keys = await api('/v1/api-keys');
		assert.equal(keys.status, 200);
		const fresh = keys.body.find((key) => key.numberId === SUPORTE.id);
		assert.notEqual(fresh.keyId, SUPORTE.key.id);
		assert.match(fresh.key, /^ps_sbx_/);
		const state = await control('GET', '/state');
		assert.equal(state.keys.find((key) => key.id === SUPORTE.key.id).valid, false);
		assert.equal(state.keys.find((key) => key.id === fresh.keyId).valid, true);

		// What the model got: the key and its ID masked, and where a person reads the key.
		const [told1, told2] = regenerate.toolMessages;
		assert.equal(told1.tool, toolName(TOOLS.regenerate));
		const [shown] = JSON.parse(told1.content);
		assert.equal(shown.numberId, SUPORTE.id);
		assert.equal(shown.key, `ps_…${fresh.key.slice(-4)}`);
		assert.match(shown.keyNote, /API Key → Get Many \(Reveal Keys on\)/);
		assert.equal(told2.tool, toolName(TOOLS.listKeys));

		// Nothing sent to the model provider (headers, URL, raw body of every request) holds the new
		// key, its ID, or the credential's key.
		const sent = JSON.stringify(regenerate.requests);
		assert.ok(regenerate.requests.length >= 3);
		for (const [what, secret] of [
			['the new key', fresh.key],
			['the new key ID', fresh.keyId],
			['the tenant key', TENANT_KEY.value],
			['the tenant key ID', TENANT_KEY.id],
		])
			assert.equal(sent.includes(secret), false, `${what} was sent to the model provider`);
		// Control: the search does see what went to the model (the masked key's last 4 characters).
		assert.ok(sent.includes(`ps_…${fresh.key.slice(-4)}`));
	});

	test('the model names the webhook and the pairing link it read earlier; Reveal options imported on reveal nothing to it', async () => {
		const secrets = await runAgent('secrets');
		assert.equal(secrets.code, 0, failureText(secrets));
		const seeded = (name) => secrets.run.data.resultData.runData[name][0].data.main[0][0].json;
		const webhook = seeded('Seed Webhook');
		const link = seeded('Seed Pairing Link');
		assert.match(webhook.id, /^wh_/);
		assert.match(link.token, /^rp_/);

		// What the model was offered: our descriptions; webhookId and pairingLink with our hints.
		const offered = offeredTools(secrets.requests);
		const cases = [
			[TOOLS.revealKeys, 'apiKey/getAll', []],
			[TOOLS.listWebhooks, 'webhook/getAll', []],
			[TOOLS.getWebhook, 'webhook/get', ['webhookId']],
			[TOOLS.pairingInfo, 'remotePairing/getInfo', ['pairingLink']],
		];
		for (const [tool, key, inputs] of cases) {
			const { description, parameters } = offered.get(toolName(tool));
			assert.equal(description, told.descriptions[key], key);
			assert.deepEqual(Object.keys(parameters.properties), inputs, key);
			for (const input of inputs) {
				// Reads are told n8n's text for their action; the input's own hint explains it.
				assert.equal(parameters.properties[input].description, told.hints[input], key);
			}
		}

		// The model's IDs reached Pilot Status, and it got those things back.
		const [keys, webhooks, one, info] = secrets.toolMessages;
		assert.deepEqual(one.args, { webhookId: webhook.id });
		assert.equal(JSON.parse(one.content)[0].id, webhook.id);
		assert.deepEqual(info.args, { pairingLink: link.remotePairingUrl });
		assert.deepEqual(JSON.parse(info.content), [
			{ valid: true, name: 'Loja Centro', number: '+5511955554444', state: 'CLOSED' },
		]);
		const paths = secrets.apiRequests.map((r) => `${r.method} ${r.path} ${r.status}`);
		assert.ok(paths.includes(`GET /v1/webhooks/${webhook.id} 200`), paths.join('\n'));
		assert.ok(paths.includes(`GET /v1/remote-pairing/${link.token} 200`), paths.join('\n'));

		// Reveal Keys and Reveal Secrets in URLs were on in the imported workflow: masked anyway.
		const listed = JSON.parse(keys.content);
		assert.ok(listed.length >= 2);
		for (const key of listed) {
			assert.ok(key.key === null || key.key.startsWith('ps_…'), keys.content);
			assert.ok(key.keyId.includes('…'), keys.content);
		}
		const masked = `https://hooks.example.test/pilot?secret=…`;
		assert.equal(JSON.parse(webhooks.content).find((w) => w.id === webhook.id).url, masked);
		assert.equal(JSON.parse(one.content)[0].url, masked);
		const sent = JSON.stringify(secrets.requests);
		assert.equal(sent.includes(WEBHOOK_SECRET), false, 'a webhook secret was sent to the model');
		for (const number of SEED.numbers)
			for (const secret of [number.key.value, number.key.id])
				assert.equal(sent.includes(secret), false, 'a key was sent to the model provider');
	});

	test('a 429’s actionable text reaches the model', async () => {
		errors = await runAgent('errors', {
			prepare: () =>
				control('POST', '/faults', {
					type: 'status',
					status: 429,
					// Longer than the node waits by itself: shorter 429s are waited out and sent again.
					retryAfter: 120,
					path: `/v1/numbers/${VENDAS.id}/status`,
				}),
		});
		assert.equal(errors.code, 0, failureText(errors));
		const [limited] = errors.toolMessages;
		assert.deepEqual(limited.args, { numberId: VENDAS.id });
		const [{ error }] = JSON.parse(limited.content);
		assert.match(error, /429/);
		assert.ok(error.includes('Nothing was changed.'), error);
		assert.ok(error.includes('Wait 120 s and run it again.'), error);
		const faulted = errors.apiRequests.filter((r) => r.fault === 'status');
		assert.equal(faulted.length, 1);
	});

	for (const [index, phone] of [
		[1, '+5511999999999'],
		[2, '5511999999999'],
	])
		test(`a phone number passed as the ID (${phone}): the model is told it looks like a phone number and where to find the ID`, () => {
			assert.ok(errors, 'the 429 test’s run is missing');
			const message = errors.toolMessages[index];
			assert.deepEqual(message.args, { numberId: phone });
			const [{ error }] = JSON.parse(message.content);
			assert.match(error, /looks like a phone number/, error);
			assert.match(error, /Get Many/, error);
		});
});

describe('Message → Send as an AI Agent tool in a real n8n', () => {
	test('the agent calls Send once: exactly one message reaches the sandbox, to the model’s number with its text, from the chosen number', async () => {
		// The model's arguments, as the script in the prompt has it call the tool.
		const [{ args }] = JSON.parse(RUNS.send.prompt.split('[fake-model]')[1]);
		const sent = await runAgent('send', {
			// The credential holds the tenant key: the reading in which it names the sending number.
			prepare: () => control('PUT', '/variants', { messageKeyScope: 'tenantWithHeader' }),
		});
		assert.equal(sent.code, 0, failureText(sent));

		const [told1] = sent.toolMessages;
		assert.equal(told1.tool, toolName(TOOLS.send));
		assert.deepEqual(told1.args, args);
		const [result] = JSON.parse(told1.content);
		assert.equal(result.status, 'QUEUED', told1.content);
		assert.match(result.id, /^msg_/);
		assert.equal(result.destination, args.phoneNumber);
		assert.equal(result.sendingNumberId, SUPORTE.id);

		const sends = sent.apiRequests.filter(
			(r) => r.method === 'POST' && r.path === '/v1/messages/send',
		);
		assert.equal(sends.length, 1, JSON.stringify(sends));
		const { messages } = await control('GET', '/messages');
		assert.equal(messages.length, 1, JSON.stringify(messages));
		assert.equal(messages[0].id, result.id);
		assert.equal(messages[0].to, args.phoneNumber);
		assert.equal(messages[0].text, args.text);
		assert.equal(messages[0].numberId, SUPORTE.id);

		// What the model was offered: the node's Send text, and the phone number and text to fill.
		const offered = offeredTools(sent.requests).get(toolName(TOOLS.send));
		assert.equal(offered.description, told.descriptions['message/send']);
		assert.deepEqual(Object.keys(offered.parameters.properties).sort(), ['phoneNumber', 'text']);
		assert.equal(offered.parameters.properties.phoneNumber.description, told.hints.phoneNumber);
		assert.equal(offered.parameters.properties.text.description, told.hints.text);
	});
});

describe('human review (n8n 2.41) in front of a Pilot Status tool, in a running n8n', () => {
	let n8n;
	let client;

	before(
		async () => {
			const started = Date.now();
			const port = await env.freePort();
			n8n = await startN8n({
				name: 'n8n',
				userFolder,
				port,
				// Where the approval links point: this n8n.
				env: { N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/` },
			});
			client = await new N8nClient(n8n.url).signIn();
			await client.publish(REVIEW.id);
			timings.reviewSetup = Date.now() - started;
		},
		{ timeout: 5 * 60_000 },
	);

	after(() => n8n?.stop());

	/**
	 * Calls the workflow's webhook, waits for the approval email and the waiting execution, then
	 * opens the approve or decline link as a browser does; returns what happened at each step.
	 */
	async function review(decision) {
		await control('POST', '/reset');
		model.clear();
		mail.messages.length = 0;
		const started = Date.now();
		const earlier = new Set(
			(await client.listExecutions({ workflowId: REVIEW.id })).map((execution) => execution.id),
		);
		const called = await fetch(`${n8n.url}/webhook/${REVIEW.path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		assert.equal(called.status, 200, await called.text());
		const raw = await waitFor('the approval email', () => mail.messages[0], {
			timeoutMs: 90_000,
			child: n8n.child,
			logFile: n8n.logFile,
		});
		const { id } = await waitFor('the execution', async () =>
			(await client.listExecutions({ workflowId: REVIEW.id })).find((e) => !earlier.has(e.id)),
		);
		const waiting = await client.waitForExecution(id, ['waiting', 'error', 'success']);
		const beforeDecision = {
			status: waiting.status,
			apiRequests: await control('GET', '/requests'),
			modelRequests: [...model.requests],
		};
		const email = approvalLinks(raw);
		if (process.env.AI_E2E_DUMP)
			fs.writeFileSync(path.join(process.env.AI_E2E_DUMP, `review-${decision}.email.txt`), raw);
		const link = email[decision];
		assert.ok(link, `no ${decision} link in the email:\n${email.text.slice(-3000)}`);
		const page = await fetch(link, { headers: { 'user-agent': BROWSER } });
		assert.equal(page.status, 200);
		await page.text();
		const done = await client.waitForExecution(id, ['success', 'error', 'crashed', 'canceled']);
		timings[`review ${decision}`] = Date.now() - started;
		const requests = modelRequests(`review-${decision}`);
		const apiRequests = await control('GET', '/requests');
		await collectKeys();
		const agentRuns = done.data.resultData.runData['AI Agent'] ?? [];
		return {
			email,
			link,
			beforeDecision,
			execution: done,
			requests,
			toolMessages: toolMessagesOf(requests),
			answer: agentRuns.map((run) => run.data?.main?.[0]?.[0]?.json?.output).at(-1),
			apiRequests,
		};
	}

	test('approved: the execution waits for the reviewer, then Regenerate runs and the model gets its masked result', async () => {
		const result = await review('approve');
		// The reviewer was asked by email, with the tool and what the model wants to pass it.
		assert.match(result.email.text, /Regenerate_Number_Key/);
		assert.match(result.email.text, new RegExp(SUPORTE.id));
		// Until the reviewer answered: the execution waited and nothing reached Pilot Status.
		assert.equal(result.beforeDecision.status, 'waiting');
		assert.deepEqual(result.beforeDecision.apiRequests, []);
		// The model saw the gated tool: our description, our numberId hint under toolParameters.
		const [gated] = result.requests[0].body.tools;
		assert.equal(gated.function.name, toolName(TOOLS.regenerate));
		assert.equal(gated.function.description, told.descriptions['apiKey/regenerate']);
		assert.equal(
			gated.function.parameters.properties.toolParameters.properties.numberId.description,
			told.numberIdHint,
		);

		assert.equal(result.execution.status, 'success');
		const regenerated = result.apiRequests.filter(
			(r) => r.method === 'POST' && r.path === '/v1/api-keys',
		);
		assert.equal(regenerated.length, 1);
		assert.deepEqual(regenerated[0].body, { whatsappNumberId: SUPORTE.id });
		const keys = await api('/v1/api-keys');
		const fresh = keys.body.find((key) => key.numberId === SUPORTE.id);
		assert.notEqual(fresh.keyId, SUPORTE.key.id);
		const [told1] = result.toolMessages;
		assert.equal(told1.tool, toolName(TOOLS.regenerate));
		assert.ok(told1.content.includes(`ps_…${fresh.key.slice(-4)}`), told1.content);
		const sent = JSON.stringify(result.requests);
		assert.equal(sent.includes(fresh.key), false, 'the new key was sent to the model provider');
		assert.equal(
			sent.includes(fresh.keyId),
			false,
			'the new key ID was sent to the model provider',
		);
		assert.ok(result.answer.includes(told1.content), result.answer);
	});

	test('declined: nothing reaches Pilot Status and the model is told the user rejected the call', async () => {
		const result = await review('decline');
		assert.equal(result.beforeDecision.status, 'waiting');
		assert.equal(result.execution.status, 'success');
		assert.deepEqual(result.apiRequests, []);
		const state = await control('GET', '/state');
		assert.equal(state.keys.find((key) => key.id === SUPORTE.key.id).valid, true);
		const [told1] = result.toolMessages;
		assert.equal(told1.tool, toolName(TOOLS.regenerate));
		assert.match(told1.content, /User rejected the tool call/);
	});
});

test('no Pilot Status key or key ID reached the model provider in any run', () => {
	assert.ok(sentToModel.length >= 10, `only ${sentToModel.length} model requests recorded`);
	// Seeded, regenerated and revealed keys (values and IDs), and the credential's key.
	assert.ok(sandboxKeys.size >= 6);
	const sent = JSON.stringify(sentToModel);
	const leaked = [...sandboxKeys].filter((secret) => sent.includes(secret));
	assert.deepEqual(leaked, []);
});
