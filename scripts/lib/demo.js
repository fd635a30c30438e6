'use strict';
// A running n8n with this package: what `npm start` shows a newcomer and what the browser check
// drives. Installs (cached), imports the sandbox credential and example copies, starts n8n and
// creates the owner account.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const env = require('./n8n-env');
const { EXAMPLES, exampleCredentials, loadExample, localCopy } = require('./examples');
const { spawnSandbox } = require('../../sandbox/process');
const { SEED } = require('../../sandbox/seed');

const OWNER_EMAIL = 'owner@pilot-status.local';

/**
 * The owner account of a local n8n: a random password per user folder, created once and kept
 * beside the n8n data (readable only by this user), unless PILOT_STATUS_OWNER_PASSWORD sets one.
 */
function ownerFor(userFolder) {
	const file = path.join(userFolder, 'owner-password.txt');
	let password = process.env.PILOT_STATUS_OWNER_PASSWORD;
	if (!password) {
		if (!fs.existsSync(file)) {
			// n8n wants 8+ characters with a digit and an upper-case letter.
			const random = crypto.randomBytes(12).toString('base64url');
			fs.writeFileSync(file, `Ps1-${random}\n`, { mode: 0o600 });
		}
		password = fs.readFileSync(file, 'utf8').trim();
	}
	return { email: OWNER_EMAIL, password, firstName: 'Demo', lastName: 'Owner', file };
}

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
	const owner = ownerFor(userFolder);
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
		env.say('Building the package and installing it into n8n as a community package...');
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
				credentials: exampleCredentials(sandboxUrl, SEED),
				workflows: EXAMPLES.map((name) =>
					localCopy(loadExample(name), { sandboxUrl, outsideWorld: 'disable' }),
				),
			});
		}

		// After the imports, which created n8n's database: Settings → Community nodes lists it.
		const recorded = await env.recordCommunityPackage(userFolder);

		// Only this machine can reach the demo unless the user says otherwise.
		const listen = process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1';
		env.say(`Starting n8n on http://127.0.0.1:${port} (listening on ${listen}) ...`);
		const n8n = spawn(env.NODE_BIN, [env.N8N_BIN, 'start'], {
			env: env.n8nEnv(userFolder, {
				N8N_PORT: String(port),
				N8N_HOST: '127.0.0.1',
				N8N_LISTEN_ADDRESS: listen,
				N8N_LOG_LEVEL: logLevel,
				N8N_RUNNERS_BROKER_PORT: String(await env.freePort()),
			}),
			stdio: ['ignore', n8nOutput, n8nOutput],
		});
		children.push(n8n);
		if (onExit) n8n.on('exit', onExit);
		const baseUrl = `http://127.0.0.1:${port}`;
		await waitForReady(`${baseUrl}/healthz/readiness`, n8n);
		// n8n 1.x answers readiness a few seconds before its /rest routes exist.
		await waitForReady(`${baseUrl}/rest/settings`, n8n);
		const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				email: owner.email,
				password: owner.password,
				firstName: owner.firstName,
				lastName: owner.lastName,
			}),
		});
		return {
			baseUrl,
			sandboxUrl,
			ownerCreated: setup.ok,
			owner,
			installedVersion: recorded.packageRow.installedVersion,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { ownerFor, startDemo };
