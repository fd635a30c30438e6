'use strict';
// bench/RESULTS.md, newest first: both benchmarks add their report on top, under one header.
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

module.exports = { addToResults };
