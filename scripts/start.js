#!/usr/bin/env node
'use strict';
// npm start: the package running in a real n8n on http://localhost:5678, against the sandbox.
//   npm start                 sandbox + ready credential + example workflows + n8n
//   PILOT_STATUS_REAL=1 npm start   (or: npm start -- --real)   no sandbox; add your own credential
// Ctrl-C stops everything this started.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const env = require('./lib/n8n-env');
const { EXAMPLES, SANDBOX_CREDENTIAL_ID, loadExample, localCopy, sandboxCredential } = require('./lib/examples');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');

const REAL = process.argv.includes('--real') || /^(1|true|yes)$/i.test(process.env.PILOT_STATUS_REAL ?? '');
const PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 4010);
const USER_FOLDER = process.env.PILOT_STATUS_N8N_FOLDER ?? path.join(env.CACHE, REAL ? 'n8n-real' : 'n8n-demo');
const OWNER = { email: 'owner@pilot-status.local', password: 'Pilot-Status-demo-1', firstName: 'Demo', lastName: 'Owner' };

const children = [];
let stopping = false;

function stopAll(code = 0) {
	if (stopping) return;
	stopping = true;
	env.say('\nStopping n8n and the sandbox...');
	for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
	setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function waitForReady(url, timeoutMs = 120_000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not become ready at ${url} within ${timeoutMs / 1000} s`);
}

/** Creates the owner account on a fresh n8n so the editor opens straight to the sign-in page. */
async function setUpOwner(baseUrl) {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	return response.ok;
}

async function main() {
	const started = Date.now();
	env.say(`n8n-nodes-pilot-status: starting n8n ${env.N8N_VERSION} with this package${REAL ? ' (real Pilot Status service)' : ' and the sandbox'}.`);
	await env.ensureN8n();

	env.say('Building the package and installing it into n8n (as the Community Nodes screen does)...');
	const tarball = await env.packPackage(path.join(env.CACHE, 'pack'));
	await env.installPackage(USER_FOLDER, tarball);

	let sandboxUrl;
	if (!REAL) {
		const sandbox = await spawnSandbox({ port: SANDBOX_PORT, nodePath: env.NODE_BIN });
		children.push(sandbox.child);
		sandboxUrl = sandbox.url;
		// The sandbox plays the customer: a QR code counts as scanned on the 3rd status check.
		await fetch(`${sandboxUrl}/__sandbox/settings`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ autoConnectAfterPolls: 3 }),
		});
		const credentials = [sandboxCredential(SANDBOX_CREDENTIAL_ID, 'Pilot Status account', sandboxUrl, SEED.tenantKey.value)];
		const workflows = EXAMPLES.map((name) => localCopy(loadExample(name), { sandboxUrl, outsideWorld: 'disable' }));
		fs.writeFileSync(path.join(USER_FOLDER, 'demo-credentials.json'), JSON.stringify(credentials));
		fs.writeFileSync(path.join(USER_FOLDER, 'demo-workflows.json'), JSON.stringify(workflows));
		env.say('Importing the sandbox credential and the example workflows...');
		for (const [command, file] of [['import:credentials', 'demo-credentials.json'], ['import:workflow', 'demo-workflows.json']]) {
			const result = await env.n8n([command, `--input=${path.join(USER_FOLDER, file)}`], { userFolder: USER_FOLDER });
			if (result.code !== 0) throw new Error(`${command} failed:\n${result.stdout}${result.stderr}`);
		}
	}

	env.say(`Starting n8n on http://localhost:${PORT} ...`);
	const n8n = spawn(env.NODE_BIN, [env.N8N_BIN, 'start'], {
		env: env.n8nEnv(USER_FOLDER, { N8N_PORT: String(PORT), N8N_HOST: 'localhost', N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn' }),
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	children.push(n8n);
	n8n.on('exit', (code) => {
		if (!stopping) {
			env.say(`n8n exited (code ${code}).`);
			stopAll(code ?? 1);
		}
	});
	const baseUrl = `http://localhost:${PORT}`;
	await waitForReady(`${baseUrl}/healthz/readiness`);
	const ownerCreated = await setUpOwner(baseUrl);

	const lines = [
		'',
		`Ready in ${Math.round((Date.now() - started) / 1000)} s.`,
		`  Open:      ${baseUrl}`,
		ownerCreated
			? `  Sign in:   ${OWNER.email} / ${OWNER.password}   (owner account created for this local n8n)`
			: `  Sign in:   with the owner account of ${USER_FOLDER} (demo default: ${OWNER.email} / ${OWNER.password})`,
	];
	if (REAL) {
		lines.push(
			'  Then:      Overview → Create → Credential → "Pilot Status API", paste your tenant key (dashboard → Profile → API).',
			'             Add a "Pilot Status" node to a workflow, or import one from examples/.',
		);
	} else {
		lines.push(
			`  Sandbox:   ${sandboxUrl} (tenant key ${SEED.tenantKey.value}); it "scans" a QR code on the 3rd status check.`,
			'  Then:      open the workflow "Pilot Status: onboard a customer ..." and click "Execute workflow".',
			'             Click "Create WhatsApp number" to see the QR code image in its Binary output.',
			'             Email nodes are disabled in these copies; add an SMTP credential and enable them to send for real.',
		);
	}
	lines.push(`  Data:      ${USER_FOLDER}`, '  Stop:      Ctrl-C', '');
	env.say(lines.join('\n'));
}

main().catch((error) => {
	process.stderr.write(`npm start failed: ${error.message}\n`);
	stopAll(1);
});
