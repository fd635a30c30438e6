'use strict';
// The contacts' side (../shared/messaging-api.md §6, §11): inbound messages as message.received,
// message.reply, message.group or message.newsletter events, media the sandbox serves itself
// (mediaLink) or keeps for GET /v1/media/{mediaId} on Meta numbers, and scripted customers who
// answer the next message sent to them. A contact who writes opens a Meta number's 24-hour window.
const crypto = require('node:crypto');
const { ApiError } = require('./store');
const { deliverPayload } = require('./webhooks');
const { later } = require('./messaging-state');

const INBOUND_EVENTS = ['message.received', 'message.reply', 'message.group', 'message.newsletter'];
const INBOUND_MEDIA = {
	image: { mimeType: 'image/png', fileName: 'photo.png' },
	video: { mimeType: 'video/mp4', fileName: 'video.mp4' },
	audio: { mimeType: 'audio/ogg', fileName: 'audio.ogg' },
	document: { mimeType: 'application/pdf', fileName: 'document.pdf' },
	sticker: { mimeType: 'image/webp', fileName: 'sticker.webp' },
};
// A 1×1 PNG, so an image a node downloads is a real one.
const TINY_PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const DAY_MS = 24 * 60 * 60 * 1000;

const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');
const invalid = (message) => new ApiError(400, `Validation error: ${message}`);

/** A provider message id in the number's style: a Meta wamid or a Baileys key.id. */
function providerMessageId(number) {
	return number.provider === 'META'
		? `wamid.HBgM${crypto.randomBytes(18).toString('base64url')}`
		: `3EB0${hex(8).toUpperCase()}`;
}

function windowKey(numberId, digits) {
	return `${numberId}|${digits}`;
}

/** Whether the contact wrote to the number in the last 24 hours (Meta's customer-service window). */
function insideWindow(store, numberId, digits) {
	const last = store.messaging.lastInbound.get(windowKey(numberId, digits));
	return last !== undefined && Date.now() - last < DAY_MS;
}

function defaultBytes(type) {
	if (type === 'image') return Buffer.from(TINY_PNG, 'base64');
	if (type === 'document') return Buffer.from('%PDF-1.4\n% sandbox document\n%%EOF\n');
	return Buffer.from(`sandbox ${type}`);
}

/** Stores the media of an inbound message: a file served at mediaLink, and a mediaId on Meta. */
function storeMedia(store, number, media) {
	const type = media.type ?? 'image';
	if (!INBOUND_MEDIA[type])
		throw invalid(`media.type must be one of ${Object.keys(INBOUND_MEDIA).join(', ')}`);
	const defaults = INBOUND_MEDIA[type];
	const mimeType = media.mimeType ?? defaults.mimeType;
	const fileName = media.fileName ?? defaults.fileName;
	const bytes = media.base64 ? Buffer.from(media.base64, 'base64') : defaultBytes(type);
	const fileId = `file_${hex(8)}`;
	store.messaging.files.set(fileId, { bytes, mimeType, fileName });
	const fields = {
		mediaLink: `${store.publicUrl()}/__sandbox/files/${fileId}/${encodeURIComponent(fileName)}`,
		mediaType: type,
		mediaCaption: media.caption ?? null,
		mediaFilename: fileName,
	};
	if (number.provider !== 'META') return fields;
	const mediaId = `${hex(8)}_media_id`;
	store.messaging.media.set(mediaId, { numberId: number.id, bytes, mimeType, fileName });
	return { ...fields, mediaId, phoneNumberId: number.metaPhoneId };
}

const SMALL_COUNT = (value) => Number.isInteger(value) && value >= 0 && value <= 3;

/**
 * How the service's retries play out for one message (sandbox/webhooks.js deliverWithRetries):
 * `lostAnswers` and `concurrentCopies` 0 to 3, `retryAfterMs` 0 to 60000, `origins` the n8n
 * webhook processes behind a load balancer (http origins).
 */
function checkedDelivery(delivery) {
	if (typeof delivery !== 'object' || delivery === null || Array.isArray(delivery))
		throw invalid('delivery must be an object');
	const { origins = [], lostAnswers = 0, concurrentCopies = 0, retryAfterMs = 1000 } = delivery;
	if (!SMALL_COUNT(lostAnswers))
		throw invalid('delivery.lostAnswers must be an integer from 0 to 3');
	if (!SMALL_COUNT(concurrentCopies))
		throw invalid('delivery.concurrentCopies must be an integer from 0 to 3');
	if (!Number.isInteger(retryAfterMs) || retryAfterMs < 0 || retryAfterMs > 60_000)
		throw invalid('delivery.retryAfterMs must be an integer from 0 to 60000');
	const isOrigin = (origin) => typeof origin === 'string' && /^https?:\/\/[^/?#]+\/?$/.test(origin);
	if (!Array.isArray(origins) || !origins.every(isOrigin))
		throw invalid('delivery.origins must be a list of http origins (http://host:port)');
	return { origins, lostAnswers, concurrentCopies, retryAfterMs };
}

/**
 * Delivers one inbound message to the number's webhooks, as the documented payload:
 * {event, data: {from, to, numberId, messageId, id, type, fromMe, content, participantName, createdAt}}.
 * `spec.delivery` plays the service's retries of this one delivery (checkedDelivery).
 */
async function deliverInbound(store, number, spec) {
	const from = String(spec.from ?? '').replace(/^\+/, '');
	if (!/^\d{10,15}$/.test(from)) throw invalid('from must be the contact in E.164 (+5511…)');
	const event = spec.event ?? (spec.quotedMessageId ? 'message.reply' : 'message.received');
	if (!INBOUND_EVENTS.includes(event))
		throw invalid(`event must be one of ${INBOUND_EVENTS.join(', ')}`);
	const media = spec.media ? storeMedia(store, number, spec.media) : null;
	const createdAt = new Date().toISOString();
	const data = {
		id: `cm${hex(12)}`,
		from: `+${from}`,
		to: `+${number.number}`,
		numberId: number.id,
		messageId: spec.messageId ?? providerMessageId(number),
		type: media ? media.mediaType : (spec.type ?? 'text'),
		fromMe: false,
		content: spec.text ?? media?.mediaCaption ?? '',
		participantName: spec.participantName ?? 'Cliente Sandbox',
		...(spec.quotedMessageId ? { quotedMessageId: spec.quotedMessageId } : {}),
		...(media ?? {}),
		...(spec.extra ?? {}),
		createdAt,
	};
	store.messaging.lastInbound.set(windowKey(number.id, from), Date.now());
	const payload = { event, data, createdAt };
	store.messaging.inbound.push(payload);
	const { deliveries } = await deliverPayload(
		store,
		number,
		payload,
		store.settings.messageEventRepeat,
		spec.delivery === undefined ? undefined : checkedDelivery(spec.delivery),
	);
	return { event: payload, deliveries: deliveries.map(({ payload: _, ...rest }) => rest) };
}

/** Queues replies: each answers the next message that reaches `phone` (any of our numbers). */
function scriptCustomer(store, phone, script) {
	const digits = String(phone).replace(/^\+/, '');
	if (!/^\d{10,15}$/.test(digits)) throw invalid('the customer phone must be E.164 (+5511…)');
	const replies = (Array.isArray(script) ? script : [script]).map((reply) => {
		if (!reply || typeof reply !== 'object') throw invalid('a reply must be an object');
		if (reply.text === undefined && !reply.media) throw invalid('a reply needs text or media');
		const afterMs = reply.afterMs ?? 0;
		if (!Number.isInteger(afterMs) || afterMs < 0) throw invalid('afterMs must be ms (>= 0)');
		return { quote: true, ...reply, afterMs };
	});
	const queue = store.messaging.customers.get(digits) ?? [];
	queue.push(...replies);
	store.messaging.customers.set(digits, queue);
	return { phone: `+${digits}`, pending: queue };
}

/** Called when `message` reached its contact: the contact's next scripted reply, if any, follows. */
function customerSaw(store, number, message) {
	if (message.destinationKind !== 'phone') return;
	const digits = message.to.replace(/^\+/, '');
	const queue = store.messaging.customers.get(digits);
	if (!queue?.length) return;
	const { quote, afterMs, ...reply } = queue.shift();
	const quoted =
		store.variants.quotedMessageId === 'internal' ? message.id : message.externalMessageId;
	later(store, afterMs, () =>
		deliverInbound(store, number, {
			...reply,
			from: digits,
			...(quote ? { quotedMessageId: quoted } : {}),
		}),
	);
}

/** GET /v1/media/{mediaId}?phoneNumberId= for inbound media of the caller's Meta number. */
function downloadMedia(store, number, mediaId, phoneNumberId) {
	if (!phoneNumberId) throw invalid('phoneNumberId is required');
	if (number.provider !== 'META')
		throw new ApiError(400, 'This number has no metaAccessToken (not a Meta number)');
	const media = store.messaging.media.get(mediaId);
	if (!media || media.numberId !== number.id || phoneNumberId !== number.metaPhoneId)
		throw new ApiError(404, 'Media not found');
	return {
		base64: `data:${media.mimeType};base64,${media.bytes.toString('base64')}`,
		mimeType: media.mimeType,
		fileName: media.fileName,
		mediaId,
	};
}

module.exports = {
	deliverInbound,
	scriptCustomer,
	customerSaw,
	downloadMedia,
	insideWindow,
	providerMessageId,
};
