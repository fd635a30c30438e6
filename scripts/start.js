#!/usr/bin/env node
'use strict';
// npm start: this package in a real n8n on http://localhost:5678, against the sandbox.
//   npm start                                         sandbox + ready credential + examples + n8n
//   PILOT_STATUS_REAL=1 npm start  (npm start -- --real)   no sandbox; add your own credential
// Ctrl-C stops everything this started.
const fs = require('node:fs');
const path = require('node:path');

const env = require('./lib/n8n-env');
const { startDemo } = require('./lib/demo');
const { SEED } = require('../sandbox/seed');

const REAL =
	process.argv.includes('--real') || /^(1|true|yes)$/i.test(process.env.PILOT_STATUS_REAL ?? '');
const USER_FOLDER =
	process.env.PILOT_STATUS_N8N_FOLDER ?? path.join(env.CACHE, REAL ? 'n8n-real' : 'n8n-demo');

async function main() {
	const started = Date.now();
	env.say(
		`n8n-nodes-pilot-status: n8n ${env.N8N_VERSION} with this package${REAL ? ', against the real Pilot Status service' : ' and the sandbox'}.`,
	);
	fs.mkdirSync(USER_FOLDER, { recursive: true });
	let demo;
	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		env.say('\nStopping n8n and the sandbox...');
		await demo?.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	demo = await startDemo({
		userFolder: USER_FOLDER,
		port: Number(process.env.N8N_PORT ?? 5678),
		sandboxPort: Number(process.env.SANDBOX_PORT ?? 4010),
		real: REAL,
		logLevel: process.env.N8N_LOG_LEVEL ?? 'warn',
		onExit: (code) => {
			if (stopping) return;
			env.say(`n8n exited on its own (code ${code}).`);
			stop(code ?? 1);
		},
	});
	const { baseUrl, owner } = demo;
	const lines = [
		'',
		`Ready in ${Math.round((Date.now() - started) / 1000)} s.`,
		`  Open:      ${baseUrl}`,
		demo.ownerCreated
			? `  Sign in:   ${owner.email} / ${owner.password}   (owner account created for this local n8n; the password is kept in ${owner.file})`
			: `  Sign in:   ${owner.email} / ${owner.password}   (from ${owner.file}, or PILOT_STATUS_OWNER_PASSWORD)`,
	];
	lines.push(
		`  Package:   ${env.PACKAGE.name} ${demo.installedVersion}, built from this folder and recorded as n8n records`,
		'             a community package: Settings → Community nodes lists it and can uninstall it. Its',
		'             Update button looks on npm, not here: run npm start again to install your changes.',
	);
	if (REAL) {
		lines.push(
			'  Then:      Overview → Create → Credential → "Pilot Status API"; paste your tenant key (dashboard → Profile → API).',
			'             Add a "Pilot Status" node to a workflow, or import one from examples/.',
		);
	} else {
		lines.push(
			`  Sandbox:   ${demo.sandboxUrl} (tenant key ${SEED.tenantKey.value}); it "scans" a QR code on the 3rd status check.`,
			'  Then:      open "Pilot Status: onboard a customer who is with you" and click "Execute workflow":',
			'             the form shows the QR code; answer "Sim" (linked) and the wait sees the number connect.',
			'             Or open "... onboard a customer by email", execute it, open the remotePairingUrl of',
			'             "Create pairing link" in your browser and simulate the scan there: the wait resumes.',
			'             Email nodes are disabled in these copies; add an SMTP credential and enable them to send for real.',
			"             What the customer sees (form pages, the email) is in Brazilian Portuguese; each example's",
			'             sticky note "Texts your customer sees" lists the English texts and where to put them.',
			"  Note:      The Remote Pairing resource's operations (Get Info, Get Status, Connect, Wait for",
			'             Connection) run without the credential, so they ignore its Base URL: set Options → API',
			`             Base URL to ${demo.sandboxUrl} in each such node, or they call the real Pilot Status.`,
			'             (The examples use none of them; their link comes from Number → Create Remote Pairing Link.)',
		);
	}
	lines.push(`  Data:      ${USER_FOLDER}`, '  Stop:      Ctrl-C', '');
	env.say(lines.join('\n'));
}

main().catch((error) => {
	process.stderr.write(`npm start failed: ${error.message}\n`);
	process.exit(1);
});
