import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../constants';
import type { FailureContext } from '../errors/nodeErrors';
import { isPlainObject } from '../output/normalize';
import type { MediaInfo } from '../pilotStatusWebhooks/messageEvents';
import { checkBaseUrl } from '../transport/baseUrl';
import { startDeadline } from '../transport/deadline';
import type { Deadline } from '../transport/deadline';
import { pilotStatusRequest } from '../transport/request';

// Downloads an inbound message's file into the item, from the two documented origins only
// (../shared/messaging-api.md §6): Meta media through the API with the credential, and an Evolution
// number's mediaLink from a host the user allows. Anyone holding a number's webhook URL can post an
// event, so the event's addresses are not trusted: a mediaLink elsewhere could make n8n fetch
// internal addresses (SSRF) or huge files. Every failure becomes the item's mediaError; the event
// itself still runs the workflow.

export interface MediaSettings {
	binaryProperty: string;
	/** `host` or `host:port` entries, or `*.domain` for its subdomains. */
	allowedHosts: string[];
	maxBytes: number;
	timeoutMs: number;
}

export type Download = { binary: IBinaryData } | { error: string };

/** The size cap and the deadline of one download. */
export type MediaCaps = Pick<MediaSettings, 'maxBytes' | 'timeoutMs'>;

/** A file as the media endpoint gave it. */
export interface MediaFile {
	bytes: Buffer;
	mimeType?: string;
	fileName?: string;
}

/** Meta media IDs are digits; the sandbox's are words. Never `.` or `..`, which would leave the path. */
const MEDIA_ID = /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,255}$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The response body as n8n's stream encoding hands it over. */
type Body = AsyncIterable<Buffer> & { destroy(error?: Error): void };

/** A download the trigger refused or gave up, with the reason the item shows. */
function refused(node: INode, reason: string): NodeOperationError {
	return new NodeOperationError(node, reason);
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MB`;
}

function tooLarge(node: INode, settings: MediaCaps): NodeOperationError {
	return refused(
		node,
		`The file is larger than Max Media Size (${megabytes(settings.maxBytes)}); it was not downloaded. Raise Max Media Size to receive it.`,
	);
}

/** A `host`, `host:port`, `*.domain` or an address typed whole, as the URL class writes hosts. */
export function mediaHostEntry(entry: string): string | undefined {
	const typed = entry.trim().toLowerCase();
	if (typed === '') return undefined;
	const wildcard = typed.startsWith('*.');
	try {
		const url = new URL(
			typed.includes('://') ? typed : `https://${wildcard ? typed.slice(2) : typed}`,
		);
		if (url.username || url.password || (url.pathname !== '/' && !typed.includes('://')))
			return undefined;
		return wildcard ? `*.${url.host}` : url.host;
	} catch {
		return undefined;
	}
}

function hostAllowed(host: string, allowed: string[]): boolean {
	return allowed.some((entry) =>
		entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry,
	);
}

/** The mediaLink as a URL the trigger may fetch, or why not. Only the host is ever named. */
function checkedLink(node: INode, link: string, base: URL, settings: MediaSettings): URL {
	let url: URL;
	try {
		url = new URL(link);
	} catch {
		throw refused(node, 'The event’s mediaLink is not a web address.');
	}
	const allowed = [base.host, ...settings.allowedHosts];
	if (!hostAllowed(url.host, allowed)) {
		throw refused(
			node,
			`The media link points to ${url.host}, which is not an allowed media host, so it was not downloaded: anyone who learns a webhook URL can post events, and the trigger must not fetch whatever address they name. If Pilot Status serves your media from ${url.host}, add it to Allowed Media Hosts.`,
		);
	}
	// http only in a test setup: a loopback Base URL over http, and a loopback file host.
	const testSetup =
		base.protocol === 'http:' && LOOPBACK.test(base.hostname) && LOOPBACK.test(url.hostname);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && testSetup)) {
		throw refused(
			node,
			`The media link uses ${url.protocol}//; only https:// links are downloaded.`,
		);
	}
	if (url.username || url.password) {
		throw refused(node, 'The media link contains a user name or password; it was not used.');
	}
	return url;
}

/** Reads the stream to its end, aborting it as soon as it passes the cap or the deadline. */
async function readCapped(node: INode, stream: Body, settings: MediaSettings, deadline: Deadline) {
	const abort = () => stream.destroy(new Error('deadline'));
	deadline.signal.addEventListener('abort', abort, { once: true });
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			size += (chunk as Buffer).length;
			if (size > settings.maxBytes) throw tooLarge(node, settings);
			chunks.push(chunk as Buffer);
		}
	} finally {
		deadline.signal.removeEventListener('abort', abort);
		stream.destroy();
	}
	return Buffer.concat(chunks);
}

function headerText(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	return typeof value === 'string' ? value : undefined;
}

/** mediaLink: no redirect followed, no credential sent, the size counted as the bytes arrive. */
async function fromLink(
	context: IWebhookFunctions,
	url: URL,
	settings: MediaSettings,
	deadline: Deadline,
): Promise<{ bytes: Buffer; mimeType?: string }> {
	const node = context.getNode();
	const response = await context.helpers.httpRequest({
		url: url.toString(),
		method: 'GET',
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: deadline.ms,
		abortSignal: deadline.signal,
	});
	const stream = response.body as Body;
	const status = response.statusCode as number;
	const headers = (response.headers ?? {}) as IDataObject;
	if (status >= 300 && status < 400) {
		stream.destroy();
		throw refused(
			node,
			`${url.host} answered with a redirect (HTTP ${status}); redirects are not followed, since they could lead anywhere.`,
		);
	}
	if (status < 200 || status >= 300) {
		stream.destroy();
		throw refused(node, `${url.host} answered HTTP ${status} instead of the file.`);
	}
	const declared = Number(headerText(headers, 'content-length'));
	if (Number.isFinite(declared) && declared > settings.maxBytes) {
		stream.destroy();
		throw tooLarge(node, settings);
	}
	const bytes = await readCapped(node, stream, settings, deadline);
	return { bytes, mimeType: headerText(headers, 'content-type')?.split(';')[0].trim() };
}

/**
 * Meta: GET /v1/media/{mediaId}?phoneNumberId= with the credential, on the Base URL only; the
 * decoded file is refused past `settings.maxBytes`. Also Media → Download's request (the node
 * passes it in: resources/ does not import trigger/).
 */
export async function fromMediaApi(
	context: IWebhookFunctions | IExecuteFunctions,
	media: Pick<MediaInfo, 'mediaId' | 'phoneNumberId'>,
	numberId: string | undefined,
	settings: MediaCaps,
	failure: FailureContext = { resource: 'media', subject: media.mediaId },
): Promise<MediaFile> {
	const node = context.getNode();
	if (!MEDIA_ID.test(media.mediaId ?? '')) {
		throw refused(node, 'The event’s mediaId is not a media ID; it was not requested.');
	}
	const { body } = await pilotStatusRequest.call(context, {
		method: 'GET',
		path: `/v1/media/${encodeURIComponent(media.mediaId as string)}`,
		qs: { phoneNumberId: media.phoneNumberId },
		// A tenant key names the number (SDK 1.14's reading); a number key ignores the header.
		headers: numberId === undefined ? {} : { 'x-whatsapp-number-id': numberId },
		// The first attempt of a download: the whole timeout is still ahead.
		timeoutMs: settings.timeoutMs,
		failure,
	});
	const answer = isPlainObject(body) ? body : {};
	const encoded = typeof answer.base64 === 'string' ? answer.base64 : '';
	const dataUri = /^data:([^;,]*)(?:;[^,]*)?,/.exec(encoded);
	const base64 = dataUri ? encoded.slice(dataUri[0].length) : encoded;
	if (base64 === '') throw refused(node, 'Pilot Status answered without the file (base64).');
	// The answer comes from the Base URL, not from the event; its size is checked once decoded.
	if (Math.floor((base64.length * 3) / 4) > settings.maxBytes + 2) throw tooLarge(node, settings);
	const bytes = Buffer.from(base64, 'base64');
	if (bytes.length > settings.maxBytes) throw tooLarge(node, settings);
	return {
		bytes,
		mimeType: (typeof answer.mimeType === 'string' && answer.mimeType) || dataUri?.[1] || undefined,
		fileName: typeof answer.fileName === 'string' ? answer.fileName : undefined,
	};
}

function reason(error: unknown, deadline: Deadline, settings: MediaSettings): string {
	if (deadline.expired()) {
		return `The download did not finish within ${settings.timeoutMs / 1000} s (Media Download Timeout) and was stopped.`;
	}
	if (error instanceof NodeOperationError) return error.message;
	// The shared message for this 403 speaks of a Sending Number, which the trigger has none of.
	if (error instanceof NodeApiError && error.httpCode === '403') {
		return 'Pilot Status refused the file to the trigger’s credential (HTTP 403). The trigger holds the account’s tenant key and names the number (x-whatsapp-number-id); where Pilot Status takes only a number’s own key for media, the file can be had only from its mediaLink.';
	}
	const message = error instanceof Error ? error.message : String(error);
	const description =
		isPlainObject(error) && typeof error.description === 'string' ? ` ${error.description}` : '';
	return `The download failed: ${message}${description}`;
}

function lastSegment(url: URL): string | undefined {
	const segment = url.pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(segment) || undefined;
	} catch {
		return segment || undefined;
	}
}

async function baseUrlOf(context: IWebhookFunctions): Promise<URL> {
	const node = context.getNode();
	const { value } = checkBaseUrl(
		(await context.getCredentials(CREDENTIAL_TYPE)).baseUrl,
		'Base URL',
	);
	if (!value) throw refused(node, 'The credential’s Base URL is not a web address.');
	return new URL(value.url);
}

/**
 * The message's file as n8n binary data, or why it could not be had. A Meta file is asked for by
 * its mediaId first; its mediaLink (a mirror) is the fallback, under the same rules as any link.
 */
export async function downloadMedia(
	context: IWebhookFunctions,
	media: MediaInfo,
	numberId: string,
	settings: MediaSettings,
): Promise<Download> {
	const deadline = startDeadline(settings.timeoutMs);
	const failures: string[] = [];
	const fileName = media.fileName;
	if (media.mediaId !== undefined && media.phoneNumberId !== undefined) {
		try {
			const file = await fromMediaApi(context, media, numberId, settings);
			const binary = await context.helpers.prepareBinaryData(
				file.bytes,
				file.fileName ?? fileName,
				file.mimeType ?? media.mimeType,
			);
			return { binary };
		} catch (error) {
			failures.push(`From Pilot Status (mediaId): ${reason(error, deadline, settings)}`);
		}
	}
	if (media.url !== undefined && !deadline.expired()) {
		try {
			const url = checkedLink(context.getNode(), media.url, await baseUrlOf(context), settings);
			const file = await fromLink(context, url, settings, deadline);
			const binary = await context.helpers.prepareBinaryData(
				file.bytes,
				fileName ?? lastSegment(url),
				media.mimeType ?? file.mimeType,
			);
			return { binary };
		} catch (error) {
			failures.push(reason(error, deadline, settings));
		}
	}
	if (failures.length === 0) {
		return { error: 'The event names no file to download (neither a mediaId nor a mediaLink).' };
	}
	return { error: failures.join(' ') };
}
