import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { isPlainObject, optionalText, toE164 } from '../../output/normalize';
import type { Page } from './items';

// One shape per item whichever documented variant arrived: the conversations list, and one
// message shape for unread, history and group messages (the history DTO and the unread/group
// items name the same facts differently), null where the service sent nothing.

function count(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function upper(value: unknown): string | null {
	return optionalText(value)?.toUpperCase() ?? null;
}

export function conversationOutput(raw: IDataObject): IDataObject {
	return {
		id: optionalText(raw.id ?? raw.conversationId),
		type: upper(raw.type),
		from: toE164(raw.from ?? raw.phone),
		fromName: optionalText(raw.fromName ?? raw.name),
		userId: optionalText(raw.userId),
		username: optionalText(raw.username),
		unreadCount: count(raw.unreadCount),
		lastMessageAt: optionalText(raw.lastMessageAt),
		lastMessagePreview: optionalText(raw.lastMessagePreview),
		createdAt: optionalText(raw.createdAt),
	};
}

function mediaOutput(raw: unknown): IDataObject | null {
	if (!isPlainObject(raw)) return null;
	return {
		provider: optionalText(raw.provider),
		mediaId: optionalText(raw.id ?? raw.mediaId),
		url: optionalText(raw.url ?? raw.mediaLink),
		mimeType: optionalText(raw.mimeType),
		fileName: optionalText(raw.fileName ?? raw.filename),
	};
}

export function messageOutput(raw: IDataObject): IDataObject {
	const direction = upper(raw.direction);
	return {
		id: optionalText(raw.id),
		conversationId: optionalText(raw.conversationId),
		direction: direction === 'IN' ? 'INBOUND' : direction === 'OUT' ? 'OUTBOUND' : direction,
		type: optionalText(raw.type ?? raw.messageType),
		text: optionalText(raw.text ?? raw.caption ?? raw.content),
		from: toE164(raw.from ?? raw.participantPhone ?? raw.senderPhone),
		fromName: optionalText(raw.fromName ?? raw.participantName ?? raw.senderName),
		groupId: optionalText(raw.groupId ?? raw.groupJid),
		groupName: optionalText(raw.groupName),
		status: upper(raw.status),
		externalMessageId: optionalText(raw.externalMessageId ?? raw.messageId),
		repliedToExternalId: optionalText(raw.repliedToExternalId ?? raw.quotedMessageId),
		media: mediaOutput(raw.media),
		conversationUnreadCount: count(raw.conversationUnreadCount),
		sentAt: optionalText(raw.sentAt),
		deliveredAt: optionalText(raw.deliveredAt),
		readAt: optionalText(raw.readAt),
		createdAt: optionalText(raw.providerTimestamp ?? raw.createdAt ?? raw.timestamp),
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
