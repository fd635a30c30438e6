'use strict';
// Tests record what the reliability and security suites tried; summary-reporter.js adds it up.
const fs = require('node:fs');

/** kind: see summary.d.ts (the hardening classes are counted one check at a time). */
function record(kind, count = 1) {
	const file = process.env.PILOT_STATUS_SUMMARY_FILE;
	if (file) fs.appendFileSync(file, `${JSON.stringify({ kind, count })}\n`);
}

module.exports = { record };
