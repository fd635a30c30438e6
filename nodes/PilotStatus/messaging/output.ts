import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, optionalText, toE164, unwrappedObject } from '../output/normalize';
import { destinationOutput } from './body';
import type { OutgoingMessage } from './body';
import { checkMessageId } from './input';

// One output shape per message answer, whichever documented variant arrived ([C] in the fact
// sheet: the status example with or without deliveredAt and externalMessageId, the cancel answer as
// lists or as counts): the same fields every time, null for what the service did not send.

export const ACCEPTED_NOTE =
	'Pilot Status accepted the message (QUEUED): that is not delivery. Learn the outcome with Message → Get (this id), or with the Pilot Status Trigger’s message.sent, message.delivered, message.read and message.failed events (their internalMessageId is this id). Some failures only arrive later, e.g. free text to a Meta contact outside the 24-hour window fails with META_OUTSIDE_24H_WINDOW.';

export const MESSAGE_STATES = ['QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'CANCELED'];

/** `cancelled` (British) and lowercase states read as the documented `CANCELED`. */
export function normalizeMessageState(value: unknown): string | null {
	const state = optionalText(value)?.trim().toUpperCase() ?? null;
	return state === 'CANCELLED' ? 'CANCELED' : state;
}

/** What an answer without it lacks, as the unreadable-answer error names it. */
export const SENT_MESSAGE_ID = 'the message’s id';

/**
 * The ID a send's 2xx answer gives the message, or null when it gives none that Message → Get
 * could look up. Without one the send cannot be followed, and its answer is not the documented
 * one: the caller reports it as unreadable (the message may still have gone out).
 */
export function sentMessageId(answer: unknown): string | null {
	const body = unwrappedObject(answer);
	const id = optionalText(body.id ?? body.messageId);
	return id !== null && checkMessageId(id).problem === undefined ? id : null;
}

/** Send's output: what was accepted, where it goes, and how to learn what became of it. */
export function sentMessageOutput(
	answer: unknown,
	message: OutgoingMessage,
	sendingNumberId: string | undefined,
): IDataObject {
	const body = unwrappedObject(answer);
	return {
		id: sentMessageId(answer),
		correlationId: optionalText(body.correlationId),
		status: normalizeMessageState(body.status) ?? 'QUEUED',
		createdAt: optionalText(body.createdAt),
		deliverAt: optionalText(body.deliverAt) ?? message.deliverAt ?? null,
		...destinationOutput(message.destination),
		messageType: message.content.kind,
		sendingNumberId: sendingNumberId ?? null,
		sourceNumber: toE164(body.sourceNumber),
		note: ACCEPTED_NOTE,
	};
}

/**
 * Send's output for an item it did not send because Skip Numbers Not on WhatsApp found that the
 * phone number has no WhatsApp account: the same fields as a sent message, status SKIPPED.
 */
export function skippedMessageOutput(
	message: OutgoingMessage,
	sendingNumberId: string | undefined,
	whatsappCheck: IDataObject,
): IDataObject {
	const { destination } = destinationOutput(message.destination);
	return {
		id: null,
		correlationId: null,
		status: 'SKIPPED',
		createdAt: null,
		deliverAt: null,
		...destinationOutput(message.destination),
		messageType: message.content.kind,
		sendingNumberId: sendingNumberId ?? null,
		sourceNumber: null,
		skipped: true,
		whatsappCheck,
		note: `Not sent: ${String(destination)} has no WhatsApp account, as Pilot Status checked it just before sending (the check of Contact → Check Number). Skip Numbers Not on WhatsApp is on, so this item was skipped; that is not an error.`,
	};
}

function templateName(value: unknown): string | null {
	if (isPlainObject(value)) return optionalText(value.name ?? value.id);
	return optionalText(value);
}

/** Get's output. */
export function messageStatusOutput(answer: unknown): IDataObject {
	const body = unwrappedObject(answer);
	return {
		id: optionalText(body.id ?? body.messageId),
		correlationId: optionalText(body.correlationId),
		status: normalizeMessageState(body.status ?? body.state),
		destinationNumber: toE164(body.destinationNumber),
		template: templateName(body.template ?? body.templateName),
		createdAt: optionalText(body.createdAt),
		sentAt: optionalText(body.sentAt),
		deliveredAt: optionalText(body.deliveredAt),
		readAt: optionalText(body.readAt),
		externalMessageId: optionalText(body.externalMessageId ?? body.wamid),
		errorMessage: optionalText(body.errorMessage ?? body.error),
	};
}

export interface CancelCall {
	ids: string[];
	answer: unknown;
}

interface CallResult {
	cancelled: number | null;
	cancelledIds: string[] | null;
	notCancelled: Array<{ id: string; reason: string | null }> | null;
}

function idOf(entry: unknown): string | null {
	return isPlainObject(entry) ? optionalText(entry.id ?? entry.messageId) : optionalText(entry);
}

/** Lists (`cancelled: [ids]`, `failed: [{ id, reason }]`) or counts (`cancelled: 2, notFound: 0`). */
function readCancelAnswer({ ids, answer }: CancelCall): CallResult {
	const body = isPlainObject(answer) ? answer : {};
	const listed = body.cancelled ?? body.canceled;
	if (Array.isArray(listed)) {
		const cancelledIds = listed.map(idOf).filter((id): id is string => id !== null);
		const failed = Array.isArray(body.failed) ? body.failed : [];
		const notCancelled = failed
			.map((entry) => ({
				id: idOf(entry),
				reason: isPlainObject(entry)
					? optionalText(entry.reason ?? entry.error ?? entry.code)
					: null,
			}))
			.filter((entry): entry is { id: string; reason: string | null } => entry.id !== null);
		// IDs the answer names under neither list were not cancelled either.
		const named = new Set([...cancelledIds, ...notCancelled.map((entry) => entry.id)]);
		for (const id of ids) if (!named.has(id)) notCancelled.push({ id, reason: null });
		return { cancelled: cancelledIds.length, cancelledIds, notCancelled };
	}
	const count = typeof listed === 'number' && Number.isFinite(listed) ? listed : null;
	return { cancelled: count, cancelledIds: null, notCancelled: null };
}

/** Cancel's output for one item, over the calls its IDs took (100 per call). */
export function cancelOutput(calls: CancelCall[]): IDataObject {
	const results = calls.map(readCancelAnswer);
	const requested = calls.reduce((sum, call) => sum + call.ids.length, 0);
	const counted = results.every((result) => result.cancelled !== null);
	const listed = results.every((result) => result.cancelledIds !== null);
	const cancelled = counted
		? results.reduce((sum, result) => sum + (result.cancelled ?? 0), 0)
		: null;
	return {
		requested,
		cancelled,
		notCancelled: cancelled === null ? null : requested - cancelled,
		cancelledIds: listed ? results.flatMap((result) => result.cancelledIds ?? []) : null,
		notCancelledIds: listed ? results.flatMap((result) => result.notCancelled ?? []) : null,
		calls: calls.length,
	};
}
