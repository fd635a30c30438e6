import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import type { Fault, SandboxHandle } from './helpers/sandbox';
import { SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Every fault the service can throw at us, against every operation with a side effect. Each run
// has three items and the fault hits one request: that item fails with a clear message, the other
// two succeed (On Error → Continue), and the sandbox saw each request exactly once.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;

interface SideEffect {
	name: string;
	returnsQrCode: boolean;
	/** Method and path prefix of the one request per item. */
	method: string;
	path: string;
	prepare: (
		box: SandboxHandle,
	) => Promise<{ parameters: IDataObject; items: INodeExecutionData[] }>;
	succeeded: (item: INodeExecutionData) => boolean;
}

const three = (json: (index: number) => IDataObject) =>
	[0, 1, 2].map((index) => ({ json: json(index) }));
const newNumber = (index: number) => ({ name: `Loja ${index}`, phone: `551190000000${index}` });
const byJsonId = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

async function pairingToken(box: SandboxHandle): Promise<string> {
	const { body } = await box.api('POST', '/v1/numbers/remote-pairing', {
		body: { name: 'Acme', number: '5511955554444' },
	});
	return String(body.remotePairingUrl).split('/').pop()!;
}

const SIDE_EFFECTS: SideEffect[] = [
	{
		name: 'Number → Create',
		returnsQrCode: true,
		method: 'POST',
		path: '/v1/numbers',
		prepare: async () => ({
			parameters: {
				resource: 'number',
				operation: 'create',
				name: '={{ $json.name }}',
				phoneNumber: '={{ $json.phone }}',
			},
			items: three(newNumber),
		}),
		succeeded: (item) => Boolean(item.binary?.data && item.json.id),
	},
	{
		name: 'Number → Connect',
		returnsQrCode: true,
		method: 'GET',
		path: `/v1/numbers/${vendas.id}/connect`,
		prepare: async () => ({
			parameters: { resource: 'number', operation: 'connect', numberId: byJsonId },
			items: three(() => ({ id: vendas.id })),
		}),
		succeeded: (item) => Boolean(item.binary?.data && item.json.pairingCode),
	},
	{
		name: 'Number → Delete',
		returnsQrCode: false,
		method: 'DELETE',
		path: '/v1/numbers/',
		prepare: async (box) => {
			const ids: string[] = [];
			for (const index of [0, 1, 2]) {
				const { body } = await box.api('POST', '/v1/numbers', {
					body: { name: `Del ${index}`, number: `551190000001${index}` },
				});
				ids.push(String((body.instance as IDataObject).id));
			}
			return {
				parameters: { resource: 'number', operation: 'delete', numberId: byJsonId },
				items: three((index) => ({ id: ids[index] })),
			};
		},
		succeeded: (item) => item.json.deleted === true,
	},
	{
		name: 'Number → Create Remote Pairing Link',
		returnsQrCode: false,
		method: 'POST',
		path: '/v1/numbers/remote-pairing',
		prepare: async () => ({
			parameters: {
				resource: 'number',
				operation: 'createRemotePairingLink',
				name: '={{ $json.name }}',
				phoneNumber: '={{ $json.phone }}',
			},
			items: three(newNumber),
		}),
		succeeded: (item) => typeof item.json.remotePairingUrl === 'string',
	},
	{
		name: 'API Key → Regenerate',
		returnsQrCode: false,
		method: 'POST',
		path: '/v1/api-keys',
		prepare: async () => ({
			parameters: { resource: 'apiKey', operation: 'regenerate', numberId: byJsonId },
			items: three((index) => ({ id: index === 1 ? vendas.id : suporte.id })),
		}),
		succeeded: (item) => typeof item.json.key === 'string',
	},
	{
		name: 'Remote Pairing → Connect',
		returnsQrCode: true,
		method: 'POST',
		path: '/v1/remote-pairing/',
		prepare: async (box) => {
			const token = await pairingToken(box);
			return {
				parameters: {
					resource: 'remotePairing',
					operation: 'connect',
					pairingLink: token,
					options: { apiBaseUrl: box.url },
				},
				items: three(() => ({})),
			};
		},
		succeeded: (item) => Boolean(item.binary?.data && item.json.pairingCode),
	},
];

// Side-effect operations say whether the change may have happened: a 429 or a refused answer means
// it did not; no answer, a server error or an unreadable answer means it may have.
const MAY_HAVE =
	'The change may or may not have been made: check \\(for example with Get Many\\) before running it again\\.$';

interface FaultFlags {
	qrOnly?: boolean;
	/** The docs show no body for a delete's answer, so an empty 2xx means it was done. */
	doneForDeletes?: boolean;
}

const FAULTS: Array<[string, Fault, RegExp, FaultFlags?]> = [
	// The node waits a 429 out only within the item's Timeout (500 ms here, shorter than any wait).
	[
		'429 with Retry-After',
		{ type: 'status', status: 429, retryAfter: 7 },
		/^Pilot Status is rate limiting requests \(429 Too Many Requests\)\. Nothing was changed\. The request was refused once; the next wait \([78](\.\d)? s\) would pass this item's Timeout \(0\.5 s\)\. Send fewer items at a time \(Settings → Request Options → Batching\), or raise Settings → Request Options → Timeout, and run it again\.$/,
	],
	[
		'429 without Retry-After',
		{ type: 'status', status: 429 },
		/^Pilot Status is rate limiting requests .* The request was refused once; the next wait \(1(\.\d)? s\) would pass this item's Timeout/,
	],
	[
		'500',
		{ type: 'status', status: 500 },
		new RegExp(`^Pilot Status had a server error \\(500\\)\\. ${MAY_HAVE}`),
	],
	[
		'502 HTML error page',
		{ type: 'html', status: 502 },
		new RegExp(`^Pilot Status had a server error \\(502\\)\\. ${MAY_HAVE}`),
	],
	[
		'503',
		{ type: 'status', status: 503 },
		new RegExp(`^Pilot Status had a server error \\(503\\)\\. ${MAY_HAVE}`),
	],
	[
		'a slow answer beyond the timeout',
		{ type: 'slow', delayMs: 1500 },
		new RegExp(
			`^Pilot Status at http://127\\.0\\.0\\.1:\\d+ did not answer in time \\(E[A-Z]+\\)\\. ${MAY_HAVE}`,
		),
	],
	[
		'a reset connection',
		{ type: 'reset' },
		new RegExp(
			`^The connection to Pilot Status at http://127\\.0\\.0\\.1:\\d+ closed before it answered \\(ECONNRESET\\)\\. ${MAY_HAVE}`,
		),
	],
	[
		'invalid JSON',
		{ type: 'malformedJson' },
		new RegExp(
			`^Pilot Status sent a response the node cannot read \\(malformed JSON\\)\\. ${MAY_HAVE}`,
		),
	],
	[
		'an HTML page with status 200',
		{ type: 'html', status: 200 },
		new RegExp(
			`^Pilot Status sent a response the node cannot read \\(an HTML page\\)\\. ${MAY_HAVE}`,
		),
	],
	[
		'an empty body',
		{ type: 'empty' },
		new RegExp(
			`^Pilot Status sent a response the node cannot read \\(an empty body\\)\\. ${MAY_HAVE}`,
		),
		{ doneForDeletes: true },
	],
	[
		'a malformed QR code data URI',
		{ type: 'badQr' },
		/^Pilot Status sent no usable QR code \(the QR code is not a readable PNG image\), so no file was created\./,
		{ qrOnly: true },
	],
];

const cases = SIDE_EFFECTS.flatMap((operation) =>
	FAULTS.filter(([, , , flags]) => !flags?.qrOnly || operation.returnsQrCode).map(
		([fault, definition, message, flags]) =>
			[operation.name, fault, operation, definition, message, flags] as const,
	),
);

test.each(cases)('%s, %s', async (_operation, _fault, operation, fault, message, flags) => {
	const { parameters, items } = await operation.prepare(sandbox);
	await sandbox.control('DELETE', '/requests');
	await sandbox.fault({ ...fault, method: operation.method, path: operation.path, count: 1 });
	const result = await runNode({
		parameters: { ...parameters, requestOptions: { timeout: 500 } },
		credential: sandbox.credential(),
		items,
		settings: { onError: 'continueRegularOutput' },
	});
	record('faults');

	expect(result.error).toBeUndefined();
	if (flags?.doneForDeletes && operation.method === 'DELETE') {
		expect(result.items.filter((item) => operation.succeeded(item))).toHaveLength(3);
	} else if (fault.type === 'badQr') {
		// The change happened: the item still comes out, without a file, and says why.
		const withoutFile = result.items.filter((item) => !item.binary?.data);
		expect(withoutFile.map((item) => item.json.qrCodeError)).toEqual([
			expect.stringMatching(message),
		]);
		expect(withoutFile[0].json.error).toBeUndefined();
		expect(result.items.filter((item) => operation.succeeded(item))).toHaveLength(2);
	} else {
		const failed = result.items.filter((item) => item.json.error !== undefined);
		expect(failed.map((item) => item.json.error)).toEqual([expect.stringMatching(message)]);
		expect(result.items.filter((item) => operation.succeeded(item))).toHaveLength(2);
	}
	const sent = (await sandbox.requests()).filter(
		(request) => request.method === operation.method && request.path.startsWith(operation.path),
	);
	expect(sent).toHaveLength(3);
});

test(`${cases.length} fault cases across ${SIDE_EFFECTS.length} side-effect operations`, () => {
	expect(cases.length).toBeGreaterThanOrEqual(60);
});
