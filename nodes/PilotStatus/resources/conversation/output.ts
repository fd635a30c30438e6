import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { isPlainObject, toE164 } from '../../output/normalize';
import type { Page } from './items';

// One shape per item whichever documented variant arrived: the conversations list, and one
// message shape for unread, history and group messages (the history DTO and the unread/group
// items name the same facts differently), null where the service sent nothing.

function text(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function count(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function upper(value: unknown): string | null {
	return text(value)?.toUpperCase() ?? null;
}

export function conversationOutput(raw: IDataObject): IDataObject {
	return {
		id: text(raw.id ?? raw.conversationId),
		type: upper(raw.type),
		from: toE164(raw.from ?? raw.phone),
		fromName: text(raw.fromName ?? raw.name),
		userId: text(raw.userId),
		username: text(raw.username),
		unreadCount: count(raw.unreadCount),
		lastMessageAt: text(raw.lastMessageAt),
		lastMessagePreview: text(raw.lastMessagePreview),
		createdAt: text(raw.createdAt),
	};
}

function mediaOutput(raw: unknown): IDataObject | null {
	if (!isPlainObject(raw)) return null;
	return {
		provider: text(raw.provider),
		mediaId: text(raw.id ?? raw.mediaId),
		url: text(raw.url ?? raw.mediaLink),
		mimeType: text(raw.mimeType),
		fileName: text(raw.fileName ?? raw.filename),
	};
}

export function messageOutput(raw: IDataObject): IDataObject {
	const direction = upper(raw.direction);
	return {
		id: text(raw.id),
		conversationId: text(raw.conversationId),
		direction: direction === 'IN' ? 'INBOUND' : direction === 'OUT' ? 'OUTBOUND' : direction,
		type: text(raw.type ?? raw.messageType),
		text: text(raw.text ?? raw.caption ?? raw.content),
		from: toE164(raw.from ?? raw.participantPhone ?? raw.senderPhone),
		fromName: text(raw.fromName ?? raw.participantName ?? raw.senderName),
		groupId: text(raw.groupId ?? raw.groupJid),
		groupName: text(raw.groupName),
		status: upper(raw.status),
		externalMessageId: text(raw.externalMessageId ?? raw.messageId),
		repliedToExternalId: text(raw.repliedToExternalId ?? raw.quotedMessageId),
		media: mediaOutput(raw.media),
		conversationUnreadCount: count(raw.conversationUnreadCount),
		sentAt: text(raw.sentAt),
		deliveredAt: text(raw.deliveredAt),
		readAt: text(raw.readAt),
		createdAt: text(raw.providerTimestamp ?? raw.createdAt ?? raw.timestamp),
	};
}

/** What each documented privacy notice means, and what to do about it. */
const NOTICES: Record<string, string> = {
	PII_RELAY_ONLY:
		'This number’s privacy mode is Relay Only: Pilot Status does not store message contents, so there is nothing to read here. Read messages as they arrive with the Pilot Status Trigger, or change the number’s privacy mode in the Pilot Status dashboard (messages from before the change are not stored).',
};

function noticeText(notice: string): string {
	return (
		NOTICES[notice] ??
		`Pilot Status added the notice ${notice} to this answer; it may hold back some messages.`
	);
}

/**
 * The items of a page read: one per row, each carrying the service's notice when there is one, or,
 * when the notice left the list empty, one item saying so (an empty output would read as "no
 * messages").
 */
export function pageItems(
	page: Page,
	shape: (raw: IDataObject) => IDataObject,
	itemIndex: number,
): INodeExecutionData[] {
	const notice = page.notice
		? { notice: page.notice, noticeExplanation: noticeText(page.notice) }
		: {};
	if (page.rows.length === 0 && page.notice)
		return [{ json: { ...notice, items: 0 }, pairedItem: { item: itemIndex } }];
	return page.rows.map((row) => ({
		json: { ...shape(row), ...notice },
		pairedItem: { item: itemIndex },
	}));
}
