'use strict';
// Runs before each test file (jest setupFiles): n8n-core reads these when it first starts.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_USER_FOLDER ??= fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pilot-status-test-'));
// Binary data inline (base64 in the item) instead of on disk, so tests can decode it directly.
process.env.N8N_DEFAULT_BINARY_DATA_MODE ??= 'default';
// Expected failures would otherwise print engine stack traces.
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
