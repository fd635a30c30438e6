'use strict';
// The life of a sent message (../shared/messaging-api.md §2.2, §11): QUEUED → SENT → DELIVERED →
// READ one step every `messageStepMs`, or FAILED with an errorMessage, or CANCELED. A scheduled
// message waits for its deliverAt; a message whose number is not OPEN waits in QUEUED. Each change
// posts message.sent|delivered|read|failed to the number's webhooks that subscribed.
const crypto = require('node:crypto');
const { deliverPayload } = require('./webhooks');
const { later } = require('./messaging-state');
const { customerSaw, insideWindow, providerMessageId } = require('./inbound');

const FINAL = new Set(['READ', 'FAILED', 'CANCELED']);
const STATUS_EVENTS = {
	SENT: 'message.sent',
	DELIVERED: 'message.delivered',
	READ: 'message.read',
	FAILED: 'message.failed',
};
const STAMPS = { SENT: 'sentAt', DELIVERED: 'deliveredAt', READ: 'readAt', CANCELED: 'canceledAt' };
const NEXT = { QUEUED: 'SENT', SENT: 'DELIVERED', DELIVERED: 'READ' };

/** Why the provider would refuse this message, or null: the asynchronous failures of §2.1/§2.5. */
function failureOf(store, number, message) {
	if (message.destinationKind === 'phone') {
		const digits = message.to.replace(/^\+/, '');
		if (store.settings.notOnWhatsApp.includes(digits)) return 'WHATSAPP_NOT_EXIST';
		// Meta: anything but an approved template needs the contact's 24-hour window.
		if (
			number.provider === 'META' &&
			message.mode !== 'template' &&
			!insideWindow(store, number.id, digits)
		)
			return 'META_OUTSIDE_24H_WINDOW';
	}
	if (message.mode === 'template' && !message.templateSendable) return 'META_TEMPLATE_NOT_APPROVED';
	return null;
}

function statusEvent(number, message) {
	const createdAt = new Date().toISOString();
	return {
		event: STATUS_EVENTS[message.status],
		data: {
			id: `evt_${crypto.randomBytes(8).toString('hex')}`,
			internalMessageId: message.id,
			messageId: message.externalMessageId,
			correlationId: message.correlationId,
			numberId: number.id,
			from: `+${number.number}`,
			to: message.to,
			status: message.status,
			...(message.status === 'FAILED' ? { errorMessage: message.errorMessage } : {}),
			createdAt,
		},
		createdAt,
	};
}

/** Some providers echo the number's own messages as inbound events with fromMe: true. */
function echoEvent(number, message) {
	const createdAt = new Date().toISOString();
	return {
		event: 'message.received',
		data: {
			id: `cm${crypto.randomBytes(12).toString('hex')}`,
			from: `+${number.number}`,
			to: message.to,
			numberId: number.id,
			messageId: message.externalMessageId,
			type: message.mode === 'media' ? message.mediaType : 'text',
			fromMe: true,
			content: message.text ?? '',
			participantName: number.name,
			createdAt,
		},
		createdAt,
	};
}

async function publish(store, number, payload) {
	const { deliveries } = await deliverPayload(
		store,
		number,
		payload,
		store.settings.messageEventRepeat,
	);
	return deliveries;
}

/**
 * Moves `message` to `status` now (the clock, or POST /__sandbox/messages/:id/status) and delivers
 * its event; a message that reaches SENT gets its provider id and meets its scripted customer.
 */
async function moveTo(store, message, status, errorMessage = null) {
	const number = store.numbers.get(message.numberId);
	message.status = status;
	const stamp = new Date().toISOString();
	if (STAMPS[status]) message[STAMPS[status]] = stamp;
	if (status === 'READ' && !message.deliveredAt) message.deliveredAt = stamp;
	if (status === 'FAILED') message.errorMessage = errorMessage ?? 'DELIVERY_TIMEOUT';
	if (status === 'SENT' && number && !message.externalMessageId)
		message.externalMessageId = providerMessageId(number);
	if (!number || !STATUS_EVENTS[status]) return [];
	const deliveries = await publish(store, number, statusEvent(number, message));
	if (status === 'SENT') {
		if (store.settings.echoOwnMessages)
			deliveries.push(...(await publish(store, number, echoEvent(number, message))));
		customerSaw(store, number, message);
	}
	return deliveries;
}

/** One tick of the clock for `message`: the next status, a failure, or another wait. */
async function advance(store, message) {
	if (FINAL.has(message.status) || store.messaging.messages.get(message.id) !== message) return;
	if (message.status === 'QUEUED') {
		if (message.deliverAt && Date.parse(message.deliverAt) > Date.now())
			return plan(store, message);
		const number = store.numbers.get(message.numberId);
		if (!number) return moveTo(store, message, 'FAILED', 'NUMBER_NOT_FOUND_REMOVED');
		if (number.state !== 'OPEN') return plan(store, message);
		const failure = failureOf(store, number, message);
		if (failure) return moveTo(store, message, 'FAILED', failure);
	}
	if (message.status === 'DELIVERED' && !store.settings.readReceipts) return;
	await moveTo(store, message, NEXT[message.status]);
	plan(store, message);
}

/** Schedules the message's next tick (none while the clock is stopped or the message is done). */
function plan(store, message) {
	clearTimeout(message.timer);
	const step = store.settings.messageStepMs;
	if (step === null || FINAL.has(message.status)) return;
	if (message.status === 'DELIVERED' && !store.settings.readReceipts) return;
	const untilDue =
		message.status === 'QUEUED' && message.deliverAt
			? Date.parse(message.deliverAt) - Date.now()
			: 0;
	const timer = later(store, Math.max(untilDue, step), () => advance(store, message));
	Object.defineProperty(message, 'timer', { value: timer, writable: true, configurable: true });
}

/** Cancels a still-scheduled message; returns null when done, else why it cannot be cancelled. */
function cancel(message) {
	if (message.status !== 'QUEUED' || !message.deliverAt)
		return `Message is not scheduled (status ${message.status})`;
	if (Date.parse(message.deliverAt) <= Date.now()) return 'Message is already being sent';
	clearTimeout(message.timer);
	message.status = 'CANCELED';
	message.canceledAt = new Date().toISOString();
	return null;
}

module.exports = { plan, moveTo, cancel, FINAL };
