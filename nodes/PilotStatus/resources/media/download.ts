import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { optionsCollection, sendingNumberLocator } from '../../descriptions/fields';
import type { FailureContext } from '../../errors/nodeErrors';
import type { ParameterReader } from '../../input/parameters';
import { holdsKey, quote } from '../../input/validation';
import type { Checked } from '../../input/validation';
import type { OperationDefinition } from '../../routing/operations';
import { requestTimeoutOf } from '../../transport/request';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';

// Media → Download: a file a contact sent to a Meta number, through GET /v1/media/{mediaId}
// ?phoneNumberId= (the documented download; ../shared/messaging-api.md §6), into a binary field,
// with the service's file name and MIME type. The request and its size cap are the trigger's
// (trigger/media.ts fromMediaApi): PilotStatus.node.ts hands it in, since resources/ does not
// import trigger/.

/** What fetches the file: trigger/media.ts fromMediaApi. */
export type MediaFetcher = (
	context: IExecuteFunctions,
	media: { mediaId: string; phoneNumberId: string },
	numberId: string | undefined,
	caps: { maxBytes: number; timeoutMs: number },
	failure: FailureContext,
) => Promise<{ bytes: Buffer; mimeType?: string; fileName?: string }>;

/** WhatsApp's largest file (documents); a cap above it would not be a cap. */
const MAX_SIZE_MB = 100;
const DEFAULT_SIZE_MB = 16;
/** Meta media IDs are digits; other IDs are words. Never `.` or `..`, which would leave the path. */
const MEDIA_ID = /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,255}$/;
const BINARY_FIELD = /^[A-Za-z0-9_-]+$/;

export const downloadMedia: OperationDefinition = {
	option: {
		name: 'Download',
		value: 'download',
		action: 'Download a media file',
		description:
			'Download a file a contact sent to a Meta (WhatsApp Cloud API) number into a binary field',
	},
	fields: [
		sendingNumberLocator,
		{
			displayName: 'Media ID',
			name: 'mediaId',
			type: 'string',
			default: '={{ $json.mediaId ?? $json.media?.mediaId }}',
			required: true,
			placeholder: 'e.g. 1234567890123456',
			description:
				'The mediaId of the received message: from the Pilot Status Trigger’s message event, or media.mediaId from Conversation → Get Unread or Get Group Messages',
			hint: 'By default the previous step’s mediaId: after the Pilot Status Trigger, leave it as it is.',
		},
		{
			displayName: 'Phone Number ID (Meta)',
			name: 'phoneNumberId',
			type: 'string',
			default: '={{ $json.phoneNumberId }}',
			required: true,
			placeholder: 'e.g. 106540352242922',
			description:
				'Meta’s ID of the number that received the file (phoneNumberId of the message event; the Phone number ID in Meta’s WhatsApp Manager). Not the phone number.',
		},
		{
			displayName: 'Put File in Field',
			name: 'mediaOutputField',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field that receives the file',
		},
		optionsCollection({
			displayName: 'Max Media Size (MB)',
			name: 'maxMediaSizeMb',
			type: 'number',
			typeOptions: { minValue: 0.001, maxValue: MAX_SIZE_MB },
			default: DEFAULT_SIZE_MB,
			description:
				'A larger file is not downloaded: the item fails and says so (with Continue On Fail, the other items go on)',
		}),
	],
};

function idCheck(value: unknown, field: string, example: string): Checked<string> {
	const id = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (id === '')
		return {
			problem: `${field} is empty. Map it from the received message, e.g. {{ $json.${example} }}.`,
		};
	if (holdsKey(id))
		return {
			problem: `${field} holds what looks like an API key; the value is not repeated here.`,
		};
	if (!MEDIA_ID.test(id))
		return {
			problem: `${field} ${quote(id)} is not an ID. Map ${example} from the received message.`,
		};
	return { value: id };
}

function phoneNumberIdOf(read: ParameterReader): Checked<string> {
	const typed = read('phoneNumberId', '');
	if (typeof typed === 'string' && /^\+\d/.test(typed.trim()))
		return {
			problem:
				'Phone Number ID (Meta) is a phone number, not Meta’s ID of it. Map phoneNumberId from the message event, or copy the Phone number ID from Meta’s WhatsApp Manager.',
		};
	return idCheck(typed, 'Phone Number ID (Meta)', 'phoneNumberId');
}

function sizeCapOf(read: ParameterReader): Checked<number> {
	const { maxMediaSizeMb } = read('options', {}) as IDataObject;
	const mb = maxMediaSizeMb === undefined ? DEFAULT_SIZE_MB : Number(maxMediaSizeMb);
	if (!Number.isFinite(mb) || mb <= 0 || mb > MAX_SIZE_MB)
		return {
			problem: `Options → Max Media Size (MB) must be more than 0 and at most ${MAX_SIZE_MB}.`,
		};
	return { value: Math.floor(mb * 1024 * 1024) };
}

function binaryFieldOf(read: ParameterReader): Checked<string> {
	const name = String(read('mediaOutputField', 'data') ?? '').trim();
	if (!BINARY_FIELD.test(name))
		return {
			problem:
				'Put File in Field must be a field name without spaces, dots or brackets, e.g. data.',
		};
	return { value: name };
}

async function downloadItem(
	fetch: MediaFetcher,
	context: IExecuteFunctions,
	itemIndex: number,
	read: ParameterReader,
): Promise<INodeExecutionData[]> {
	const [numberId, mediaId, phoneNumberId, field, maxBytes] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		idCheck(read('mediaId', ''), 'Media ID', 'mediaId'),
		phoneNumberIdOf(read),
		binaryFieldOf(read),
		sizeCapOf(read),
	);
	const file = await fetch(
		context,
		{ mediaId, phoneNumberId },
		numberId,
		{ maxBytes, timeoutMs: requestTimeoutOf(context) },
		{
			resource: 'media',
			operation: 'download',
			subject: mediaId,
			itemIndex,
			sendingNumber: numberId,
		},
	);
	const binary = await context.helpers.prepareBinaryData(file.bytes, file.fileName, file.mimeType);
	return [
		{
			json: {
				mediaId,
				fileName: binary.fileName ?? file.fileName ?? null,
				mimeType: binary.mimeType,
				fileSize: file.bytes.length,
				binaryField: field,
			},
			binary: { [field]: binary },
			pairedItem: { item: itemIndex },
		},
	];
}

/** The operation, given the function that fetches the file. */
export function downloadMediaWith(fetch: MediaFetcher) {
	return perItem(
		async (context, itemIndex, read) => await downloadItem(fetch, context, itemIndex, read),
	);
}
