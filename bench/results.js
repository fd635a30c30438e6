'use strict';
// bench/RESULTS.md, newest first: both benchmarks add their report on top, under one header.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
const HEADER =
	'# Benchmark results\n\nWritten by `npm run bench` and `npm run bench:scale` (see README → Benchmarks, Running at scale). Newest first.\n\n';

function addToResults(report) {
	const previous = fs.existsSync(RESULTS_FILE)
		? fs.readFileSync(RESULTS_FILE, 'utf8').replace(/^# Benchmark results\n\n[^\n]*\n\n/, '')
		: '';
	fs.writeFileSync(RESULTS_FILE, `${HEADER}${report}\n${previous}`);
}

/** Prints a report and adds it to bench/RESULTS.md, unless the environment variable `skip` is '1'. */
function publishReport(report, skip) {
	process.stdout.write(`\n${report}\n`);
	if (process.env[skip] !== '1') addToResults(report);
}

/** What was measured: SCALE_REVISION / BENCH_REVISION when given, else git's description. */
function revision() {
	const given = process.env.BENCH_REVISION ?? process.env.SCALE_REVISION;
	if (given) return given;
	try {
		return execFileSync('git', ['describe', '--always', '--dirty'], {
			cwd: path.join(__dirname, '..'),
			encoding: 'utf8',
		}).trim();
	} catch {
		return 'unknown';
	}
}

module.exports = { addToResults, publishReport, revision };
