'use strict';
// A deterministic stand-in for an OpenAI-compatible model provider (Node built-ins only), for the AI
// Agent e2e suite. n8n's OpenAI Chat Model node talks to it through an `openAiApi` credential whose
// Base URL is `url` (`http://127.0.0.1:<port>/v1`); the node needs Use Responses API off, so that
// it calls POST /v1/chat/completions (streamed or not).
//
// What the "model" does is written in the prompt: the user message carries a script after the
// marker `[fake-model]`, a JSON array of rounds. Round N (N = the number of tool-calling answers
// already in the conversation) is one tool call `{"tool": "Get_Number_Status", "args": {...}}` or
// an array of them (parallel calls). Once the script is used up, the model answers in text that
// quotes every tool result it received, in order:
//
//   Tool results:
//   - Get_Number_Status: [{"numberId":"num_suporte","state":"OPEN",...}]
//
// A tool the request does not offer is not called: the answer then says so (FAKE MODEL ERROR ...),
// which the test sees in the agent's output.
//
// Every request is recorded as received (method, URL, headers, raw body, parsed body) in
// `requests`, so a test can search everything that was sent to the "model provider". Run alone,
// `node e2e/fake-model.js` listens on $PORT (default: a free port) and serves the record at
// GET /__fake/requests (DELETE clears it).
const http = require('node:http');

const MARKER = '[fake-model]';
const MODEL = 'fake-model';
const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

function textOf(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** The script in the conversation's first user message: an array of rounds. */
function scriptOf(messages) {
	const prompt = textOf(messages.find((message) => message.role === 'user')?.content);
	const at = prompt.indexOf(MARKER);
	if (at === -1) return { rounds: [] };
	try {
		const rounds = JSON.parse(prompt.slice(at + MARKER.length).trim());
		if (!Array.isArray(rounds)) throw new Error('the script is not an array');
		return { rounds: rounds.map((round) => [round].flat()) };
	} catch (error) {
		return { rounds: [], error: `unreadable script after ${MARKER}: ${error.message}` };
	}
}

/** What the model answers to one chat completions request body. */
function reply(body) {
	const messages = Array.isArray(body?.messages) ? body.messages : [];
	const offered = (body?.tools ?? []).map((tool) => tool.function?.name).filter(Boolean);
	const round = messages.filter(
		(message) => message.role === 'assistant' && message.tool_calls?.length,
	).length;
	const { rounds, error } = scriptOf(messages);
	const text = (content) => ({ role: 'assistant', content });
	if (error) return text(`FAKE MODEL ERROR: ${error}`);
	if (round < rounds.length) {
		const missing = rounds[round].filter((call) => !offered.includes(call.tool));
		if (missing.length)
			return text(
				`FAKE MODEL ERROR: round ${round + 1} calls ${missing.map((call) => call.tool).join(', ')}, but the tools offered are: ${offered.join(', ') || 'none'}`,
			);
		return {
			role: 'assistant',
			content: null,
			tool_calls: rounds[round].map((call, index) => ({
				id: `call_${round + 1}_${index + 1}`,
				type: 'function',
				function: { name: call.tool, arguments: JSON.stringify(call.args ?? {}) },
			})),
		};
	}
	const names = new Map(
		messages
			.flatMap((message) => message.tool_calls ?? [])
			.map((call) => [call.id, call.function?.name]),
	);
	const results = messages
		.filter((message) => message.role === 'tool')
		.map((message) => `- ${names.get(message.tool_call_id) ?? '?'}: ${textOf(message.content)}`);
	return text(results.length ? `Tool results:\n${results.join('\n')}` : 'No tool was called.');
}

function completion(message, created) {
	return {
		id: `chatcmpl-fake-${created}`,
		object: 'chat.completion',
		created,
		model: MODEL,
		choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
		usage,
	};
}

/** The same answer as server-sent events (`stream: true`). */
function chunks(full) {
	const base = {
		id: full.id,
		object: 'chat.completion.chunk',
		created: full.created,
		model: MODEL,
	};
	const { message, finish_reason } = full.choices[0];
	const deltas = message.tool_calls
		? message.tool_calls.map((call, index) => ({
				...(index === 0 ? { role: 'assistant', content: null } : {}),
				tool_calls: [{ index, ...call }],
			}))
		: [{ role: 'assistant', content: message.content }];
	return [
		...deltas.map((delta) => ({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })),
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason }], usage },
	];
}

/**
 * Starts the fake model on 127.0.0.1. Resolves with `url` (the Base URL for the credential),
 * `requests` (everything received, oldest first), `clear()` and `stop()`.
 */
function startFakeModel({ port = 0, host = '127.0.0.1' } = {}) {
	const requests = [];
	const server = http.createServer((req, res) => {
		const chunksIn = [];
		req.on('data', (chunk) => chunksIn.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunksIn).toString('utf8');
			const send = (status, body) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			const path = req.url.replace(/\?.*$/, '');
			if (path === '/__fake/requests') {
				if (req.method === 'DELETE') requests.length = 0;
				return send(200, requests);
			}
			let body;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				body = undefined;
			}
			requests.push({
				at: new Date().toISOString(),
				method: req.method,
				url: req.url,
				headers: req.headers,
				raw,
				body,
			});
			if (req.method === 'GET' && path.endsWith('/models'))
				return send(200, {
					object: 'list',
					data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'fake' }],
				});
			if (req.method !== 'POST' || !path.endsWith('/chat/completions'))
				return send(404, {
					error: {
						message: `fake-model serves POST /v1/chat/completions only (turn off Use Responses API), not ${req.method} ${req.url}`,
					},
				});
			if (!body) return send(400, { error: { message: 'fake-model: the body is not JSON' } });
			const full = completion(reply(body), Math.floor(Date.now() / 1000));
			if (!body.stream) return send(200, full);
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			for (const chunk of chunks(full)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			const { port: bound } = server.address();
			resolve({
				url: `http://${host}:${bound}/v1`,
				requests,
				clear: () => {
					requests.length = 0;
				},
				stop: () =>
					new Promise((done) => {
						server.closeAllConnections();
						server.close(() => done());
					}),
			});
		});
	});
}

/** The prompt text that makes the fake model run `rounds` (see the top of this file). */
function script(question, rounds) {
	return `${question}\n\n${MARKER} ${JSON.stringify(rounds)}`;
}

module.exports = { MARKER, reply, script, startFakeModel };

if (require.main === module) {
	startFakeModel({ port: Number(process.env.PORT ?? 0) }).then((model) =>
		process.stdout.write(`fake model on ${model.url} (requests: GET /__fake/requests)\n`),
	);
}
