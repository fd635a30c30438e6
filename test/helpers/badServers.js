'use strict';
// Servers that answer the way a misconfigured Base URL or a broken network answers: a redirect to
// somewhere else, an HTTPS certificate for another name, bytes that are not HTTP. Each records what
// reached it, so a test can prove that nothing (and no key) did.
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function listen(server) {
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
	);
}

function closer(server) {
	return () =>
		new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		});
}

/** Answers every request with `status` and a Location; `location: 'self'` makes a loop. */
async function startRedirectServer({ status = 302, location = 'self' } = {}) {
	const received = [];
	const server = http.createServer((req, res) => {
		received.push({ method: req.method, url: req.url, headers: req.headers });
		const target = location === 'self' ? `${url}${req.url}` : `${location}${req.url}`;
		res.writeHead(status, { location: target, 'content-type': 'text/plain' });
		res.end('Moved');
	});
	const port = await listen(server);
	const url = `http://127.0.0.1:${port}`;
	return { url, received, stop: closer(server) };
}

/** HTTPS with a self-signed certificate issued for another name (pilot-status-test.invalid). */
async function startMismatchedTlsServer() {
	const received = [];
	const server = https.createServer(
		{
			key: fs.readFileSync(path.join(FIXTURES, 'tls-self-signed.key')),
			cert: fs.readFileSync(path.join(FIXTURES, 'tls-self-signed.crt')),
		},
		(req, res) => {
			received.push({ method: req.method, url: req.url, headers: req.headers });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('[]');
		},
	);
	const port = await listen(server);
	return { url: `https://127.0.0.1:${port}`, received, stop: closer(server) };
}

/** Accepts a connection and answers with bytes that are not an HTTP response. */
async function startGarbageServer() {
	const sockets = new Set();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.2 not http at all\r\n\r\n'));
		socket.on('close', () => sockets.delete(socket));
	});
	const port = await listen(server);
	return {
		url: `http://127.0.0.1:${port}`,
		stop: () =>
			new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

function requestLog(req, body) {
	return { method: req.method, url: req.url, headers: req.headers, body };
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Remembers every socket so that stop() ends the ones a misbehaving answer left open. */
function trackSockets(server) {
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return () =>
		new Promise((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		});
}

/**
 * Forwards every request to `upstream` (the sandbox, which does the work) and, for the requests
 * `cut` picks, sends the status line, the headers and half of the body, then drops the connection:
 * the change was made but its answer was lost halfway. `mode: 'length'` announces the full
 * Content-Length; `mode: 'chunked'` sends a chunked body whose last chunk never comes.
 */
async function startCutOffProxy({ upstream, mode = 'length', cut = () => true }) {
	const received = [];
	const server = http.createServer(async (req, res) => {
		const body = await readBody(req);
		received.push(requestLog(req, body.toString('utf8')));
		const answer = await fetch(`${upstream}${req.url}`, {
			method: req.method,
			headers: Object.fromEntries(
				Object.entries(req.headers).filter(([name]) => !['host', 'connection'].includes(name)),
			),
			body: ['GET', 'HEAD'].includes(req.method) ? undefined : body,
			redirect: 'manual',
		});
		const full = Buffer.from(await answer.arrayBuffer());
		const headers = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
		if (!cut(req)) {
			res.writeHead(answer.status, { ...headers, 'content-length': full.length });
			res.end(full);
			return;
		}
		const half = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
		if (mode === 'chunked') {
			res.writeHead(answer.status, { ...headers, 'transfer-encoding': 'chunked' });
		} else {
			res.writeHead(answer.status, { ...headers, 'content-length': full.length });
		}
		res.write(half, () => setTimeout(() => req.socket.destroy(), 50));
	});
	const stop = trackSockets(server);
	const port = await listen(server);
	return { url: `http://127.0.0.1:${port}`, received, stop };
}

/**
 * Answers 200 with a JSON content type at once, then sends its body one byte every `intervalMs`
 * (spaces, which JSON allows) and never ends it: no idle timeout ever fires.
 */
async function startDripServer({ intervalMs = 200, status = 200 } = {}) {
	const received = [];
	const timers = new Set();
	const server = http.createServer(async (req, res) => {
		received.push(requestLog(req, (await readBody(req)).toString('utf8')));
		res.writeHead(status, { 'content-type': 'application/json' });
		res.flushHeaders();
		const timer = setInterval(() => res.write(' '), intervalMs);
		timers.add(timer);
		res.on('close', () => {
			clearInterval(timer);
			timers.delete(timer);
		});
	});
	const stopServer = trackSockets(server);
	const port = await listen(server);
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		stop: async () => {
			for (const timer of timers) clearInterval(timer);
			await stopServer();
		},
	};
}

/**
 * Answers every request with `101 Switching Protocols` (which nobody asked for) and then keeps
 * the connection open without a word, as a misconfigured proxy or WebSocket endpoint can.
 */
async function startSwitchingProtocolsServer() {
	const received = [];
	const sockets = new Set();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		socket.once('data', (data) => {
			const [method, url] = data.toString('latin1').split(' ');
			received.push({ method, url });
			socket.write(
				'HTTP/1.1 101 Switching Protocols\r\nUpgrade: pilot\r\nConnection: Upgrade\r\n\r\n',
			);
		});
	});
	const port = await listen(server);
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		stop: () =>
			new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

module.exports = {
	readBody,
	startCutOffProxy,
	startDripServer,
	startGarbageServer,
	startMismatchedTlsServer,
	startRedirectServer,
	startSwitchingProtocolsServer,
};
