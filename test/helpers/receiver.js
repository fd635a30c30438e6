'use strict';
// A throw-away HTTP endpoint that records what is POSTed to it (webhook deliveries).
const http = require('node:http');

async function startReceiver({ status = 200 } = {}) {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
			received.push({ method: req.method, url: req.url, headers: req.headers, body });
			res.writeHead(receiver.status, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const receiver = {
		status,
		received,
		url: `http://127.0.0.1:${server.address().port}`,
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
	return receiver;
}

/** A local port with nothing listening, for "server unreachable" cases. */
async function closedPortUrl() {
	const server = http.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

module.exports = { startReceiver, closedPortUrl };
