'use strict';
// The shipped example workflows, and the copies `npm start` and the e2e suites import. A copy may
// swap nodes that need the outside world (email) and point public calls at the sandbox; the
// shipped files stay as a user would import them.
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');
const EXAMPLES = [
	'live-onboarding',
	'remote-onboarding',
	'key-rotation',
	'reply-to-messages',
	'whatsapp-approval',
];
const SANDBOX_CREDENTIAL_ID = 'PsSandboxCred001';
/**
 * The credential the examples send messages with: the number-scoped key of the agency's own number
 * (the seed's Suporte), the documented way to send whatever key reading the service plays.
 */
const SENDING_CREDENTIAL_ID = 'PsSuporteKey0001';
const SENDING_CREDENTIAL_NAME = "Pilot Status (Suporte's key)";
/** The Basic Auth credential the live onboarding form asks for (a placeholder the user replaces). */
const FORM_LOGIN_CREDENTIAL_ID = 'YourFormLogin001';

function loadExample(name) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
}

/**
 * `outsideWorld`: 'disable' keeps email nodes but disabled (the demo: data flows through, the user
 * can enable them after adding SMTP); 'noOp' swaps them for No Operation nodes of the same name (e2e).
 * `formLogin`: 'keep' leaves a form's login as shipped; 'none' opens the form without one (the demo,
 * which listens on 127.0.0.1 only). By default the demo drops it and the e2e copies keep it.
 * `resumeWhen`: sets Number → Wait for Connection's Resume When ('polling' where no running n8n
 * can be called back, as under `n8n execute`).
 * `pollInterval`: seconds between status checks of every polling wait (tests go faster).
 */
function localCopy(
	workflow,
	{
		sandboxUrl,
		outsideWorld = 'noOp',
		pollInterval,
		manualStart = false,
		formLogin = outsideWorld === 'disable' ? 'none' : 'keep',
		resumeWhen,
	} = {},
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
		if (formLogin === 'none' && node.type === 'n8n-nodes-base.formTrigger') {
			node.parameters.authentication = 'none';
			delete node.credentials;
		}
		if (!node.type.endsWith('.pilotStatus')) continue;
		const { parameters } = node;
		if (sandboxUrl && parameters.resource === 'remotePairing') {
			parameters.options = { ...parameters.options, apiBaseUrl: sandboxUrl };
		}
		if (parameters.operation !== 'waitForConnection') continue;
		if (resumeWhen && parameters.resource === 'number') parameters.resumeWhen = resumeWhen;
		if (pollInterval) parameters.pollInterval = pollInterval;
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

/** Both Pilot Status credentials the examples refer to, on the sandbox's seed keys. */
function exampleCredentials(sandboxUrl, seed) {
	return [
		sandboxCredential(
			SANDBOX_CREDENTIAL_ID,
			'Pilot Status account',
			sandboxUrl,
			seed.tenantKey.value,
		),
		sandboxCredential(
			SENDING_CREDENTIAL_ID,
			SENDING_CREDENTIAL_NAME,
			sandboxUrl,
			seed.numbers[0].key.value,
		),
	];
}

/** A Basic Auth credential with the id the live onboarding example refers to. */
function formLoginCredential({ user, password }) {
	return {
		id: FORM_LOGIN_CREDENTIAL_ID,
		name: 'Onboarding form login',
		type: 'httpBasicAuth',
		data: { user, password },
	};
}

module.exports = {
	EXAMPLES,
	FORM_LOGIN_CREDENTIAL_ID,
	SANDBOX_CREDENTIAL_ID,
	SENDING_CREDENTIAL_ID,
	exampleCredentials,
	formLoginCredential,
	loadExample,
	localCopy,
	sandboxCredential,
};
