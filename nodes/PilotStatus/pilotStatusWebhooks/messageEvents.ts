import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, optionalText, toE164 } from '../output/normalize';
import { failureExplanation } from './messageFailures';

// The message.* events in one shape (../shared/messaging-api.md §11). The docs show only
// message.received in full; the other events' field tables were not visible, so every name seen
// for a field (webhook fields, the unread/history items' names) is read, and what is absent is null.

/** A contact's message reached the number. */
export const INBOUND_MESSAGE_EVENTS = [
	'message.received',
	'message.reply',
	'message.group',
	'message.newsletter',
];

/** What became of a message the number sent, and the status each one reports. */
const STATUS_OF_EVENT: Record<string, string> = {
	'message.sent': 'SENT',
	'message.delivered': 'DELIVERED',
	'message.read': 'READ',
	'message.failed': 'FAILED',
};

export const MESSAGE_EVENTS = [...INBOUND_MESSAGE_EVENTS, ...Object.keys(STATUS_OF_EVENT)];

/** Inbound types that carry a file; location, contacts, reactions and buttons do not. */
const FILE_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

export interface MediaInfo {
	type: string;
	mimeType?: string;
	fileName?: string;
	caption?: string;
	/** A direct download URL (Evolution numbers; Meta media mirrored). */
	url?: string;
	/** Meta numbers: for GET /v1/media/{mediaId}?phoneNumberId=. */
	mediaId?: string;
	phoneNumberId?: string;
}

export function isMessageEvent(event: string): boolean {
	return MESSAGE_EVENTS.includes(event);
}

export function isStatusEvent(event: string): boolean {
	return event in STATUS_OF_EVENT;
}

/** The first of `names` that `source` has as text. */
function firstText(source: IDataObject, ...names: string[]): string | null {
	for (const name of names) {
		const value = optionalText(source[name]);
		if (value !== null) return value;
	}
	return null;
}

/** Without the optional fields the event did not carry, so `media` shows only what is known. */
function withoutEmpty(fields: Record<string, string | null>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== null),
	);
}

/**
 * The file a message carries: the webhook's flat fields (mediaLink, mediaType, mediaId…), or a
 * `media` object as the unread and history items have it. Null when there is no file.
 */
export function mediaOf(data: IDataObject): MediaInfo | null {
	const nested = isPlainObject(data.media) ? data.media : {};
	const type = firstText(data, 'mediaType') ?? firstText(nested, 'type') ?? optionalText(data.type);
	const url = firstText(data, 'mediaLink', 'mediaUrl') ?? firstText(nested, 'url', 'link');
	const mediaId = firstText(data, 'mediaId') ?? firstText(nested, 'mediaId', 'id');
	const isFile = type !== null && FILE_TYPES.includes(type);
	if (!isFile && url === null && mediaId === null) return null;
	return {
		type: type ?? 'document',
		...withoutEmpty({
			mimeType: firstText(data, 'mimeType', 'mediaMimeType') ?? firstText(nested, 'mimeType'),
			fileName:
				firstText(data, 'mediaFilename', 'mediaFileName', 'fileName') ??
				firstText(nested, 'fileName', 'filename'),
			caption: firstText(data, 'mediaCaption', 'caption') ?? firstText(nested, 'caption'),
			url,
			mediaId,
			phoneNumberId: firstText(data, 'phoneNumberId') ?? firstText(nested, 'phoneNumberId'),
		}),
	};
}

/**
 * Whether the number itself sent the message. Status events are about the number's own messages;
 * an inbound event is the number's own when the provider echoes it (`fromMe: true`).
 */
function sentByTheNumber(event: string, data: IDataObject): boolean {
	if (typeof data.fromMe === 'boolean') return data.fromMe;
	return isStatusEvent(event);
}

/** Whether the event is the number's own outgoing message echoed as an inbound one. */
export function isOwnMessage(event: string, data: IDataObject): boolean {
	return INBOUND_MESSAGE_EVENTS.includes(event) && data.fromMe === true;
}

/**
 * The trigger's item for a message event. `numberId` is the number whose URL received it; `data`
 * (the event's own fields, unchanged) stays on the item as the number events keep theirs.
 */
export function messageEventOutput(
	event: string,
	data: IDataObject,
	envelope: IDataObject,
	numberId: string,
): IDataObject {
	const errorMessage = firstText(data, 'errorMessage', 'error', 'errorCode');
	const media = mediaOf(data);
	return {
		event,
		numberId,
		messageId: firstText(data, 'messageId', 'externalMessageId', 'wamid'),
		internalMessageId: firstText(data, 'internalMessageId'),
		correlationId: firstText(data, 'correlationId'),
		status: STATUS_OF_EVENT[event] ?? null,
		from: toE164(data.from ?? data.participantPhone),
		to: toE164(data.to ?? data.destinationNumber),
		fromMe: sentByTheNumber(event, data),
		type: firstText(data, 'type', 'messageType') ?? media?.type ?? null,
		text: firstText(data, 'content', 'text', 'body') ?? media?.caption ?? null,
		participantName: firstText(data, 'participantName', 'pushName'),
		quotedMessageId: firstText(data, 'quotedMessageId', 'repliedToExternalId'),
		media,
		errorMessage,
		errorExplanation: event === 'message.failed' ? failureExplanation(errorMessage) : null,
		createdAt: firstText(data, 'createdAt') ?? optionalText(envelope.createdAt),
		data,
	};
}
