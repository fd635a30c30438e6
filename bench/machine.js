'use strict';
// What the benchmarks read about the machine and n8n's processes (Linux /proc, os).
const fs = require('node:fs');
const os = require('node:os');

const { N8N_VERSION } = require('../scripts/lib/n8n-env');

/** A process's children (Linux): the task runner n8n 2.x starts beside each process; [] where /proc is missing. */
function childPids(pid) {
	try {
		return fs
			.readdirSync(`/proc/${pid}/task`)
			.flatMap((task) =>
				fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/),
			)
			.filter(Boolean)
			.map(Number);
	} catch {
		return [];
	}
}

/** The 1, 5 and 15 minute load averages as the reports print them ("0.52 0.61 0.70"). */
function loadAverages() {
	return os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(' ');
}

/** The machine, Node and n8n a report was measured on, as its header line says it. */
function machineLine() {
	const cpus = os.cpus();
	return `${cpus.length} × ${cpus[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}, n8n ${N8N_VERSION}`;
}

/** A report's first line: the day and the machine. */
const reportHeading = () => `## ${new Date().toISOString().slice(0, 10)}: ${machineLine()}`;

/** The table `npm run bench` and `node bench/media.js` report: each row against its baseline. */
function comparisonTable(rows) {
	return [
		'| Measure | This package | Value | Baseline (same run) | Value | Ratio | Target |',
		'|---|---|---|---|---|---|---|',
		...rows.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

module.exports = { childPids, comparisonTable, loadAverages, machineLine, reportHeading };
