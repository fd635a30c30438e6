'use strict';
// Starts the sandbox as its own process (as tests, npm start and the e2e suite need it) and
// resolves once it listens, with what it printed about itself and a client for its control surface.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

/** A call to the sandbox's control surface: its JSON answer, or an error that says what failed. */
async function control(baseUrl, method, route, body) {
	const response = await fetch(`${baseUrl}/__sandbox${route}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`Sandbox ${method} ${route} answered ${response.status}: ${text}`);
	return text ? JSON.parse(text) : undefined;
}

function spawnSandbox({ port = 0, host = '127.0.0.1', nodePath = process.execPath } = {}) {
	const child = spawn(nodePath, [path.join(__dirname, 'cli.js'), '--json'], {
		env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_HOST: host },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return new Promise((resolve, reject) => {
		const lines = readline.createInterface({ input: child.stdout });
		child.once('exit', (code) =>
			reject(new Error(`The sandbox exited (code ${code}) before it listened`)),
		);
		lines.once('line', (line) => {
			const info = JSON.parse(line);
			resolve({
				info,
				url: info.baseUrl,
				child,
				control: (method, route, body) => control(info.baseUrl, method, route, body),
				stop: () =>
					new Promise((done) => {
						if (child.exitCode !== null) return done();
						child.once('exit', () => done());
						child.kill('SIGTERM');
					}),
			});
		});
	});
}

module.exports = { spawnSandbox };
