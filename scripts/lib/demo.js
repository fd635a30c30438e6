'use strict';
// A running n8n with this package: what `npm start` shows a newcomer and what the browser check
// drives. Installs (cached), imports the sandbox credential and example copies, starts n8n and
// creates the owner account.
const { spawn } = require('node:child_process');

const env = require('./n8n-env');
const {
	EXAMPLES,
	SANDBOX_CREDENTIAL_ID,
	loadExample,
	localCopy,
	sandboxCredential,
} = require('./examples');
const { spawnSandbox } = require('../../sandbox/process');
const { SEED } = require('../../sandbox/seed');

const OWNER = {
	email: 'owner@pilot-status.local',
	password: 'Pilot-Status-demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

async function waitForReady(url, n8nProcess, timeoutMs = 180_000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (n8nProcess.exitCode !== null)
			throw new Error(`n8n exited (code ${n8nProcess.exitCode}) while starting`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not become ready at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Starts everything; resolves once the editor answers. `real: true` leaves the sandbox, its
 * credential and the examples out. `onExit` is called if n8n stops on its own.
 */
async function startDemo({
	userFolder,
	port = 5678,
	sandboxPort = 4010,
	real = false,
	logLevel = 'warn',
	n8nOutput = 'inherit',
	onExit,
}) {
	const children = [];
	const stop = async () => {
		await Promise.all(
			children.map((child) =>
				child.exitCode !== null
					? undefined
					: new Promise((resolve) => {
							child.once('exit', resolve);
							child.kill('SIGTERM');
						}),
			),
		);
	};
	try {
		await env.ensureN8n();
		env.say(
			'Building the package and installing it into n8n (as the Community Nodes screen does)...',
		);
		await env.installThisPackage(userFolder);

		let sandboxUrl;
		if (!real) {
			const sandbox = await spawnSandbox({ port: sandboxPort, nodePath: env.NODE_BIN });
			children.push(sandbox.child);
			sandboxUrl = sandbox.url;
			// The sandbox plays the customer: a QR code counts as scanned on the 3rd status check.
			await fetch(`${sandboxUrl}/__sandbox/settings`, {
				method: 'PUT',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ autoConnectAfterPolls: 3 }),
			});
			env.say('Importing the sandbox credential and the example workflows...');
			await env.importIntoN8n(userFolder, {
				credentials: [
					sandboxCredential(
						SANDBOX_CREDENTIAL_ID,
						'Pilot Status account',
						sandboxUrl,
						SEED.tenantKey.value,
					),
				],
				workflows: EXAMPLES.map((name) =>
					localCopy(loadExample(name), { sandboxUrl, outsideWorld: 'disable' }),
				),
			});
		}

		env.say(`Starting n8n on http://localhost:${port} ...`);
		const n8n = spawn(env.NODE_BIN, [env.N8N_BIN, 'start'], {
			env: env.n8nEnv(userFolder, {
				N8N_PORT: String(port),
				N8N_HOST: 'localhost',
				N8N_LOG_LEVEL: logLevel,
				N8N_RUNNERS_BROKER_PORT: String(await env.freePort()),
			}),
			stdio: ['ignore', n8nOutput, n8nOutput],
		});
		children.push(n8n);
		if (onExit) n8n.on('exit', onExit);
		const baseUrl = `http://localhost:${port}`;
		await waitForReady(`${baseUrl}/healthz/readiness`, n8n);
		const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		return { baseUrl, sandboxUrl, ownerCreated: setup.ok, owner: OWNER, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { OWNER, startDemo };
