'use strict';
// Prints one line after the whole run: what the reliability and security suites tried, and leaks.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// One label per class of check, in the order the line prints them.
const LABELS = {
	faults: 'faults tried',
	badInputs: 'bad inputs tried',
	secretChecks: 'error paths checked for keys',
	redirects: 'redirects refused',
	transport: 'transport failures explained',
	cutOff: 'answers cut off mid-body handled',
	deadlines: 'deadlines held against slow servers',
	echoes: 'echoed secrets redacted',
	sideEffects: 'side-effect runs checked',
	polling: 'polling limits held',
	trigger: 'trigger promises checked',
	forgedEvents: 'forged or odd events refused',
	webhookSweeps: 'foreign webhooks spared',
	leaks: 'leaks found',
};

class SummaryReporter {
	constructor() {
		// Set before jest starts its workers, so they inherit it.
		this.file = path.join(os.tmpdir(), `pilot-status-summary-${process.pid}.jsonl`);
		fs.rmSync(this.file, { force: true });
		process.env.PILOT_STATUS_SUMMARY_FILE = this.file;
	}

	onRunComplete() {
		const totals = Object.fromEntries(Object.keys(LABELS).map((kind) => [kind, 0]));
		if (fs.existsSync(this.file)) {
			for (const line of fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean)) {
				const { kind, count } = JSON.parse(line);
				totals[kind] += count;
			}
			fs.rmSync(this.file, { force: true });
		}
		const tried = Object.entries(totals).filter(([kind, count]) => kind !== 'leaks' && count > 0);
		if (tried.length === 0) return;
		const parts = tried.map(([kind, count]) => `${count} ${LABELS[kind]}`);
		process.stdout.write(
			`\nReliability and security: ${parts.join(', ')}; ${totals.leaks} leaks found.\n`,
		);
	}
}

module.exports = SummaryReporter;
