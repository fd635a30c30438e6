import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Media → Download against the sandbox, in n8n's engine: a file a contact sent to a Meta number,
// by the mediaId and phoneNumberId of its event, into a binary field with the service's name and
// type, under a size cap; the documented refusals explained; bad input refused before sending.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const PDF = Buffer.from('%PDF-1.4\n% pedido 123\n%%EOF\n');

const numberKey = () => sandbox.credential({ apiKey: NUMBER_KEY });

async function run(
	parameters: IDataObject,
	items: INodeExecutionData[],
	credential: IDataObject = numberKey(),
) {
	return runNode({
		parameters: { resource: 'media', operation: 'download', ...parameters },
		credential: credential as never,
		items,
	});
}

/** The customer sends a PDF to Suporte, made a Meta number; the item is the event's data. */
async function receivedFile(): Promise<INodeExecutionData[]> {
	await sandbox.configureNumber(suporte.id, { provider: 'META' });
	const { event } = await sandbox.inbound(suporte.id, {
		from: CUSTOMER,
		media: {
			type: 'document',
			base64: PDF.toString('base64'),
			fileName: 'pedido-123.pdf',
			mimeType: 'application/pdf',
		},
	});
	return [{ json: event.data }];
}

const mediaRequests = async () =>
	(await sandbox.requests()).filter((request) => request.path.startsWith('/v1/media/'));

test('the file of the message event into the binary field, with its name and type', async () => {
	const { items, error, run: execution } = await run({}, await receivedFile());
	expect(error).toBeUndefined();
	expect(items[0].json).toEqual({
		mediaId: expect.stringMatching(/_media_id$/),
		fileName: 'pedido-123.pdf',
		mimeType: 'application/pdf',
		fileSize: PDF.length,
		binaryField: 'data',
	});
	expect(items[0].binary?.data).toMatchObject({
		fileName: 'pedido-123.pdf',
		mimeType: 'application/pdf',
	});
	expect(Buffer.from(String(items[0].binary?.data.data), 'base64')).toEqual(PDF);
	expect(execution).toBeDefined();
	const [request] = await mediaRequests();
	expect(request.query).toEqual({ phoneNumberId: `1${suporte.number}` });
});

test('with the tenant key, the Sending Number goes as x-whatsapp-number-id', async () => {
	const input = await receivedFile();
	await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
	const { items, error } = await run(
		{ sendingNumberId: byId(suporte.id), mediaOutputField: 'pedido' },
		input,
		sandbox.credential(),
	);
	expect(error).toBeUndefined();
	expect(items[0].binary?.pedido.fileName).toBe('pedido-123.pdf');
	expect((await mediaRequests())[0].scope).toBe('tenant');
});

test('a file larger than Max Media Size is not kept, and the error says how to get it', async () => {
	const { items, error } = await run(
		{ options: { maxMediaSizeMb: 0.00001 } },
		await receivedFile(),
	);
	record('badInputs');
	expect(items).toEqual([]);
	expect(error?.message).toMatch(
		/The file is larger than Max Media Size \(0 MB\); it was not downloaded\. Raise Max Media Size to receive it\./,
	);
});

test('a media ID Pilot Status does not have: the 404 says it may have expired', async () => {
	const input = await receivedFile();
	const { error } = await run({ mediaId: 'expired_media_id' }, input);
	expect(error?.message).toMatch(/no such media file for this number, or it has expired \(404\)/);
	expect(error?.description).toMatch(/download it soon after the message arrives/);
});

test('a number that is not a Meta number: the 400 says where such files are', async () => {
	const { error } = await run({ mediaId: 'abc_media_id', phoneNumberId: '106540352242922' }, [
		{ json: {} },
	]);
	expect(error?.message).toMatch(/could not fetch the file from Meta \(400\)/);
	expect(error?.description).toMatch(/media URL instead/);
});

test.each([
	[{ mediaId: '={{ $json.nothing }}' }, /Media ID is empty\. Map it from the received message/],
	[{ mediaId: '../numbers' }, /Media ID "\.\.\/numbers" is not an ID/],
	[{ phoneNumberId: '+5511999999999' }, /Phone Number ID \(Meta\) is a phone number/],
	[{ mediaOutputField: 'my file' }, /Put File in Field must be a field name/],
	[
		{ options: { maxMediaSizeMb: 500 } },
		/Max Media Size \(MB\) must be more than 0 and at most 100/,
	],
])('bad input is refused before anything is sent: %j', async (parameters, message) => {
	const input = [{ json: { mediaId: 'abc_media_id', phoneNumberId: '106540352242922' } }];
	const { error } = await run(parameters, input);
	record('badInputs');
	expect(error?.message).toMatch(message);
	expect(await sandbox.requests()).toEqual([]);
});
