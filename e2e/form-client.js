'use strict';
// The customer's side of n8n's form pages (n8n Form Trigger and Form nodes), driven over HTTP as
// the pages' own script (form-trigger.handlebars) drives them, and what the live onboarding
// example's code page shows. Shared by the suites that run that example: onboarding.test.js in a
// single n8n, queue.test.js where the webhook process serves the pages and workers run the steps.
const assert = require('node:assert/strict');

const { waitFor } = require('../scripts/lib/n8n-server');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/**
 * The live onboarding example as a customer meets it, read from the example so that reworded or
 * translated texts are followed: its form's path, its field labels, the code page's answers (kept
 * in its "Customer and texts" node) and the titles of its last pages.
 */
function liveOnboardingForm(workflow) {
	const node = (name) => workflow.nodes.find((candidate) => candidate.name === name);
	const trigger = workflow.nodes.find(
		(candidate) => candidate.type === 'n8n-nodes-base.formTrigger',
	);
	const texts = Object.fromEntries(
		node('Customer and texts').parameters.assignments.assignments.map(({ name, value }) => [
			name,
			value,
		]),
	);
	return {
		path: trigger.parameters.options.path,
		labels: trigger.parameters.formFields.values.map((field) => field.fieldLabel),
		answers: { linked: texts.answerLinked, newCode: texts.answerNewCode },
		titles: {
			connected: node('Tell the customer: connected').parameters.completionTitle,
			tryLater: node('Tell the customer: try later').parameters.completionTitle,
		},
	};
}

function formData(fields) {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.append(name, value);
	return data;
}

const basicAuth = ({ user, password }) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** What the page's script polls after a submission: running, form-waiting, success, error... */
async function executionStatus(pageUrl) {
	const url = new URL(pageUrl);
	url.pathname += '/n8n-execution-status';
	const response = await fetch(url);
	return (await response.text()).trim();
}

async function statusOf(pageUrl, wanted, timeoutMs = 90_000) {
	return waitFor(
		`execution behind ${new URL(pageUrl).pathname} to be ${wanted.join('/')}`,
		async () => {
			const status = await executionStatus(pageUrl);
			return wanted.includes(status) ? status : undefined;
		},
		{ timeoutMs, intervalMs: 150 },
	);
}

/** The next page the customer sees: once the execution waits for them, the page at its URL. */
async function nextPage(pageUrl) {
	await statusOf(pageUrl, ['form-waiting']);
	const response = await fetch(pageUrl);
	const html = await response.text();
	assert.equal(response.status, 200, html.slice(0, 2000));
	return { url: pageUrl, html, executionId: /\/form-waiting\/([^/?]+)/.exec(pageUrl)[1] };
}

/**
 * Fills in the form the customer opens first (`values` in the order of its fields) at `formUrl`,
 * behind the form's Basic Auth `login`; returns the page that follows.
 */
async function openForm(formUrl, values, { login } = {}) {
	const response = await fetch(formUrl, {
		method: 'POST',
		headers: login ? { authorization: basicAuth(login) } : {},
		body: formData(Object.fromEntries(values.map((value, index) => [`field-${index}`, value]))),
	});
	const text = await response.text();
	assert.equal(response.status, 200, text.slice(0, 2000));
	return nextPage(JSON.parse(text).formWaitingUrl);
}

/**
 * Submits a radio answer on a form page (the page sends radio values as a JSON list); the code
 * page's radio is its second field, after the HTML. Returns the URL of the page that follows.
 */
async function answer(page, option, { field = 'field-1' } = {}) {
	const response = await fetch(page.url, {
		method: 'POST',
		body: formData({ [field]: JSON.stringify([option]) }),
	});
	const text = await response.text();
	assert.equal(response.status, 200, text.slice(0, 2000));
	return JSON.parse(text).formWaitingUrl ?? page.url;
}

/** A completion page posts itself once shown, which ends the execution; as its script does. */
async function closeCompletionPage(page) {
	const response = await fetch(page.url, { method: 'POST' });
	await response.arrayBuffer();
	return statusOf(page.url, FINISHED);
}

/**
 * What the code page shows: the pairing code (in bold at the end of its paragraph), and the QR
 * code the page's CSS draws into the empty <img>; matched by structure, in any language.
 */
function codePage(html) {
	const pairingCode = /<b>([^<]*)<\/b><\/p>/.exec(html)?.[1];
	const dataUri = /img\[alt="[^"]+"\] \{ content: url\("(data:image\/png;base64,[^"]+)"\)/.exec(
		html,
	)?.[1];
	const png = dataUri ? Buffer.from(dataUri.split(',')[1], 'base64') : undefined;
	return {
		pairingCode,
		dataUri,
		png,
		hasImage: /<img alt="[^"]+" width="264" height="264" \/>/.test(html),
	};
}

/** Asserts the code page shows the QR code and pairing code a Create or Connect just returned. */
function assertShowsCode(html, { pairingCode, qrCodeBase64 }) {
	const shown = codePage(html);
	assert.ok(shown.hasImage, 'the page has the QR code’s <img>');
	assert.ok(shown.png, 'the page’s CSS carries the QR code as a PNG data URI');
	assert.ok(shown.png.subarray(0, 8).equals(PNG_SIGNATURE), 'the data URI is a PNG');
	assert.deepEqual([shown.png.readUInt32BE(16), shown.png.readUInt32BE(20)], [264, 264]);
	assert.equal(shown.dataUri, qrCodeBase64, 'the QR code on the page is the one just made');
	assert.equal(shown.pairingCode, pairingCode, 'the pairing code on the page is the one just made');
	return shown;
}

const heading = (html) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
const message = (html) => /<\/h1>\s*<p[^>]*>([^<]*)</.exec(html)?.[1]?.trim();

module.exports = {
	FINISHED,
	answer,
	assertShowsCode,
	basicAuth,
	closeCompletionPage,
	codePage,
	executionStatus,
	formData,
	heading,
	liveOnboardingForm,
	message,
	nextPage,
	openForm,
	statusOf,
};
