'use strict';
// The shipped example workflows, and the copies `npm start` and the e2e suite import. A copy may
// swap nodes that need the outside world (email) and point public calls at the sandbox; the
// shipped files stay as a user would import them.
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');
const EXAMPLES = ['onboarding', 'key-rotation', 'remote-pairing'];
const SANDBOX_CREDENTIAL_ID = 'PsSandboxCred001';

function loadExample(name) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
}

/**
 * `outsideWorld`: 'disable' keeps email nodes but disabled (the demo: data flows through, the user
 * can enable them after adding SMTP); 'noOp' swaps them for No Operation nodes of the same name (e2e).
 */
function localCopy(
	workflow,
	{ sandboxUrl, outsideWorld = 'noOp', pollInterval, manualStart = false },
) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (node.type === 'n8n-nodes-base.emailSend') {
			if (outsideWorld === 'disable') {
				node.disabled = true;
			} else {
				Object.assign(node, { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
				delete node.credentials;
			}
		}
		if (manualStart && node.type === 'n8n-nodes-base.scheduleTrigger') {
			Object.assign(node, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
		}
		if (
			node.type.endsWith('.pilotStatus') &&
			sandboxUrl &&
			node.parameters.resource === 'remotePairing'
		) {
			node.parameters.options = { ...node.parameters.options, apiBaseUrl: sandboxUrl };
		}
		if (
			node.type.endsWith('.pilotStatus') &&
			pollInterval &&
			node.parameters.operation === 'waitForConnection'
		) {
			node.parameters.pollInterval = pollInterval;
		}
	}
	return copy;
}

function sandboxCredential(id, name, sandboxUrl, apiKey) {
	return {
		id,
		name,
		type: 'pilotStatusApi',
		data: { keyType: 'apiKey', apiKey, baseUrl: sandboxUrl },
	};
}

module.exports = { EXAMPLES, SANDBOX_CREDENTIAL_ID, loadExample, localCopy, sandboxCredential };
