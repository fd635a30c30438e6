'use strict';
// Prints one line after the whole run: what the reliability and security suites tried, and leaks.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

class SummaryReporter {
	constructor() {
		// Set before jest starts its workers, so they inherit it.
		this.file = path.join(os.tmpdir(), `pilot-status-summary-${process.pid}.jsonl`);
		fs.rmSync(this.file, { force: true });
		process.env.PILOT_STATUS_SUMMARY_FILE = this.file;
	}

	onRunComplete() {
		const totals = { faults: 0, badInputs: 0, leaks: 0, secretChecks: 0 };
		if (fs.existsSync(this.file)) {
			for (const line of fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean)) {
				const { kind, count } = JSON.parse(line);
				totals[kind] += count;
			}
			fs.rmSync(this.file, { force: true });
		}
		if (totals.faults + totals.badInputs + totals.secretChecks === 0) return;
		process.stdout.write(
			`\nReliability and security: ${totals.faults} faults tried, ${totals.badInputs} bad inputs tried, ${totals.secretChecks} error paths checked for keys, ${totals.leaks} leaks found.\n`,
		);
	}
}

module.exports = SummaryReporter;
