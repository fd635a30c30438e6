'use strict';
// Turns n8n's logging on (debug) and keeps every log record it makes, metadata included, so tests
// can search the logs. Import it before anything that loads n8n-core: it creates n8n-core's logger
// (a DI singleton) itself and adds a capturing transport to it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_FILE_LOCATION = path.join(
	fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-logs-')),
	'n8n.log',
);

// n8n-core brings its own copies of @n8n/di and @n8n/backend-common: use exactly those.
const from = (id, base) => require(require.resolve(id, { paths: [base] }));
const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
const backendCommonDir = path.dirname(
	require.resolve('@n8n/backend-common/package.json', { paths: [coreDir] }),
);
const winstonDir = path.dirname(
	require.resolve('winston/package.json', { paths: [backendCommonDir] }),
);
const { Container } = from('@n8n/di', coreDir);
const { Logger } = from('@n8n/backend-common', coreDir);
const Transport = from('winston-transport', winstonDir);

const records = [];

class Capture extends Transport {
	log(info, callback) {
		records.push(util.inspect(info, { depth: 8, showHidden: true, breakLength: Infinity }));
		callback();
	}
}

Container.get(Logger)
	.getInternalLogger()
	.add(new Capture({ level: 'debug' }));

/** Every log record (message and metadata) since the last call. */
function takeLogs() {
	return records.splice(0).join('\n');
}

module.exports = { takeLogs };
