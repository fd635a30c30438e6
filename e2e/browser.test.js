'use strict';
// A real browser on the n8n editor that `npm start` serves: the node panel finds Pilot Status, the
// live onboarding example runs from the editor's Execute button, its form pages show the QR code
// as an image (drawn by the page's CSS) and the pairing code, a fresh code on request, then the
// confirmation; and the QR code shows as an image in the node's binary output.
// Needs Chromium (Debian: apt-get install chromium). Run with `npm run test:browser`.
// SCREENSHOT_TO=docs/images refreshes the README's screenshots.
const assert = require('node:assert/strict');
const fs = require('node:fs');
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
const N8N_PORT = 55689;
const SANDBOX_PORT = 55421;
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
