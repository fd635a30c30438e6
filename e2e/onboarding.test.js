'use strict';
// The onboarding examples as a customer meets them, in a running n8n (`n8n start`; 2.41, or 1.123
// with PILOT_STATUS_N8N=1): the live onboarding form (n8n Form Trigger and Form pages) driven over
// HTTP exactly as its pages' own script drives it, and the remote onboarding link with a wait that
// Pilot Status calls back. The sandbox plays Pilot Status, its hosted pairing page and the
// customer's phone. What a browser makes of the pages (the QR image drawn) is browser.test.js's.
// Run with `npm run test:onboarding` (the first run installs n8n into the cache: a few minutes).
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const env = require('../scripts/lib/n8n-env');
const {
	exampleCredentials,
	formLoginCredential,
	loadExample,
	localCopy,
} = require('../scripts/lib/examples');
const {
	N8nClient,
	outputOf,
	own,
	removeOnExit,
	sleep,
	startN8n,
	waitFor,
} = require('../scripts/lib/n8n-server');
const { spawnSandbox } = require('../sandbox/process');
const { SEED } = require('../sandbox/seed');
const {
	FINISHED,
	answer,
	assertShowsCode,
	basicAuth,
	closeCompletionPage,
	codePage,
	formData,
	heading,
	liveOnboardingForm,
	message,
	nextPage,
	openForm: openLiveForm,
	statusOf,
} = require('./form-client');

const FORM_LOGIN = {
	user: 'onboarding-team',
	password: `Form-${crypto.randomBytes(6).toString('hex')}`,
};
const LIVE = loadExample('live-onboarding');
const REMOTE = loadExample('remote-onboarding');
const REPLY = loadExample('reply-to-messages');
const APPROVAL = loadExample('whatsapp-approval');
const APPROVAL_PATH = 'pilot-status-e2e-order-approval';
/** The node both onboarding examples greet the customer with, once the number is connected. */
const WELCOME = 'Welcome the customer on WhatsApp';
const {
	path: LIVE_PATH,
	answers: { linked: LINKED, newCode: NEW_CODE },
} = liveOnboardingForm(LIVE);
/** A copy of the live example whose code page stops waiting after 3 s instead of 15 min. */
const LIVE_SHORT = { id: 'PsLiveOnboardTst', path: `${LIVE_PATH}-test-left` };
const REMOTE_PATH = 'pilot-status-e2e-deal-won';

let sandbox;
let n8n;
let client;
let userFolder;

const control = (method, route, body) => sandbox.control(method, route, body);

const lastSeq = async () => (await control('GET', '/requests')).at(-1)?.seq ?? 0;
const requestsSince = (seq) => control('GET', `/requests?since=${seq}`);

/** Fills in the live onboarding form (the shipped one or a copy at `path`), logged in. */
const openForm = (company, phone, { path: formPath = LIVE_PATH } = {}) =>
	openLiveForm(`${n8n.url}/form/${formPath}`, [company, phone], { login: FORM_LOGIN });

/** Every output item of every run of a node (`output`: which output). */
const allRuns = (execution, nodeName, output = 0) =>
	(execution.data.resultData.runData[nodeName] ?? []).map((run) => run.data?.main?.[output] ?? []);

// ---------------------------------------------------------------------------------------------

/** A copy of an example started by a webhook at `webhookPath` (a CRM or shop would call it). */
function startedByWebhook(example, webhookPath, webhookId) {
	const copy = localCopy(example, { sandboxUrl: sandbox.url });
	const start = copy.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	Object.assign(start, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId,
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	});
	return copy;
}

const remoteCopy = () =>
	startedByWebhook(REMOTE, REMOTE_PATH, 'e5f0c1d2-0005-4000-9000-000000000001');

/** The sends the sandbox recorded to `phone`. */
const messagesTo = async (phone) =>
	(await control('GET', '/messages')).messages.filter((sent) => sent.to === phone);

/** The texts sent to `phone`: the welcome exactly once, and nothing else. */
async function assertWelcomedOnce(phone, execution, expectedText) {
	const [greeting] = outputOf(execution, WELCOME);
	assert.equal(greeting?.json.status, 'QUEUED', JSON.stringify(greeting?.json));
	const sent = await messagesTo(phone);
	assert.deepEqual(
		sent.map((message) => [message.id, message.text]),
		[[greeting.json.id, expectedText]],
	);
}

/** Starts a copy's webhook trigger and returns the new execution once it is saved as waiting. */
async function startWaiting(workflowId, webhookPath, body) {
	const known = new Set((await client.listExecutions({ workflowId })).map((e) => e.id));
	const started = await fetch(`${n8n.url}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	assert.equal(started.status, 200, await started.text());
	const [summary] = await waitFor('the execution to wait', async () => {
		const found = (await client.listExecutions({ workflowId })).filter(
			(execution) => !known.has(execution.id) && execution.status === 'waiting',
		);
		return found.length ? found : undefined;
	});
	return summary;
}

function liveCopy({ id, path: formPath, formWaitMinutes } = {}) {
	const copy = localCopy(LIVE, { sandboxUrl: sandbox.url, pollInterval: 1 });
	if (id) Object.assign(copy, { id, name: `${copy.name} (code page waits briefly)` });
	const trigger = copy.nodes.find((node) => node.type === 'n8n-nodes-base.formTrigger');
	if (formPath) {
		trigger.parameters.options.path = formPath;
		// Form nodes are told apart by their webhook ids: each copy needs its own.
		for (const node of copy.nodes)
			if (node.webhookId) node.webhookId = node.webhookId.replace(/^d4f0c1d2/, 'd4f0c1d3');
	}
	if (formWaitMinutes !== undefined)
		copy.nodes.find((node) => node.name === 'Show the code').parameters.resumeAmount =
			formWaitMinutes;
	return copy;
}

before(
	async () => {
		await env.ensureN8n();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-onboarding-'));
		const cleanup = removeOnExit(userFolder);
		if (process.env.KEEP_E2E) cleanup.forget();
		await env.installThisPackage(userFolder);
		sandbox = await spawnSandbox({ nodePath: env.NODE_BIN });
		own(sandbox.child);
		await env.importIntoN8n(userFolder, {
			credentials: [...exampleCredentials(sandbox.url, SEED), formLoginCredential(FORM_LOGIN)],
			workflows: [
				liveCopy(),
				liveCopy({ id: LIVE_SHORT.id, path: LIVE_SHORT.path, formWaitMinutes: 0.05 }),
				remoteCopy(),
				localCopy(REPLY, { sandboxUrl: sandbox.url }),
				startedByWebhook(APPROVAL, APPROVAL_PATH, 'f7a0c1d2-0007-4000-9000-000000000001'),
			],
		});
		n8n = await startN8n({ name: 'onboarding', userFolder });
		client = await new N8nClient(n8n.url).signIn();
		for (const id of [LIVE.id, LIVE_SHORT.id, REMOTE.id]) await client.publish(id);
	},
	{ timeout: 20 * 60_000 },
);

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
	if (userFolder && !process.env.KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
	else if (userFolder) env.say(`n8n data and log kept in ${userFolder}`);
});

describe('live onboarding: the customer is with you (n8n Form pages)', () => {
	/** Started first, checked last: a customer who walks away from the code page. */
	let abandoned;

	before(async () => {
		await control('POST', '/reset');
		abandoned = await openForm('Cliente que saiu', '+55 11 95555-0000', {
			path: LIVE_SHORT.path,
		});
	});

	test('the form asks for a login before anything else', async () => {
		const anonymous = await fetch(`${n8n.url}/form/${LIVE_PATH}`);
		await anonymous.arrayBuffer();
		assert.equal(anonymous.status, 401);
		const wrong = await fetch(`${n8n.url}/form/${LIVE_PATH}`, {
			method: 'POST',
			headers: { authorization: basicAuth({ ...FORM_LOGIN, password: 'wrong' }) },
			body: formData({ 'field-0': 'Intruder', 'field-1': '+55 11 95555-9999' }),
		});
		await wrong.arrayBuffer();
		assert.equal(wrong.status, 401);
		const page = await fetch(`${n8n.url}/form/${LIVE_PATH}`, {
			headers: { authorization: basicAuth(FORM_LOGIN) },
		});
		const html = await page.text();
		assert.equal(page.status, 200);
		// The example ships its customer-facing texts in Brazilian Portuguese.
		assert.match(html, /Conecte seu WhatsApp/);
		assert.match(html, /Nome da empresa/);
		assert.match(html, /Número do WhatsApp/);
		assert.match(html, /Mostrar meu código/);
		const state = await control('GET', '/state');
		assert.ok(!state.numbers.some((number) => number.name === 'Intruder'));
	});

	test('QR code and pairing code at once; a fresh code on request; after the scan, the confirmation', async () => {
		const started = Date.now();
		let page = await openForm('Padaria Pão Quente', '+55 11 95555-4444');
		const firstShownMs = Date.now() - started;
		let execution = await client.getExecution(page.executionId);
		assert.equal(execution.status, 'waiting');
		const [created] = outputOf(execution, 'Create WhatsApp number');
		assert.match(created.json.id, /^num_/);
		assert.equal(created.json.number, '+5511955554444');
		const first = assertShowsCode(page.html, created.json);
		assert.match(page.html, /no celular com o número \+55 11 95555-4444, vá em/);
		// The question and answers come from "Customer and texts", resolved on the page.
		for (const text of ['Deu certo?', LINKED, NEW_CODE]) assert.ok(page.html.includes(text), text);
		assert.equal(LINKED, 'Sim: o WhatsApp mostra o novo aparelho conectado');
		assert.ok(!page.html.includes("$('Customer and texts')"), 'an expression left unresolved');
		// The node's binary output is there too: the QR code as a PNG file.
		assert.equal(created.binary.data.fileName, 'qr-code-5511955554444.png');
		// n8n 2.x keeps binary data in its store (an id); 1.x by default inline, as base64.
		const { id: fileId, data: inline } = created.binary.data;
		const bytes = fileId ? (await client.binaryData(fileId)).bytes : Buffer.from(inline, 'base64');
		assert.equal(bytes.toString('base64'), first.dataUri.split(',')[1]);

		// "Show me a new code": Number → Connect, and the page shows what it returned.
		let since = await lastSeq();
		page = await nextPage(await answer(page, NEW_CODE));
		execution = await client.getExecution(page.executionId);
		const [fresh] = outputOf(execution, 'Get a fresh code');
		const second = assertShowsCode(page.html, fresh.json);
		assert.notEqual(second.pairingCode, first.pairingCode);
		assert.notEqual(second.dataUri, first.dataUri);
		const connects = (await requestsSince(since)).filter(
			(request) => request.path === `/v1/numbers/${created.json.id}/connect`,
		);
		assert.equal(connects.length, 1);

		// "Yes, linked" while the code had in fact expired (the number falls back to CLOSED):
		// the wait stops at once and the page shows a fresh code.
		since = await lastSeq();
		const pending = answer(page, LINKED);
		await waitFor('the first status check', async () =>
			(await requestsSince(since)).some((request) => request.path.endsWith('/status')),
		);
		await control('POST', `/numbers/${created.json.id}/disconnect`);
		page = await nextPage(await pending);
		const third = codePage(page.html);
		assert.ok(third.png && third.pairingCode);
		assert.ok(![first.pairingCode, second.pairingCode].includes(third.pairingCode));

		// The customer scans; "Yes, linked": the wait sees OPEN and the customer sees it.
		await control('POST', `/numbers/${created.json.id}/scan`);
		page = await nextPage(await answer(page, LINKED));
		assert.equal(heading(page.html), 'WhatsApp conectado');
		assert.equal(
			message(page.html),
			'O WhatsApp de Padaria Pão Quente (+55 11 95555-4444) está conectado. Você já pode fechar esta página.',
		);
		assert.equal(await closeCompletionPage(page), 'success');

		execution = await client.getExecution(page.executionId);
		assert.equal(execution.status, 'success');
		assert.equal(execution.mode, 'webhook');
		const waits = allRuns(execution, 'Wait for the link').flat();
		assert.deepEqual(
			waits.map((item) => [item.json.connected, item.json.reason]),
			[
				[false, 'disconnected'],
				[true, null],
			],
		);
		assert.equal(allRuns(execution, 'Get a fresh code').flat().length, 2);
		assert.equal(outputOf(execution, 'Tell the customer: connected').length, 1);
		// Once connected, the agency's own number greets the customer, once, in the example's text.
		await assertWelcomedOnce(
			'+5511955554444',
			execution,
			'Olá, Padaria Pão Quente! Seu WhatsApp está conectado. Qualquer dúvida, é só responder esta mensagem.',
		);
		env.say(`Live onboarding: first code page shown ${firstShownMs} ms after the form was sent.`);
	});

	test('a customer who asks for a new code after all, once linked, sees the confirmation', async () => {
		let page = await openForm('Oficina do Zé', '+55 21 97777-3333');
		const [created] = outputOf(
			await client.getExecution(page.executionId),
			'Create WhatsApp number',
		);
		await control('POST', `/numbers/${created.json.id}/scan`);
		// Connect answers 409 (already connected); its error output goes to the wait, which sees OPEN.
		page = await nextPage(await answer(page, NEW_CODE));
		assert.equal(heading(page.html), 'WhatsApp conectado');
		assert.equal(await closeCompletionPage(page), 'success');
		const execution = await client.getExecution(page.executionId);
		const [failed] = outputOf(execution, 'Get a fresh code', 1);
		assert.match(failed.json.error, /already connected \(409\)/);
		assert.equal(outputOf(execution, 'Wait for the link')[0].json.connected, true);
	});

	test('after five fresh codes the customer is asked to try later, and the run ends', async () => {
		let page = await openForm('Mercado Bom Preço', '+55 31 98888-2222');
		const codes = new Set([codePage(page.html).pairingCode]);
		for (let fresh = 1; fresh <= 5; fresh++) {
			page = await nextPage(await answer(page, NEW_CODE));
			codes.add(codePage(page.html).pairingCode);
		}
		assert.equal(codes.size, 6);
		page = await nextPage(await answer(page, NEW_CODE));
		assert.equal(heading(page.html), 'Vamos tentar de novo mais tarde');
		assert.equal(await closeCompletionPage(page), 'success');
		const execution = await client.getExecution(page.executionId);
		assert.equal(allRuns(execution, 'Get a fresh code').length, 5);
	});

	test('a customer who walks away: the code page stops waiting at its time limit, the run ends', async () => {
		// The copy's code page waits 3 s; n8n looks at waiting executions once a minute.
		const status = await statusOf(abandoned.url, FINISHED, 150_000);
		assert.equal(status, 'success');
		const execution = await client.getExecution(abandoned.executionId);
		assert.equal(outputOf(execution, 'Customer left').length, 1);
		assert.equal(allRuns(execution, 'Get a fresh code').length, 0);
		assert.equal(allRuns(execution, 'Wait for the link').length, 0);
	});
});

describe('remote onboarding: the link survives the delay, the wait holds nothing', () => {
	test('link emailed; the execution waits, running nothing; the customer opens the link later and scans; the sales team hears', async () => {
		await control('POST', '/reset');
		const known = new Set(
			(await client.listExecutions({ workflowId: REMOTE.id })).map((e) => e.id),
		);
		const started = await fetch(`${n8n.url}/webhook/${REMOTE_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ deal: 'won' }),
		});
		assert.equal(started.status, 200, await started.text());
		const [summary] = await waitFor('the execution to wait', async () => {
			const found = (await client.listExecutions({ workflowId: REMOTE.id })).filter(
				(execution) => !known.has(execution.id) && execution.status === 'waiting',
			);
			return found.length ? found : undefined;
		});
		let execution = await client.getExecution(summary.id);
		const [link] = outputOf(execution, 'Create pairing link');
		assert.match(link.json.remotePairingUrl, new RegExp(`^${sandbox.url}/connect/rp_`));
		// The email step (a No Operation in this copy) got the link: that is what the customer keeps.
		assert.equal(
			outputOf(execution, 'Email the link')[0].json.remotePairingUrl,
			link.json.remotePairingUrl,
		);

		// Pilot Status will call this execution back: one temporary webhook for the number.
		let state = await control('GET', '/state');
		assert.equal(state.webhooks.length, 1);
		const [webhook] = state.webhooks;
		assert.deepEqual(webhook.whatsappNumberIds, [link.json.numberId]);
		assert.ok(webhook.url.startsWith(`${n8n.url}/webhook-waiting/${summary.id}`), webhook.url);

		// While the customer takes their time, nothing runs: no status checks, still waiting.
		const since = await lastSeq();
		await sleep(3000);
		assert.deepEqual(await requestsSince(since), []);
		assert.equal((await client.getExecution(summary.id)).status, 'waiting');

		// Later the customer opens the link: the hosted page makes a fresh code there and then.
		const landing = await fetch(link.json.remotePairingUrl);
		assert.equal(landing.status, 200);
		assert.match(await landing.text(), /Show my QR code/);
		const shown = await (await fetch(link.json.remotePairingUrl, { method: 'POST' })).text();
		assert.match(shown, /<img alt="QR code" width="264" height="264" src="data:image\/png;base64,/);
		assert.match(shown, /pairing code <code>[A-Z0-9]{4}-[A-Z0-9]{4}<\/code>/);
		// ...and scans it: Pilot Status sends number.connected to the execution's resume URL.
		const scanned = await fetch(`${link.json.remotePairingUrl}/scan`, { method: 'POST' });
		assert.match(await scanned.text(), /Connected/);

		execution = await client.waitForExecution(summary.id, ['success', 'error', 'crashed']);
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
		const [waited] = outputOf(execution, 'Wait for the customer');
		assert.equal(waited.json.connected, true);
		assert.equal(waited.json.numberId, link.json.numberId);
		assert.equal(outputOf(execution, 'Tell the sales team').length, 1);
		assert.equal(outputOf(execution, 'Ask the sales team to follow up').length, 0);
		await assertWelcomedOnce(
			'+5521977773333',
			execution,
			'Olá! Seu WhatsApp está conectado. Qualquer dúvida, é só responder esta mensagem.',
		);
		// The resume deletes the temporary webhook right after answering Pilot Status.
		await waitFor(
			'the temporary webhook gone',
			async () => (await control('GET', '/state')).webhooks.length === 0,
			{ timeoutMs: 10_000 },
		);
	});
});

describe('the messaging examples: a reply to each inbound message, an approval over WhatsApp', () => {
	const [suporte] = SEED.numbers;

	test('reply to inbound messages: published, a customer writes, one reply goes to the sender; the reply starts nothing', async () => {
		await control('POST', '/reset');
		await control('PUT', '/settings', { echoOwnMessages: true });
		await client.publish(REPLY.id);
		const { webhookId } = REPLY.nodes.find((node) => node.type.endsWith('.pilotStatusTrigger'));
		const listening = async () =>
			(await control('GET', '/state')).webhooks.find(
				(webhook) =>
					webhook.url.includes(webhookId) && webhook.whatsappNumberIds.includes(suporte.id),
			);
		await waitFor('the trigger’s webhook', listening, { timeoutMs: 30_000 });
		const CUSTOMER = '+5511955554502';
		const injected = await control('POST', `/numbers/${suporte.id}/inbound`, {
			from: CUSTOMER,
			text: 'Oi, vocês abrem amanhã?',
		});
		assert.deepEqual(
			injected.deliveries.map((delivery) => delivery.statusCode),
			[200],
			JSON.stringify(injected.deliveries),
		);
		const [summary] = await waitFor(
			'the reply execution',
			async () => {
				const found = await client.listExecutions({ workflowId: REPLY.id });
				return found.length ? found : undefined;
			},
			{ timeoutMs: 60_000 },
		);
		const execution = await client.waitForExecution(summary.id, ['success', 'error', 'crashed']);
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
		const [reply] = outputOf(execution, 'Reply to the sender');
		assert.equal(reply.json.status, 'QUEUED');
		const replyText = REPLY.nodes.find((node) => node.name === 'Reply text').parameters.assignments
			.assignments[0].value;
		assert.deepEqual(
			(await messagesTo(CUSTOMER)).map((message) => [message.id, message.text]),
			[[reply.json.id, replyText]],
		);
		// The reply's echo (fromMe) reaches the trigger and is dropped: Ignore Own Messages, no loop.
		await waitFor('the echo of the reply', async () => (await listening())?.deliveries >= 2, {
			timeoutMs: 10_000,
		});
		await sleep(1000);
		assert.equal((await client.listExecutions({ workflowId: REPLY.id })).length, 1);
		await client.unpublish(REPLY.id);
	});

	test('approval over WhatsApp: the execution waits; the customer answers "1"; it resumes on the approved branch', async () => {
		const CUSTOMER = '+5521977773333';
		// The remote onboarding greeted this phone: start from the seed, with no sends recorded.
		await control('POST', '/reset');
		await client.publish(APPROVAL.id);
		// The scripted customer answers a few seconds after the question reaches them.
		await control('POST', `/customers/${encodeURIComponent(CUSTOMER)}`, {
			text: '1',
			afterMs: 3000,
		});
		const summary = await startWaiting(APPROVAL.id, APPROVAL_PATH, {});
		const [question, ...more] = await messagesTo(CUSTOMER);
		assert.deepEqual(more, [], 'one message');
		assert.equal(
			question.text,
			'Podemos confirmar o seu pedido #1042?\n\nResponda 1 para aprovar ou 2 para recusar.',
		);
		const execution = await client.waitForExecution(summary.id, ['success', 'error', 'crashed'], {
			timeoutMs: 60_000,
		});
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
		const [answer] = outputOf(execution, 'Ask the customer');
		assert.equal(answer.json.approved, true);
		assert.equal(answer.json.from, CUSTOMER);
		assert.equal(answer.json.messageId, question.id);
		assert.match(outputOf(execution, 'Confirm the order')[0].json.nextStep, /^Approved by/);
		assert.equal(outputOf(execution, 'Hold the order').length, 0);
		assert.equal((await messagesTo(CUSTOMER)).length, 1, 'still one message');
	});
});
