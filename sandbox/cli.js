#!/usr/bin/env node
'use strict';
// `npm run sandbox`: start the sandbox and print how to reach it. SANDBOX_PORT (0 = any free port)
// and SANDBOX_HOST override the defaults; --json prints the same facts as one JSON line.
const { startSandbox } = require('./server');

async function main() {
	const port = Number(process.env.SANDBOX_PORT ?? process.env.PORT ?? 4010);
	const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
	const sandbox = await startSandbox({ host, port });
	const info = sandbox.describe();
	const stop = () => sandbox.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	// For programs that start the sandbox (tests, npm start): one JSON line, then quiet.
	if (process.argv.includes('--json')) {
		process.stdout.write(`${JSON.stringify(info)}\n`);
		return;
	}
	const lines = [
		`Pilot Status sandbox listening on ${info.baseUrl}`,
		'',
		'Credential for n8n ("Pilot Status API"):',
		`  Base URL:          ${info.baseUrl}`,
		`  Tenant API key:    ${info.tenantKey.value}   (key ID: ${info.tenantKey.id})`,
		'',
		'Seeded numbers and their number-scoped keys:',
		...info.numbers.map(
			(n) =>
				`  ${n.id.padEnd(12)} ${n.name.padEnd(8)} +${n.number}  ${n.state.padEnd(5)}  ${n.key.value}`,
		),
		'',
		`Controls (scan a QR, inject faults, read the request log): ${info.control}`,
		'Messaging: sends move QUEUED → SENT → DELIVERED → READ and post message.* events; script',
		'  replies with POST /__sandbox/customers/{phone}, inject inbound messages with',
		'  POST /__sandbox/numbers/{id}/inbound, list sends with GET /__sandbox/messages.',
		'See CONTRIBUTING.md → "The sandbox" (and its "Messaging" part). Ctrl-C stops it.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
	process.stderr.write(`Sandbox failed to start: ${error.message}\n`);
	process.exit(1);
});
