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

module.exports = { startGarbageServer, startMismatchedTlsServer, startRedirectServer };
