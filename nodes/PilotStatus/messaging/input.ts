import type { IDataObject } from 'n8n-workflow';

import type { ParameterReader } from '../input/parameters';
import { DEFAULT_PHONE_COUNTRY, toE164PhoneNumber } from '../input/phoneNumber';
import { checkPhoneNumber, holdsKey, quote } from '../input/validation';
import type { Checked } from '../input/validation';
import type {
	Destination,
	MediaFile,
	MediaType,
	MessageButton,
	MessageContent,
	OutgoingMessage,
} from './body';

// A message read from the node's fields and checked before anything is sent: every problem of the
// item is named at once, each with its fix.

/** What an input item's binary field says about its file, without reading the file. */
export interface BinaryFile {
	mimeType?: string;
	fileName?: string;
	/** The size n8n recorded for the file, when it did; the file's own length is checked when it is read. */
	bytes?: number;
}

/** The input item's binary field of that name, or undefined when it has none. */
export type BinarySource = (field: string) => Promise<BinaryFile | undefined>;

/** A file's bytes, read through n8n's binary data helpers (any binary data mode). */
export type FileReader = (field: string) => Promise<Buffer>;

export const MAX_BUTTONS = 3;
export const MAX_TEXT_LENGTH = 4096;

const MB = 1024 * 1024;
/**
 * The largest file sent from an n8n binary field. It travels inside the JSON body as base64, a
 * third larger than the file: 16 MB (WhatsApp's own cap for video and audio) makes a body of about
 * 21 MB, inside the 25 MB bodies such APIs commonly take. Images: WhatsApp's 5 MB. Larger files
 * (documents up to WhatsApp's 100 MB) go by URL.
 */
export const MAX_FILE_BYTES: Record<MediaType, number> = {
	image: 5 * MB,
	video: 16 * MB,
	audio: 16 * MB,
	document: 16 * MB,
};

const MEDIA_TYPE_NAMES: Record<MediaType, string> = {
	image: 'Image',
	video: 'Video',
	document: 'Document',
	audio: 'Audio',
};

const GROUP_JID = /^[A-Za-z0-9][A-Za-z0-9._-]*@g\.us$/;
const CHANNEL_JID = /^[A-Za-z0-9][A-Za-z0-9._-]*@newsletter$/;
/** A WhatsApp user's durable ID (BSUID), for contacts known by username only: BR.1349120865... */
const BSUID = /^[A-Z]{2}\.\d{10,30}$/;

type Problems = string[];

/**
 * How problems name the fields: Send's names by default. Send and Wait for Response reads its own
 * fields (To, Message) through the same checks, and adds its instructions or link to the text.
 */
export interface MessageFieldNames {
	phoneNumber: string;
	text: string;
	/** What the node adds to the typed text before sending (it counts in the length limit). */
	textAdds?: string;
	/** The field button `index` (from 0) comes from. */
	button?: (index: number) => string;
}

function sendFieldNames(read: ParameterReader): MessageFieldNames {
	return read.asTool
		? { phoneNumber: 'phoneNumber', text: 'text' }
		: { phoneNumber: 'Phone Number', text: 'Text' };
}

/**
 * A message's words reach the contact's phone, the service's logs and the chat history, so a
 * field holding a key is refused, and the value is never quoted back.
 */
function keyInMessage(field: string): string {
	return `${field} holds what looks like an API key or key ID; the value is not repeated here. A message never carries a key: remove it (or fix the expression that fills it).`;
}

/** Pushes the problem when the value holds a key; true when it did. */
function refuseKey(value: string, field: string, problems: Problems): boolean {
	if (!holdsKey(value)) return false;
	problems.push(keyInMessage(field));
	return true;
}

function blank(value: unknown): boolean {
	return value === undefined || value === null || String(value).trim() === '';
}

function textOf(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function phoneDestination(
	read: ParameterReader,
	field: string,
	problems: Problems,
): Destination | undefined {
	const typed = read(read.asTool ? 'toolRecipientPhoneNumber' : 'recipientPhoneNumber', '');
	if (typeof typed === 'string' && BSUID.test(typed.trim()))
		return { kind: 'phone', phoneNumber: typed.trim() };
	const cleaned = checkPhoneNumber(typed, field);
	if (cleaned.problem !== undefined) {
		problems.push(cleaned.problem);
		return undefined;
	}
	const country = String(read('recipientPhoneCountry', DEFAULT_PHONE_COUNTRY));
	const e164 = toE164PhoneNumber(cleaned.value, String(typed), field, country);
	if (e164.problem !== undefined) {
		problems.push(e164.problem);
		return undefined;
	}
	return { kind: 'phone', phoneNumber: e164.value };
}

function jidDestination(
	value: unknown,
	field: string,
	pattern: RegExp,
	example: string,
	problems: Problems,
): string | undefined {
	const id = textOf(value);
	if (id === '') {
		problems.push(`${field} is empty. Enter it as WhatsApp names it, e.g. ${example}.`);
		return undefined;
	}
	if (holdsKey(id)) {
		problems.push(`${field} holds what looks like an API key; the value is not repeated here.`);
		return undefined;
	}
	if (!pattern.test(id)) {
		problems.push(
			`${field} ${quote(id)} is not a WhatsApp ${field.toLowerCase()}. It ends with ${example.slice(example.indexOf('@'))}, e.g. ${example}.`,
		);
		return undefined;
	}
	return id;
}

function destinationOf(
	read: ParameterReader,
	names: MessageFieldNames,
	problems: Problems,
): Destination | undefined {
	const sendTo = read('sendTo', 'phone');
	if (sendTo === 'group') {
		const groupId = jidDestination(
			read('groupId', ''),
			'Group ID',
			GROUP_JID,
			'120363012345678901@g.us',
			problems,
		);
		return groupId === undefined ? undefined : { kind: 'group', groupId };
	}
	if (sendTo === 'channel') {
		const channelId = jidDestination(
			read('channelId', ''),
			'Channel ID',
			CHANNEL_JID,
			'120363012345678901@newsletter',
			problems,
		);
		return channelId === undefined ? undefined : { kind: 'channel', channelId };
	}
	return phoneDestination(read, names.phoneNumber, problems);
}

function buttonsOf(value: unknown, names: MessageFieldNames, problems: Problems): MessageButton[] {
	const list = (value as IDataObject | undefined)?.button;
	const buttons = Array.isArray(list) ? (list as IDataObject[]) : [];
	if (buttons.length > MAX_BUTTONS) {
		problems.push(
			`Buttons has ${buttons.length} buttons; WhatsApp messages take up to ${MAX_BUTTONS}. Remove ${buttons.length - MAX_BUTTONS}.`,
		);
	}
	return buttons.map((button, index) => {
		const field = names.button?.(index) ?? `Button ${index + 1}`;
		const text = textOf(button.text);
		if (text === '') problems.push(`${field} has no text. Enter what it says.`);
		else refuseKey(text, field, problems);
		const id = textOf(button.id);
		refuseKey(id, `${field}’s ID`, problems);
		return { id: id === '' ? `button_${index + 1}` : id, text };
	});
}

function textContent(
	read: ParameterReader,
	names: MessageFieldNames,
	problems: Problems,
): MessageContent {
	const field = names.text;
	const text = textOf(read(read.asTool ? 'toolMessageText' : 'text', ''));
	if (text === '') problems.push(`${field} is empty. Enter the message to send.`);
	refuseKey(text, names.textAdds ? `${field} (with ${names.textAdds})` : field, problems);
	if (text.length > MAX_TEXT_LENGTH) {
		problems.push(
			names.textAdds
				? `${field} is ${text.length} characters long with ${names.textAdds} added; WhatsApp takes up to ${MAX_TEXT_LENGTH}. Shorten the ${field}.`
				: `${field} is ${text.length} characters long; WhatsApp takes up to ${MAX_TEXT_LENGTH}. Split it into several messages.`,
		);
	}
	const extras = read('textOptions', {}) as IDataObject;
	const buttons = buttonsOf(extras.buttons, names, problems);
	const header = textOf(extras.header);
	const footer = textOf(extras.footer);
	refuseKey(header, 'Header', problems);
	refuseKey(footer, 'Footer', problems);
	if (buttons.length === 0 && (header !== '' || footer !== '')) {
		problems.push(
			'Header and Footer go only with buttons (that is how WhatsApp shows them). Add a button, or remove them.',
		);
	}
	return {
		kind: 'text',
		text,
		...(buttons.length > 0 ? { buttons } : {}),
		...(header !== '' ? { header } : {}),
		...(footer !== '' ? { footer } : {}),
	};
}

function variablesOf(value: unknown, problems: Problems): Record<string, string> {
	const list = (value as IDataObject | undefined)?.variable;
	const variables: Record<string, string> = {};
	for (const [index, variable] of (Array.isArray(list) ? (list as IDataObject[]) : []).entries()) {
		const name = textOf(variable.name).replace(/^\{\{\s*|\s*\}\}$/g, '');
		if (name === '') {
			problems.push(
				`Variable ${index + 1} has no name. Use the name the template uses, e.g. nome.`,
			);
			continue;
		}
		if (refuseKey(name, `Variable ${index + 1}’s name`, problems)) continue;
		if (name in variables) problems.push(`Variable ${quote(name)} is given twice. Keep one.`);
		const raw = variable.value;
		variables[name] = raw === undefined || raw === null ? '' : String(raw);
		refuseKey(variables[name], `The value of variable ${quote(name)}`, problems);
	}
	return variables;
}

function templateContent(read: ParameterReader, problems: Problems): MessageContent {
	const templateId = textOf(read('templateId', '', { extractValue: true }));
	if (templateId === '')
		problems.push('Template is empty. Pick it from the list, or enter its ID or name.');
	else if (holdsKey(templateId))
		problems.push('Template holds what looks like an API key; the value is not repeated here.');
	return { kind: 'template', templateId, variables: variablesOf(read('variables', {}), problems) };
}

function mediaUrlOf(value: unknown, problems: Problems): string | undefined {
	const url = textOf(value);
	if (url === '') {
		problems.push(
			'Media URL is empty. Enter the public address of the file, e.g. https://example.com/photo.jpg.',
		);
		return undefined;
	}
	if (holdsKey(url)) {
		problems.push(
			'Media URL holds what looks like an API key; the value is not repeated here. Never put a key in a file address.',
		);
		return undefined;
	}
	try {
		const parsed = new URL(url);
		if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return parsed.toString();
	} catch {
		// reported below
	}
	problems.push(
		`Media URL ${quote(url)} is not a public http(s) address, e.g. https://example.com/photo.jpg. For a file from an earlier node, choose Media Source → Binary File.`,
	);
	return undefined;
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

/** `image/png` fits Image, `application/pdf` does not; Document takes any file. */
function fitsMediaType(mimeType: string, mediaType: MediaType): boolean {
	if (mediaType === 'document') return true;
	if (mimeType === 'application/octet-stream') return true;
	return mimeType.split('/')[0].toLowerCase() === mediaType;
}

function tooLarge(field: string, bytes: number, mediaType: MediaType): string | undefined {
	const limit = MAX_FILE_BYTES[mediaType];
	if (bytes <= limit) return undefined;
	return `The file in ${quote(field)} is ${megabytes(bytes)}; a file sent from n8n as ${MEDIA_TYPE_NAMES[mediaType]} may be up to ${megabytes(limit)} (it travels inside the request as base64). Put it at a public URL and choose Media Source → URL.`;
}

/**
 * The file's reference, checked from what the binary field says about it: the file itself is read
 * only when its message is sent (withFileData), so a run never holds every item's file at once.
 */
async function binaryMediaOf(
	field: string,
	mediaType: MediaType,
	binary: BinarySource,
	problems: Problems,
): Promise<MediaFile | undefined> {
	if (field === '') {
		problems.push(
			'Input Binary Field is empty. Enter the name of the binary field that holds the file, e.g. data.',
		);
		return undefined;
	}
	const file = await binary(field);
	if (!file) {
		problems.push(
			`The input item has no binary field ${quote(field)}. Enter the name the previous node gives the file (shown on its Binary tab), e.g. data.`,
		);
		return undefined;
	}
	const large = file.bytes === undefined ? undefined : tooLarge(field, file.bytes, mediaType);
	if (large !== undefined) {
		problems.push(large);
		return undefined;
	}
	const mimeType = (file.mimeType ?? '').trim() || 'application/octet-stream';
	if (!fitsMediaType(mimeType, mediaType)) {
		problems.push(
			`The file in ${quote(field)} is ${mimeType}, not ${MEDIA_TYPE_NAMES[mediaType].toLowerCase()}. Choose the matching Media Type (Document takes any file).`,
		);
		return undefined;
	}
	return { field, mimeType };
}

/**
 * The message with its file read into the body (a data URI), or the problem of a file larger than
 * its binary field said. Messages without a file from n8n come back as they are.
 */
export async function withFileData(
	message: OutgoingMessage,
	read: FileReader,
): Promise<Checked<OutgoingMessage>> {
	const { content } = message;
	if (content.kind !== 'media' || content.file === undefined) return { value: message };
	const { field, mimeType } = content.file;
	const data = await read(field);
	const large = tooLarge(field, data.length, content.mediaType);
	if (large !== undefined) return { problem: large };
	const media = `data:${mimeType};base64,${data.toString('base64')}`;
	return { value: { ...message, content: { ...content, media, file: undefined } } };
}

async function mediaContent(
	read: ParameterReader,
	binary: BinarySource,
	problems: Problems,
): Promise<MessageContent> {
	const mediaType = String(read('mediaType', 'image')) as MediaType;
	const caption = mediaType === 'audio' ? '' : textOf(read('caption', ''));
	refuseKey(caption, 'Caption', problems);
	const captioned = caption ? { caption } : {};
	if (read('mediaSource', 'url') === 'binary') {
		const field = textOf(read('mediaBinaryField', 'data'));
		const file = await binaryMediaOf(field, mediaType, binary, problems);
		return { kind: 'media', mediaType, media: '', ...(file ? { file } : {}), ...captioned };
	}
	const media = mediaUrlOf(read('mediaUrl', ''), problems);
	return { kind: 'media', mediaType, media: media ?? '', ...captioned };
}

/** The offset of `timeZone` from UTC at `utc`, in ms. */
function zoneOffset(utc: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utc));
	const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const asUtc = Date.UTC(
		value('year'),
		value('month') - 1,
		value('day'),
		value('hour'),
		value('minute'),
		value('second'),
	);
	return asUtc - Math.floor(utc / 1000) * 1000;
}

/**
 * A time the editor's date picker gives without a zone ("2026-06-20T10:00:00") is the workflow's
 * time zone (Settings → Timezone), as n8n's own nodes read it; one with a zone or Z is taken as it is.
 */
export function instantOf(value: unknown, timeZone: string): number {
	if (value instanceof Date) return value.getTime();
	const text =
		value && typeof value === 'object' && 'toISO' in value
			? String((value as { toISO: () => string }).toISO())
			: textOf(value);
	const wallClock = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.test(text);
	if (!wallClock) return Date.parse(text);
	const asUtc = Date.parse(`${text.replace(' ', 'T')}${text.length === 10 ? 'T00:00:00' : ''}Z`);
	if (!Number.isFinite(asUtc)) return NaN;
	try {
		return asUtc - zoneOffset(asUtc - zoneOffset(asUtc, timeZone), timeZone);
	} catch {
		return asUtc;
	}
}

function deliverAtOf(
	value: unknown,
	timeZone: string,
	now: number,
	problems: Problems,
): string | undefined {
	if (blank(value)) return undefined;
	const at = instantOf(value, timeZone);
	if (!Number.isFinite(at)) {
		problems.push(
			`Deliver At ${quote(typeof value === 'string' ? value : String(value))} is not a date and time. Pick one, or map an ISO 8601 time such as 2026-06-20T10:00:00-03:00.`,
		);
		return undefined;
	}
	if (at <= now) {
		problems.push(
			`Deliver At ${new Date(at).toISOString()} is in the past. Pick a time in the future, or remove Deliver At to send now.`,
		);
		return undefined;
	}
	return new Date(at).toISOString();
}

function labelsOf(value: unknown, problems: Problems): string[] {
	const list = Array.isArray(value) ? value : textOf(value).split(',');
	const labels = [...new Set(list.map(textOf).filter((label) => label !== ''))];
	if (labels.some(holdsKey)) problems.push(keyInMessage('Labels'));
	return labels;
}

export interface MessageRead {
	problems: string[];
	message: OutgoingMessage;
	/** The item's Options as read, for what applies to the run rather than the message (the pace). */
	options: IDataObject;
}

/**
 * The message the node's fields describe, and every problem that keeps it from being sent.
 * `binary` tells about the item's file only when Media Source is an n8n binary file; the file's
 * bytes come in with withFileData when the message is sent.
 */
export async function readOutgoingMessage(
	read: ParameterReader,
	binary: BinarySource,
	timeZone: string,
	now = Date.now(),
	names = sendFieldNames(read),
): Promise<MessageRead> {
	const problems: Problems = [];
	const destination = destinationOf(read, names, problems);
	const messageType = read('messageType', 'text');
	const content =
		messageType === 'template'
			? templateContent(read, problems)
			: messageType === 'media'
				? await mediaContent(read, binary, problems)
				: textContent(read, names, problems);
	const options = read('options', {}) as IDataObject;
	const deliverAt = deliverAtOf(options.deliverAt, timeZone, now, problems);
	const labels = labelsOf(options.labels, problems);
	return {
		problems,
		message: {
			destination: destination ?? { kind: 'phone', phoneNumber: '' },
			content,
			...(deliverAt ? { deliverAt } : {}),
			...(labels.length > 0 ? { labels } : {}),
		},
		options,
	};
}

/** Message IDs (msg_…), correlation IDs (corr_…) and wamids (wamid.HBgL…) go into a path or a body. */
const MESSAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._:=+-]{0,255}$/;

/** A message ID, correlation ID or wamid for Message → Get. */
export function checkMessageId(value: unknown, field = 'Message ID'): Checked<string> {
	const id = textOf(value);
	if (id === '') {
		return {
			problem: `${field} is empty. Map the id (or correlationId) from Send’s output, e.g. {{ $json.id }}.`,
		};
	}
	if (holdsKey(id)) {
		return {
			problem: `${field} holds what looks like an API key or key ID, not a message ID; the value is not repeated here. Map the id from Send’s output.`,
		};
	}
	if (!MESSAGE_ID.test(id)) {
		return {
			problem: `${field} ${quote(id)} is not a message ID. Use the id or correlationId from Send’s output (like msg_01HZX... or corr_01HZX...), or the WhatsApp message ID (wamid...).`,
		};
	}
	return { value: id };
}

/** Message IDs typed with commas, spaces or new lines, or mapped as a list; each checked, no repeats. */
export function checkMessageIds(value: unknown, field = 'Message IDs'): Checked<string[]> {
	const parts = Array.isArray(value)
		? value.map(textOf)
		: typeof value === 'string'
			? value.split(/[\s,;]+/)
			: [textOf(value)];
	const ids = [...new Set(parts.map((part) => part.trim()).filter((part) => part !== ''))];
	if (ids.length === 0) {
		return {
			problem: `${field} is empty. Enter the IDs of the scheduled messages (from Send’s output), separated by commas, or map a list.`,
		};
	}
	const bad = ids.map((id) => checkMessageId(id, field)).find((check) => check.problem);
	if (bad?.problem !== undefined) return { problem: bad.problem };
	return { value: ids };
}
