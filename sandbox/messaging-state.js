'use strict';
// What the messaging side of the sandbox keeps between requests (sent messages, scripted
// customers, inbound media, the 24-hour windows of Meta numbers), its settings and the documented
// contradictions it can play ([C] in ../shared/messaging-api.md). Reset with the rest of the store.
const { ApiError } = require('./store');

/** Every messaging variant and the values it takes; the first value is the default. */
const MESSAGING_VARIANTS = Object.freeze({
	// Which key may send (§1 [C]): a number-scoped key only (OV, AU, BP, SEND-P), or also the tenant
	// key naming the number in x-whatsapp-number-id (Python SDK 1.14, check-number page).
	messageKeyScope: ['numberKey', 'tenantWithHeader'],
	// destinationNumber (§2.1 [C]): with or without +, or a BSUID (SEND-P); or E.164 with + only (SEND-R).
	destinationFormat: ['plusOptional', 'plusRequired'],
	// Template reference (§2.1 [C]): templateId (id or name) or templateName (LBL); or only one of them.
	templateReference: ['either', 'templateId', 'templateName'],
	// `variables` (§2.1 [C]): an object (SEND-R) or a string holding JSON (SEND-P); or only one of them.
	variablesType: ['either', 'object', 'string'],
	// base64 data URIs in `media` on non-Meta numbers (§2.1 [C]): accepted (SEND-R: Evolution v2) or
	// URL only (SEND-OLD). Meta numbers always accept them; PUT /__sandbox/numbers/:id overrides one number.
	base64Media: ['accepted', 'urlOnly'],
	// groupId on a Meta number (§2.1 [C]): NOT_SUPPORTED_FOR_META (SEND-P), or allowed for an eligible
	// Official Business Account, else META_GROUPS_NOT_ELIGIBLE (GRP).
	metaGroups: ['notSupported', 'obaEligible'],
	// A send from a number that is not OPEN: accepted and QUEUED until it is (LEC: "QUEUED up to 7
	// days when the instance is offline"), or 409 WHATSAPP_INSTANCE_NOT_CONNECTED as groups and
	// check-number answer (inferred; not documented for send).
	sendWhenDisconnected: ['queue', 'reject'],
	// GET /v1/messages/{id} (§2.2 [C]): the .md example (with deliveredAt, externalMessageId) or the
	// rendered one (without).
	messageStatusShape: ['md', 'rendered'],
	// DELETE /v1/messages/cancel (§2.3 [C]): lists {cancelled: [ids], failed: [{id, reason}]} (rendered
	// page) or counts {cancelled: n, notFound: n} (playground).
	cancelShape: ['lists', 'counts'],
	// GET /v1/templates: a bare array, or {templates: [...]} (the docs show only the item).
	templateListShape: ['array', 'wrapped'],
	// quotedMessageId of a reply (§14.8 open): the provider messageId of our message (RCV) or its
	// internal id.
	quotedMessageId: ['provider', 'internal'],
});

const DEFAULT_MESSAGING_VARIANTS = Object.freeze(
	Object.fromEntries(Object.entries(MESSAGING_VARIANTS).map(([name, values]) => [name, values[0]])),
);

const DEFAULT_MESSAGING_SETTINGS = Object.freeze({
	// ms between lifecycle steps (QUEUED → SENT → DELIVERED → READ); null stops the clock (messages
	// move only by POST /__sandbox/messages/:id/status).
	messageStepMs: 100,
	// false: recipients have read receipts off, the lifecycle stops at DELIVERED (no message.read).
	readReceipts: true,
	// 'free': media sends answer 402 SUBSCRIPTION_REQUIRED_FOR_MEDIA.
	plan: 'paid',
	// true: the number's own outgoing messages also arrive as message.received with fromMe: true.
	echoOwnMessages: false,
	// Each message event is posted this many times with the same data.id (the service's retries).
	messageEventRepeat: 1,
	// Destinations (digits) that are not on WhatsApp: sends to them fail with WHATSAPP_NOT_EXIST.
	notOnWhatsApp: ['5511900000000'],
});

const MAX_STEP_MS = 60 * 60 * 1000;

const SETTING_CHECKS = {
	messageStepMs: (value) =>
		value === null || (Number.isInteger(value) && value >= 0 && value <= MAX_STEP_MS)
			? null
			: `null or an integer from 0 to ${MAX_STEP_MS}`,
	readReceipts: (value) => (typeof value === 'boolean' ? null : 'true or false'),
	plan: (value) => (value === 'paid' || value === 'free' ? null : "'paid' or 'free'"),
	echoOwnMessages: (value) => (typeof value === 'boolean' ? null : 'true or false'),
	messageEventRepeat: (value) =>
		Number.isInteger(value) && value >= 1 && value <= 5 ? null : 'an integer from 1 to 5',
	notOnWhatsApp: (value) =>
		Array.isArray(value) && value.every((phone) => typeof phone === 'string')
			? null
			: 'an array of phone numbers',
};

/** Refuses a messaging setting or variant with a value it cannot play; returns `body` unchanged. */
function checkMessagingSettings(body) {
	for (const [name, check] of Object.entries(SETTING_CHECKS)) {
		if (!body || !(name in body)) continue;
		const problem = check(body[name]);
		if (problem) throw new ApiError(400, `${name} must be ${problem}`);
	}
	if (body && Array.isArray(body.notOnWhatsApp))
		body.notOnWhatsApp = body.notOnWhatsApp.map((phone) => phone.replace(/\D/g, ''));
	return body;
}

function checkMessagingVariants(body) {
	for (const [name, values] of Object.entries(MESSAGING_VARIANTS)) {
		if (body && name in body && !values.includes(body[name]))
			throw new ApiError(400, `${name} must be one of ${values.join(', ')}`);
	}
	return body;
}

/** Drops the previous state (its pending timers too) and starts empty with the default switches. */
function resetMessaging(store) {
	const previous = store.messaging;
	if (previous) {
		previous.closed = true;
		for (const timer of previous.timers) clearTimeout(timer);
	}
	Object.assign(store.variants, DEFAULT_MESSAGING_VARIANTS);
	Object.assign(store.settings, structuredClone(DEFAULT_MESSAGING_SETTINGS));
	store.messaging = {
		closed: false,
		timers: new Set(),
		/** id → message, in the order they were accepted (every accepted send, exactly once). */
		messages: new Map(),
		/** phone digits → replies still to come, oldest first. */
		customers: new Map(),
		/** Inbound messages injected or replied, oldest first. */
		inbound: [],
		/** mediaId → inbound media of a Meta number, for GET /v1/media/{mediaId}. */
		media: new Map(),
		/** file id → bytes the sandbox serves for mediaLink. */
		files: new Map(),
		/** `${numberId}|${digits}` → when the contact last wrote (Meta's 24-hour window). */
		lastInbound: new Map(),
		/** Errors of background work (deliveries, clock), for GET /__sandbox/messages. */
		errors: [],
	};
}

/**
 * Runs `work` after `delayMs` unless the state was reset meanwhile; a pending step never keeps a
 * stopping sandbox alive.
 */
function later(store, delayMs, work) {
	const state = store.messaging;
	const timer = setTimeout(
		() => {
			state.timers.delete(timer);
			if (state.closed) return;
			Promise.resolve()
				.then(work)
				.catch((error) => state.errors.push(String(error?.message ?? error)));
		},
		Math.min(Math.max(0, delayMs), 2 ** 31 - 1),
	);
	timer.unref?.();
	state.timers.add(timer);
	return timer;
}

module.exports = {
	MESSAGING_VARIANTS,
	DEFAULT_MESSAGING_VARIANTS,
	DEFAULT_MESSAGING_SETTINGS,
	checkMessagingSettings,
	checkMessagingVariants,
	resetMessaging,
	later,
};
