'use strict';
// The messaging endpoints (../shared/messaging-api.md §1–§3, §6): send, status, cancel, templates
// and inbound media download, all number-scoped, and their /__sandbox controls. Which key may call
// them is the `messageKeyScope` variant (§1 [C]); the other contradictions are variants too
// (messaging-state.js). api.js and control.js register these tables.
const crypto = require('node:crypto');
const { ApiError } = require('./store');
const { readSend } = require('./send-rules');
const { plan, moveTo, cancel } = require('./message-clock');
const { templatesOf, findTemplate } = require('./templates');
const { deliverInbound, scriptCustomer, downloadMedia } = require('./inbound');

const MAX_CANCEL = 100;
const STATUSES = ['QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'CANCELED'];

/**
 * The number a messaging request acts for. numberKey (documented): the key's own number; a tenant
 * key is refused. tenantWithHeader (SDK 1.14): a tenant key may name the number in
 * x-whatsapp-number-id. A number-scoped key ignores the header in both readings.
 */
function senderOf(store, caller, headers) {
	if (caller.scope === 'number') return store.getNumber(caller.numberId);
	const named = String(headers['x-whatsapp-number-id'] ?? '').trim();
	if (store.variants.messageKeyScope !== 'tenantWithHeader' || !named)
		throw new ApiError(
			403,
			'This endpoint requires a number-scoped API key',
			'TENANT_SCOPE_NOT_ALLOWED',
		);
	const number = store.numbers.get(named);
	if (!number) throw new ApiError(404, 'Number not found', 'NUMBER_NOT_FOUND');
	return number;
}

/** Wraps a handler so it receives the sending number after the key rule was applied. */
const forNumber = (handler) => (context) =>
	handler({
		...context,
		number: senderOf(context.store, context.caller, context.headers),
	});

function recordMessage(store, number, caller, { destination, content, deliverAt, labels }) {
	const message = {
		id: store.nextId('msg'),
		correlationId: `corr_${crypto.randomBytes(8).toString('hex')}`,
		numberId: number.id,
		status: 'QUEUED',
		destinationKind: destination.kind,
		to: destination.to,
		mode: content.mode,
		template: content.template?.name ?? null,
		templateId: content.template?.id ?? null,
		templateSendable: content.template?.sendable ?? null,
		variables: content.variables ?? null,
		text: content.text ?? null,
		buttons: content.buttons ?? null,
		header: content.header ?? null,
		footer: content.footer ?? null,
		media: content.media ?? null,
		mediaType: content.mediaType ?? null,
		mediaIsBase64: content.mediaIsBase64 ?? null,
		mediaBytes: content.mediaBytes ?? null,
		caption: content.caption ?? null,
		deliverAt,
		labels,
		createdAt: new Date().toISOString(),
		sentAt: null,
		deliveredAt: null,
		readAt: null,
		canceledAt: null,
		externalMessageId: null,
		errorMessage: null,
		origin: number.name,
		sourceNumber: number.number,
		keyScope: caller.scope,
	};
	store.messaging.messages.set(message.id, message);
	plan(store, message);
	return message;
}

/** A message of `number` by internal id, correlationId or provider id; 404 outside its scope. */
function findMessage(store, number, reference) {
	const found = [...store.messaging.messages.values()].find(
		(message) =>
			message.numberId === number.id &&
			[message.id, message.correlationId, message.externalMessageId].includes(reference),
	);
	if (!found) throw new ApiError(404, 'Message not found');
	return found;
}

function statusBody(store, message) {
	const body = {
		id: message.id,
		status: message.status,
		correlationId: message.correlationId,
		destinationNumber: message.destinationKind === 'phone' ? message.to : null,
		template: message.template,
		createdAt: message.createdAt,
		sentAt: message.sentAt,
		deliveredAt: message.deliveredAt,
		readAt: message.readAt,
		externalMessageId: message.externalMessageId,
		errorMessage: message.errorMessage,
	};
	if (store.variants.messageStatusShape === 'rendered') {
		delete body.deliveredAt;
		delete body.externalMessageId;
	}
	return body;
}

function readCancelIds(body) {
	const ids = body?.messageIds;
	const ok =
		Array.isArray(ids) &&
		ids.length >= 1 &&
		ids.length <= MAX_CANCEL &&
		ids.every((id) => typeof id === 'string' && id !== '');
	if (!ok)
		throw new ApiError(
			400,
			`Validation error: messageIds must list 1 to ${MAX_CANCEL} message ids`,
		);
	return ids;
}

function cancelMessages(store, number, ids) {
	const cancelled = [];
	const failed = [];
	for (const id of ids) {
		const message = [...store.messaging.messages.values()].find(
			(candidate) =>
				candidate.numberId === number.id && (candidate.id === id || candidate.correlationId === id),
		);
		const reason = message ? cancel(message) : 'Message not found';
		if (reason) failed.push({ id, reason });
		else cancelled.push(id);
	}
	return store.variants.cancelShape === 'counts'
		? { cancelled: cancelled.length, notFound: failed.length }
		: { cancelled, failed };
}

const messageRoutes = [
	[
		'POST',
		'/v1/messages/send',
		'any',
		forNumber(({ store, number, caller, body }) => {
			const message = recordMessage(store, number, caller, readSend(store, number, body));
			return {
				status: 202,
				body: {
					id: message.id,
					correlationId: message.correlationId,
					status: message.status,
					createdAt: message.createdAt,
					origin: message.origin,
					sourceNumber: message.sourceNumber,
				},
			};
		}),
	],
	[
		'DELETE',
		'/v1/messages/cancel',
		'any',
		forNumber(({ store, number, body }) => ({
			body: cancelMessages(store, number, readCancelIds(body)),
		})),
	],
	[
		'GET',
		'/v1/messages/:id',
		'any',
		forNumber(({ store, number, params }) => ({
			body: statusBody(store, findMessage(store, number, params.id)),
		})),
	],
	[
		'GET',
		'/v1/templates',
		'any',
		forNumber(({ store, number }) => {
			const templates = templatesOf(number);
			return {
				body: store.variants.templateListShape === 'wrapped' ? { templates } : templates,
			};
		}),
	],
	[
		'GET',
		'/v1/templates/:id',
		'any',
		forNumber(({ number, params }) => ({ body: findTemplate(number, params.id) })),
	],
	[
		'GET',
		'/v1/media/:mediaId',
		'any',
		forNumber(({ store, number, params, query }) => ({
			body: downloadMedia(store, number, params.mediaId, query.get('phoneNumberId')),
		})),
	],
];

/** PUT /__sandbox/numbers/:id: what kind of number it is, for the Meta and media rules. */
function configureNumber(store, record, body) {
	const allowed = ['provider', 'base64Media', 'metaPhoneId', 'metaGroupsEligible'];
	const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
	if (unknown.length) throw new ApiError(400, `Unknown number setting(s): ${unknown.join(', ')}`);
	if ('provider' in body && !['PILOT_STATUS', 'META'].includes(body.provider))
		throw new ApiError(400, "provider must be 'PILOT_STATUS' or 'META'");
	if ('base64Media' in body && ![null, 'accepted', 'urlOnly'].includes(body.base64Media))
		throw new ApiError(
			400,
			"base64Media must be null (the variant decides), 'accepted' or 'urlOnly'",
		);
	Object.assign(record, body);
	if (record.provider === 'META' && !record.metaPhoneId) record.metaPhoneId = `1${record.number}`;
	return {
		id: record.id,
		provider: record.provider,
		base64Media: record.base64Media ?? null,
		metaPhoneId: record.metaPhoneId ?? null,
		metaGroupsEligible: Boolean(record.metaGroupsEligible),
	};
}

const messagingControlRoutes = [
	[
		'GET',
		'/__sandbox/messages',
		({ store }) => ({
			body: {
				messages: [...store.messaging.messages.values()],
				inbound: store.messaging.inbound,
				customers: Object.fromEntries(store.messaging.customers),
				errors: store.messaging.errors,
			},
		}),
	],
	[
		'POST',
		'/__sandbox/messages/:id/status',
		async ({ store, params, body }) => {
			const message = store.messaging.messages.get(params.id);
			if (!message) throw new ApiError(404, 'Message not found');
			if (!STATUSES.includes(body.status))
				throw new ApiError(400, `status must be one of ${STATUSES.join(', ')}`);
			const deliveries = await moveTo(store, message, body.status, body.errorMessage);
			plan(store, message);
			return { body: { message, deliveries } };
		},
	],
	[
		'PUT',
		'/__sandbox/numbers/:id',
		({ store, params, body }) => ({
			body: configureNumber(store, store.getNumber(params.id), body),
		}),
	],
	[
		'POST',
		'/__sandbox/numbers/:id/inbound',
		async ({ store, params, body }) => ({
			body: await deliverInbound(store, store.getNumber(params.id), body),
		}),
	],
	[
		'POST',
		'/__sandbox/customers/:phone',
		({ store, params, body }) => ({ body: scriptCustomer(store, params.phone, body) }),
	],
	[
		'GET',
		'/__sandbox/files/:id/:name',
		({ store, params }) => {
			const file = store.messaging.files.get(params.id);
			if (!file) throw new ApiError(404, 'File not found');
			return { raw: { contentType: file.mimeType, bytes: file.bytes } };
		},
	],
];

module.exports = { messageRoutes, messagingControlRoutes, forNumber };
