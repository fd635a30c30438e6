import type { IDataObject } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { decodeBinary, pngSize } from './helpers/png';
import { useSandbox } from './helpers/sandbox';

const sandbox = useSandbox();

async function createLink(): Promise<{ token: string; url: string; numberId: string }> {
	const { body } = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
		body: { name: 'Acme', number: '5511955554444' },
	});
	const url = String(body.remotePairingUrl);
	return { token: url.split('/').pop()!, url, numberId: String((body.instance as IDataObject).id) };
}

/** Remote pairing runs without a credential: the API host comes from the node's options. */
async function run(parameters: IDataObject) {
	return runNode({
		parameters: {
			resource: 'remotePairing',
			...parameters,
			options: { apiBaseUrl: sandbox.url, ...(parameters.options as IDataObject) },
		},
		credential: null,
	});
}

test('Get Info works without a credential and sends no key header', async () => {
	const { token } = await createLink();
	const { items, error } = await run({ operation: 'getInfo', pairingLink: token });
	expect(error).toBeUndefined();
	expect(items[0].json).toEqual({
		valid: true,
		name: 'Acme',
		number: '+5511955554444',
		state: 'CLOSED',
	});
	const [, request] = await sandbox.requests();
	expect(request).toMatchObject({
		method: 'GET',
		path: `/v1/remote-pairing/${token}`,
		authHeaders: [],
	});
});

test('Connect takes the whole link, and gives the QR code as a PNG file', async () => {
	const { url, token } = await createLink();
	const { items, error } = await run({
		operation: 'connect',
		pairingLink: `${url}?utm_source=whatsapp`,
	});
	expect(error).toBeUndefined();
	expect((await sandbox.requests())[1]).toMatchObject({
		method: 'POST',
		path: `/v1/remote-pairing/${token}/connect`,
		authHeaders: [],
	});
	expect(items[0].json).toEqual({
		numberId: null,
		pairingCode: expect.any(String),
		state: 'CONNECTING',
	});
	expect(items[0].binary!.data).toMatchObject({
		fileName: 'qr-code-remote-pairing.png',
		mimeType: 'image/png',
	});
	expect(pngSize(decodeBinary(items[0].binary!.data))).not.toBeNull();
});

test('Get Status follows the pairing to OPEN', async () => {
	const { token, numberId } = await createLink();
	const before = await run({ operation: 'getStatus', pairingLink: token });
	expect(before.items[0].json).toEqual({
		numberId: null,
		state: 'CLOSED',
		isFullyConnected: false,
	});
	await sandbox.scan(numberId);
	const after = await run({ operation: 'getStatus', pairingLink: token });
	expect(after.items[0].json).toEqual({ numberId: null, state: 'OPEN', isFullyConnected: true });
});

test('an unknown or expired link is explained', async () => {
	const { error } = await run({
		operation: 'getInfo',
		pairingLink: 'https://pilotstatus.com.br/connect/rp_expired',
	});
	expect(error?.message).toBe(
		"The remote pairing link is invalid, has expired, or was used up by its number connecting (404). Nothing was changed. Check the number (Number → Get Status with the link's numberId) before creating a new link.",
	);
	expect(error?.description).toContain('Pairing links live 24 hours');
});

test('connecting an already connected link is explained', async () => {
	const { token, numberId } = await createLink();
	await sandbox.scan(numberId);
	const { error } = await run({ operation: 'connect', pairingLink: token });
	expect(error?.message).toBe(
		'The number is already connected (409): there is nothing to pair. Nothing was changed.',
	);
});

test('the API Base URL option defaults to the real service', async () => {
	const { error } = await runNode({
		parameters: {
			resource: 'remotePairing',
			operation: 'getInfo',
			pairingLink: 'rp_x',
			options: { apiBaseUrl: 'http://127.0.0.1:9/v1/' },
		},
		credential: null,
	});
	expect(error?.message).toBe(
		'Could not reach Pilot Status at http://127.0.0.1:9 (ECONNREFUSED). Nothing was sent.',
	);
});
