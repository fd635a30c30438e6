'use strict';
// A server that is not Pilot Status, as a newcomer's wrong Base URL finds one: n8n's own editor (an
// HTML page with 200 for every path), a web server's 404 page, a text 401 from a gateway.
const http = require('node:http');

async function startForeignServer({
	status = 200,
	body = '<!DOCTYPE html><html></html>',
	type = 'text/html',
} = {}) {
	const received = [];
	const server = http.createServer((req, res) => {
		received.push({ method: req.method, url: req.url });
		res.writeHead(status, { 'content-type': type });
		res.end(body);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		received,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startForeignServer };
