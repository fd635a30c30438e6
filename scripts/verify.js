#!/usr/bin/env node
'use strict';
// n8n's verification scan (@n8n/scan-community-package), run locally. The published scan first
// checks the npm provenance attestation and downloads the attested source from GitHub, which only
// works for a published version; its lint legs are the same ones called here:
//   1. the source: package.json + {nodes,credentials}/**/*.{js,ts,json}
//   2. the packed tarball: **/*.js + package.json
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

async function main() {
	const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-verify-'));
	try {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
				cwd: ROOT,
				encoding: 'utf8',
			}),
		);
		const unpacked = path.join(work, 'package');
		fs.mkdirSync(unpacked);
		execFileSync('tar', [
			'-xzf',
			path.join(work, packed.filename),
			'-C',
			unpacked,
			'--strip-components=1',
		]);

		const legs = [
			['source', ROOT, scanner.SOURCE_FILE_PATTERNS],
			['packed tarball', unpacked, ['**/*.js', 'package.json']],
		];
		let failed = false;
		for (const [label, dir, patterns] of legs) {
			const result = await scanner.analyzePackage(dir, patterns);
			process.stdout.write(
				`${result.passed ? 'PASS' : 'FAIL'}  n8n community package scan, ${label}${result.message ? `: ${result.message}` : ''}\n`,
			);
			if (!result.passed) {
				failed = true;
				if (result.details) process.stdout.write(`${result.details}\n`);
			}
		}
		process.exit(failed ? 1 : 0);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack}\n`);
	process.exit(1);
});
