'use strict';
// A real browser on the n8n editor that `npm start` serves: the node panel finds Pilot Status, the
// live onboarding example runs from the editor's Execute button, its form pages show the QR code
// as an image (drawn by the page's CSS) and the pairing code, a fresh code on request, then the
// confirmation; and the QR code shows as an image in the node's binary output. Then a newcomer's
// path (issue 20): a credential with a wrong Base URL, Create with a local number, Wait for
// Connection with its defaults after Create, and Settings → Community nodes.
// Needs Chromium (Debian: apt-get install chromium). Run with `npm run test:browser`.
// SCREENSHOT_TO=docs/images refreshes the README's screenshots. PILOT_STATUS_BROWSER_PORTS=n8n,sandbox
// (e.g. 55789,55521) runs it beside another run of this suite.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { chromium } = require('playwright-core');

const { startDemo } = require('../scripts/lib/demo');
const { SANDBOX_CREDENTIAL_ID } = require('../scripts/lib/examples');
const { SEED } = require('../sandbox/seed');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The flags a root-run headless Chromium needs on a machine without internet access.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const SCREENSHOT_DIR = process.env.SCREENSHOT_TO ?? path.join(__dirname, '..', 'test-results');
const [N8N_PORT, SANDBOX_PORT] = (process.env.PILOT_STATUS_BROWSER_PORTS ?? '55689,55421')
	.split(',')
	.map(Number);
const LIVE_ONBOARDING = 'PsLiveOnboard001';

let demo;
let browser;
let page;
let userFolder;

before(
	async () => {
		assert.ok(
			fs.existsSync(CHROMIUM),
			`Chromium not found at ${CHROMIUM}: install Debian's "chromium" package or set CHROMIUM_PATH`,
		);
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-browser-'));
		demo = await startDemo({
			userFolder,
			port: N8N_PORT,
			sandboxPort: SANDBOX_PORT,
			n8nOutput: 'ignore',
		});
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		await page.goto(`${demo.baseUrl}/signin`);
		await page.fill('input[name=emailOrLdapLoginId]', demo.owner.email);
		await page.fill('input[name=password]', demo.owner.password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitForURL(/home|workflows|projects/);
	},
	{ timeout: 20 * 60_000 },
);

after(async () => {
	await browser?.close();
	await demo?.stop();
	if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
});

/** Local addresses that listen on `port` (Linux /proc/net/tcp{,6}). */
function listeningAddresses(port) {
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	return ['/proc/net/tcp', '/proc/net/tcp6']
		.filter((file) => fs.existsSync(file))
		.flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').slice(1))
		.map((line) => line.trim().split(/\s+/))
		.filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
		.map((fields) => fields[1].split(':')[0]);
}

test('npm start’s n8n listens on 127.0.0.1 only, with a random owner password kept beside its data', () => {
	assert.equal(demo.baseUrl, `http://127.0.0.1:${N8N_PORT}`);
	// 0100007F is 127.0.0.1 as the kernel writes it; 0.0.0.0 or :: would mean every interface.
	assert.deepEqual([...new Set(listeningAddresses(N8N_PORT))], ['0100007F']);
	assert.notEqual(demo.owner.password, 'Pilot-Status-demo-1');
	assert.equal(fs.readFileSync(demo.owner.file, 'utf8').trim(), demo.owner.password);
	assert.equal(fs.statSync(demo.owner.file).mode & 0o077, 0);
});

test('the node panel offers the Pilot Status node', async () => {
	await page.goto(`${demo.baseUrl}/workflow/${LIVE_ONBOARDING}`);
	await page.waitForSelector('[data-test-id=canvas-node]');
	await page.click('[data-test-id=node-creator-plus-button]');
	await page.keyboard.type('Pilot Status');
	const found = page
		.locator('[data-test-id=node-creator-item-name]')
		.getByText('Pilot Status', { exact: true });
	await found.waitFor({ timeout: 30_000 });
	assert.equal(await found.count(), 1);
	await page.keyboard.press('Escape');
});

/**
 * The QR code as the customer sees it: the <img> the page's CSS draws it into, its size on screen,
 * and the share of dark pixels in a screenshot of it (a QR code is roughly half dark; an empty or
 * broken image is not).
 */
async function qrCodeOnScreen(form) {
	const image = form.locator('img[alt="QR code do WhatsApp"]');
	await image.waitFor();
	const box = await image.boundingBox();
	const shot = (await image.screenshot()).toString('base64');
	const dark = await form.evaluate(async (base64) => {
		const picture = new Image();
		picture.src = `data:image/png;base64,${base64}`;
		await picture.decode();
		const canvas = document.createElement('canvas');
		canvas.width = picture.width;
		canvas.height = picture.height;
		const context = canvas.getContext('2d');
		context.drawImage(picture, 0, 0);
		const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
		let count = 0;
		for (let index = 0; index < pixels.length; index += 4)
			if (pixels[index] < 80 && pixels[index + 1] < 80 && pixels[index + 2] < 80) count++;
		return count / (pixels.length / 4);
	}, shot);
	const pairingCode = await form
		.locator('b', { hasText: /^[A-Z0-9]{4}-[A-Z0-9]{4}$/ })
		.textContent();
	return { width: Math.round(box.width), height: Math.round(box.height), dark, pairingCode };
}

function assertQrCodeShown(shown) {
	assert.deepEqual([shown.width, shown.height], [264, 264]);
	assert.ok(shown.dark > 0.25 && shown.dark < 0.75, `dark share ${shown.dark}`);
	assert.match(shown.pairingCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
}

test('live onboarding from the Execute button: the form shows the QR code and pairing code, a fresh code, then the confirmation', async () => {
	await page.goto(`${demo.baseUrl}/workflow/${LIVE_ONBOARDING}`);
	await page.waitForSelector('[data-test-id=canvas-node]');
	// A workflow that starts with a form: n8n opens its test form in a new window.
	const [form] = await Promise.all([
		page.waitForEvent('popup'),
		page.click('[data-test-id=execute-workflow-button]'),
	]);
	await form.setViewportSize({ width: 900, height: 900 });
	await form.fill('#field-0', 'Padaria Pão Quente');
	await form.fill('#field-1', '+55 11 95555-4444');
	await form.click('#submit-btn');
	await form.waitForURL(/form-waiting/, { timeout: 60_000 });

	const first = await qrCodeOnScreen(form);
	assertQrCodeShown(first);
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	await form.screenshot({ path: path.join(SCREENSHOT_DIR, 'live-onboarding-form.png') });

	await form.getByText('Não: mostre um novo código', { exact: true }).click();
	await form.click('#submit-btn');
	await form.waitForFunction(
		(code) =>
			!document.body.innerText.includes(code) &&
			/[A-Z0-9]{4}-[A-Z0-9]{4}/.test(document.body.innerText),
		first.pairingCode,
		{ timeout: 60_000 },
	);
	const second = await qrCodeOnScreen(form);
	assertQrCodeShown(second);
	assert.notEqual(second.pairingCode, first.pairingCode);

	// The sandbox plays the customer's phone: the number connects on the wait's 3rd status check.
	await form.getByText('Sim: o WhatsApp mostra o novo aparelho conectado', { exact: true }).click();
	await form.click('#submit-btn');
	await form.getByText('WhatsApp conectado').waitFor({ timeout: 60_000 });
	await page.getByText('Workflow executed successfully').waitFor({ timeout: 60_000 });
	await form.close();
});

test('the QR code is also a PNG file in Create WhatsApp number’s output, shown as an image', async () => {
	await page
		.locator('[data-test-id=canvas-node]', { hasText: 'Create WhatsApp number' })
		.dblclick();
	await page.click('[data-test-id=radio-button-binary]');
	await page.getByText('qr-code-5511955554444.png').waitFor();
	await page.click('[data-test-id=ndv-view-binary-data]');
	const image = page.locator('img[src*="/rest/binary-data"]');
	await image.waitFor();
	await page.waitForFunction(
		(element) => element.complete && element.naturalWidth > 0,
		await image.elementHandle(),
	);
	assert.equal(await image.evaluate((element) => element.naturalWidth), 264);

	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'onboarding-qr-code.png') });
	await page.keyboard.press('Escape');
});

test('the credential dialog’s Test gives the three verdicts', async () => {
	const verdicts = await page.evaluate(
		async ({ id, baseUrl, keys }) => {
			const results = [];
			for (const apiKey of keys) {
				const response = await fetch('/rest/credentials/test', {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'browser-id': localStorage.getItem('n8n-browserId'),
					},
					body: JSON.stringify({
						credentials: {
							id,
							name: 'Pilot Status account',
							type: 'pilotStatusApi',
							data: { keyType: 'apiKey', apiKey, baseUrl },
						},
					}),
				});
				results.push((await response.json()).data);
			}
			return results;
		},
		{
			id: SANDBOX_CREDENTIAL_ID,
			baseUrl: demo.sandboxUrl,
			keys: [SEED.tenantKey.value, 'ps_example_wrong_key', SEED.numbers[0].key.value],
		},
	);
	assert.deepEqual(verdicts[0], { status: 'OK', message: 'Connection successful!' });
	assert.equal(verdicts[1].status, 'Error');
	assert.match(verdicts[1].message, /did not accept this key \(401\)/);
	assert.match(verdicts[2].message, /number-scoped key\b.*Profile → API tab/);
});

// --- A newcomer's path (issue 20) ------------------------------------------------------------------

const MANUAL_TRIGGER = 'When clicking ‘Execute workflow’';
const SANDBOX_CREDENTIAL = {
	pilotStatusApi: { id: SANDBOX_CREDENTIAL_ID, name: 'Pilot Status account' },
};

function screenshotPath(name) {
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	return path.join(SCREENSHOT_DIR, name);
}

/** A call to the editor's REST API as the signed-in owner (the editor's own session cookie). */
async function editorApi(method, url, body) {
	return page.evaluate(
		async ({ method, url, body }) => {
			const response = await fetch(url, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': localStorage.getItem('n8n-browserId'),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const answer = await response.json();
			if (!response.ok)
				throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(answer)}`);
			return answer.data;
		},
		{ method, url, body },
	);
}

/** A workflow Manual Trigger → the given Pilot Status nodes in a row, saved as a user's would be. */
async function saveChain(name, steps) {
	const nodes = [
		{
			id: `${name}-0`,
			name: MANUAL_TRIGGER,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...steps.map((step, index) => ({
			id: `${name}-${index + 1}`,
			type: 'n8n-nodes-pilot-status.pilotStatus',
			typeVersion: 1,
			position: [240 * (index + 1), 0],
			credentials: SANDBOX_CREDENTIAL,
			...step,
		})),
	];
	const connections = Object.fromEntries(
		nodes
			.slice(0, -1)
			.map((node, index) => [
				node.name,
				{ main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] },
			]),
	);
	const saved = await editorApi('POST', '/rest/workflows', {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	});
	return saved.id;
}

/** Opens a saved workflow in the editor and the given node's panel (NDV). */
async function openNode(workflowId, nodeName) {
	await page.goto(`${demo.baseUrl}/workflow/${workflowId}`);
	await page.locator('[data-test-id=canvas-node]', { hasText: nodeName }).waitFor();
	await page.locator('[data-test-id=canvas-node]', { hasText: nodeName }).dblclick();
	const ndv = page.locator('[data-test-id=ndv]');
	await ndv.waitFor();
	return ndv;
}

/**
 * The output panel's JSON view as text, whitespace collapsed (the view spreads it over many lines),
 * once the whole list is drawn (the view draws long items a part at a time).
 */
async function outputJsonText(ndv) {
	const output = ndv.locator('[data-test-id=output-panel]');
	await output.locator('[data-test-id=radio-button-json]').click();
	const data = output.locator('[data-test-id=ndv-data-container]');
	await data.waitFor();
	await page.waitForFunction(
		(element) => /\}\s*\]\s*$/.test(element.innerText),
		await data.elementHandle(),
		{ timeout: 30_000 },
	);
	return (await data.innerText()).replace(/\s+/g, ' ');
}

/** What a web server that is not Pilot Status answers: 404 with an HTML page, to every path. */
async function startNotPilotStatus() {
	const paths = [];
	const server = http.createServer((request, response) => {
		paths.push(request.url);
		response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
		response.end('<!doctype html><html><body><h1>Not Found</h1></body></html>');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		paths,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

test('newcomer: a credential with a wrong Base URL fails its Test, and a node using it names the Base URL', async () => {
	const wrongServer = await startNotPilotStatus();
	try {
		// The credential made as a newcomer makes it: Create credential → Pilot Status API → Save.
		await page.goto(`${demo.baseUrl}/home/credentials`);
		await page.click('[data-test-id=add-resource-credential]');
		await page.click('[data-test-id=new-credential-type-select]');
		await page.keyboard.type('Pilot Status');
		await page
			.locator('[data-test-id=new-credential-type-select-option]', { hasText: 'Pilot Status API' })
			.click();
		await page.click('[data-test-id=new-credential-type-button]');
		const dialog = page.locator('[data-test-id=editCredential-modal]');
		await dialog.waitFor();
		const credentialName = 'Pilot Status (wrong Base URL)';
		await dialog.locator('[data-test-id=credential-name]').click();
		await dialog.locator('[data-test-id=credential-name] input').fill(credentialName);
		await page.keyboard.press('Enter');
		await dialog
			.locator('[data-test-id=parameter-input-apiKey] input')
			.fill('ps_example_newcomer_key_0001');
		await dialog.locator('[data-test-id=parameter-input-baseUrl] input').fill(wrongServer.url);
		// Saving runs the credential's Test; its verdict is behind "More details".
		await dialog.locator('[data-test-id=credential-save-button]').click();
		const moreDetails = dialog.getByText('More details');
		const verdict = dialog.getByText('No Pilot Status API answered at this Base URL');
		await moreDetails.or(verdict).first().waitFor({ timeout: 30_000 });
		if (await moreDetails.isVisible()) await moreDetails.click();
		await verdict.waitFor();
		assert.match(await verdict.innerText(), /\(404\)\. Use https:\/\/pilotstatus\.com\.br unless/);
		assert.ok(wrongServer.paths.includes('/v1/numbers'), `asked: ${wrongServer.paths.join(', ')}`);
		await page.screenshot({ path: screenshotPath('newcomer-credential-wrong-base-url.png') });
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });

		const credentials = await editorApi('GET', '/rest/credentials');
		const credential = credentials.find((candidate) => candidate.name === credentialName);
		assert.ok(credential, 'the credential was saved');
		const workflowId = await saveChain('Newcomer: wrong Base URL', [
			{
				name: 'List numbers',
				parameters: { resource: 'number', operation: 'getAll' },
				credentials: { pilotStatusApi: { id: credential.id, name: credentialName } },
			},
		]);
		const ndv = await openNode(workflowId, 'List numbers');
		const asked = wrongServer.paths.length;
		await ndv.locator('[data-test-id=node-execute-button]').click();
		const error = ndv.locator('[data-test-id=output-panel] [data-test-id=node-error-message]');
		await error.waitFor({ timeout: 60_000 });
		assert.match(
			await error.innerText(),
			/^Nothing that answers like Pilot Status is at this Base URL: the answer was an HTML page/,
		);
		assert.match(
			await ndv.locator('[data-test-id=node-error-description]').innerText(),
			/Check the Base URL in the Pilot Status credential \(normally https:\/\/pilotstatus\.com\.br\)/,
		);
		assert.equal(wrongServer.paths.length, asked + 1, 'one request, to the wrong Base URL');
		await page.screenshot({ path: screenshotPath('newcomer-node-wrong-base-url.png') });
		await page.keyboard.press('Escape');
	} finally {
		await wrongServer.close();
	}
});

test('newcomer: Number → Create with a Brazilian local number shows its country and hint, and creates +5511955557777', async () => {
	const workflowId = await saveChain('Newcomer: create with a local number', [
		{
			name: 'Create WhatsApp number',
			parameters: { resource: 'number', operation: 'create', name: 'Padaria Pão Quente' },
		},
	]);
	const ndv = await openNode(workflowId, 'Create WhatsApp number');
	assert.equal(
		await ndv.locator('[data-test-id=parameter-input-phoneCountry] input').inputValue(),
		'Brazil (+55)',
	);
	await ndv
		.getByText(
			'Without + it is read as a local number of the country below: 11 95555-7777 becomes +55 11 95555-7777.',
		)
		.waitFor();
	// fill() types the number in one input event; the field's "required" mark goes once n8n took it.
	const phoneItem = ndv.locator('[data-test-id=parameter-item]', {
		has: page.locator('[data-test-id=parameter-input-phoneNumber]'),
	});
	await phoneItem.locator('[data-test-id=parameter-issues]').waitFor();
	await ndv.locator('[data-test-id=parameter-input-phoneNumber] input').fill('11 95555-7777');
	await phoneItem.locator('[data-test-id=parameter-issues]').waitFor({ state: 'detached' });

	await ndv.locator('[data-test-id=node-execute-button]').click();
	await ndv
		.locator('[data-test-id=output-panel] [data-test-id=node-run-status-success]')
		.waitFor({ timeout: 60_000 });
	const output = await outputJsonText(ndv);
	assert.match(output, /"number": "\+5511955557777"/);
	assert.match(output, /"name": "Padaria Pão Quente"/);
	assert.match(
		output,
		/"manualRunNotice": "This manual run provisioned a number in your Pilot Status account\. Pin this output \(P\) while you build/,
	);
	const sandbox = await (await fetch(`${demo.sandboxUrl}/__sandbox/state`)).json();
	assert.ok(sandbox.numbers.some((number) => number.number === '5511955557777'));
	await page.screenshot({ path: screenshotPath('newcomer-create-local-number.png') });
	await page.keyboard.press('Escape');
});

test('newcomer: Create → Wait for Connection with its defaults waits for the number Create made', async () => {
	const workflowId = await saveChain('Newcomer: create, then wait', [
		{
			name: 'Create WhatsApp number',
			parameters: {
				resource: 'number',
				operation: 'create',
				name: 'Mercado Bom Preço',
				phoneNumber: '11 95555-8888',
			},
		},
		// Only the operation: the Number field and the waiting settings stay as the node offers them.
		{
			name: 'Wait for Connection',
			parameters: { resource: 'number', operation: 'waitForConnection' },
		},
	]);
	await page.goto(`${demo.baseUrl}/workflow/${workflowId}`);
	await page.locator('[data-test-id=canvas-node]', { hasText: 'Wait for Connection' }).waitFor();
	// The sandbox plays the customer: the QR code counts as scanned on the 3rd status check, 10 s in
	// at the default 5 s interval.
	await page.click('[data-test-id=execute-workflow-button]');
	await page.getByText('Workflow executed successfully').waitFor({ timeout: 120_000 });

	const sandbox = await (await fetch(`${demo.sandboxUrl}/__sandbox/state`)).json();
	const created = sandbox.numbers.find((number) => number.number === '5511955558888');
	assert.equal(created.state, 'OPEN');
	await page.locator('[data-test-id=canvas-node]', { hasText: 'Wait for Connection' }).dblclick();
	const ndv = page.locator('[data-test-id=ndv]');
	await ndv.waitFor();
	// The Number field stays empty (no expression to evaluate per item); its hint says an empty field
	// takes the previous step's number.
	assert.doesNotMatch(
		await ndv.locator('[data-test-id=parameter-input-numberId]').innerText(),
		/\{\{/,
	);
	assert.match(await ndv.innerText(), /Empty: the previous step’s number/);
	assert.equal(
		await ndv.locator('[data-test-id=parameter-input-pollInterval] input').inputValue(),
		'5',
	);
	const output = await outputJsonText(ndv);
	assert.match(output, new RegExp(`"numberId": "${created.id}", "connected": true`));
	assert.match(output, /"state": "OPEN"/);
	await page.screenshot({ path: screenshotPath('newcomer-wait-for-connection.png') });
	await page.keyboard.press('Escape');
});

test('newcomer: Settings → Community nodes lists n8n-nodes-pilot-status', async () => {
	await page.goto(`${demo.baseUrl}/settings/community-nodes`);
	const card = page.locator('[data-test-id=community-package-card]', {
		hasText: 'n8n-nodes-pilot-status',
	});
	await card.waitFor({ timeout: 30_000 });
	const text = (await card.innerText()).replace(/\s+/g, ' ');
	assert.match(text, /Pilot Status, ?Pilot Status Trigger/);
	assert.match(text, new RegExp(`v${demo.installedVersion.replace(/\./g, '\\.')}`));
	await page.screenshot({ path: screenshotPath('newcomer-community-nodes.png') });
});
