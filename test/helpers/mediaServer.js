'use strict';
// A file host for the trigger's media downloads: /endless/<name> streams bytes without a length for
// as long as the client reads (a download that must stop at the size cap), anything else gets a
// small PNG. It records what reached it and how many bytes it wrote, so a test can prove that a
// download was stopped early, or that nothing asked.
const http = require('node:http');

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
	'base64',
);
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

async function startMediaServer() {
	const received = [];
	const state = { bytesWritten: 0, closedEarly: false };
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		received.push({ method: req.method, url: req.url, headers: req.headers });
		if (!req.url.startsWith('/endless/')) {
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
			res.end(PNG);
			return;
		}
		res.writeHead(200, { 'content-type': 'application/octet-stream' });
		res.on('close', () => {
			state.closedEarly = !res.writableFinished;
		});
		const pump = () => {
			while (!res.destroyed && res.write(CHUNK)) state.bytesWritten += CHUNK.length;
			if (!res.destroyed) state.bytesWritten += CHUNK.length;
		};
		res.on('drain', pump);
		pump();
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		png: PNG,
		received,
		state,
		stop: () =>
			new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startMediaServer };
