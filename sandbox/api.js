'use strict';
// The documented Pilot Status endpoints (see ../shared/pilot-status-api.md), each with the scope
// the docs give it: "tenant" needs the tenant key, "any" takes either key, "public" needs none.
// The messaging endpoints (messages.js) are "any" here and apply their own key rule.
const { ApiError } = require('./store');
const { deliverEvent } = require('./webhooks');
const { messageRoutes, forNumber } = require('./messages');
const { chatRoutes } = require('./chats');
const { numberToolRoutes } = require('./number-tools');
const { templateRoutes } = require('./template-routes');
const { accountRoutes } = require('./account');
const { callRoutes } = require('./calls');

const PHONE = /^\+?\d{10,15}$/;

function requireText(value, field) {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new ApiError(400, `Validation error: ${field} is required`);
	}
	return value.trim();
}

function requirePhone(value) {
	if (typeof value !== 'string' || !PHONE.test(value)) {
		throw new ApiError(
			400,
			'Validation error: number must have at least 10 digits and an optional +',
		);
	}
	return value;
}

function maskNumber(digits) {
	return `+${digits.slice(0, 6)}****${digits.slice(-4)}`;
}

function numberSummary(store, record) {
	const key = store.activeKeyOf(record.id);
	return {
		id: record.id,
		instanceName: `tenant-${record.number}`,
		number: record.number,
		name: record.name,
		provider: record.provider,
		apiKeys: key
			? [{ name: 'Default', keyPrefix: key.value.slice(0, 7), keyLast4: key.value.slice(-4) }]
			: [],
		state: store.stateName(record.state),
		isFullyConnected: record.state === 'OPEN',
		createdAt: record.createdAt,
		updatedAt: record.updatedAt,
	};
}

function numberDetail(store, record) {
	return {
		id: record.id,
		number: record.number,
		name: record.name,
		provider: record.provider,
		state: store.stateName(record.state),
		isFullyConnected: record.state === 'OPEN',
		createdAt: record.createdAt,
		updatedAt: record.updatedAt,
		health: {
			qualityRating: null,
			messagingLimitTier: null,
			metaStatus: null,
			sendable: record.state === 'OPEN',
		},
		meta: null,
	};
}

function statusBody(store, record) {
	const state = store.stateName(record.state);
	return store.variants.statusShape === 'stateAndFlag'
		? { state, isFullyConnected: record.state === 'OPEN' }
		: { id: record.id, state };
}

async function connectNumber(store, record) {
	store.setState(record, 'OPEN');
	return deliverEvent(store, record, 'number.connected');
}

function keyReveal(key, record) {
	return {
		numberId: record.id,
		number: record.number,
		displayName: record.name,
		keyId: key.id,
		keyLast4: key.value.slice(-4),
		key: key.revealable ? key.value : null,
		revealable: key.revealable,
	};
}

function webhookBody(webhook) {
	const { logs, ...visible } = webhook;
	return visible;
}

const routes = [
	// --- numbers ------------------------------------------------------------------------------
	[
		'GET',
		'/v1/numbers',
		'tenant',
		({ store }) => ({
			body: [...store.numbers.values()].map((record) => numberSummary(store, record)),
		}),
	],
	[
		'POST',
		'/v1/numbers',
		'tenant',
		async ({ store, body }) => {
			const name = requireText(body.name, 'name');
			const number = requirePhone(body.number);
			const record = await store.createNumber({ name, number });
			const pairing = await store.startPairing(record);
			const instance = {
				id: record.id,
				number: record.number,
				name: record.name,
				provider: record.provider,
				[store.variants.createStateField]: 'CONNECTING',
				isFullyConnected: false,
			};
			await deliverEvent(store, record, 'number.created');
			return { status: 201, body: { instance, ...pairing, linkedApiKeyId: null } };
		},
	],
	[
		'POST',
		'/v1/numbers/remote-pairing',
		'tenant',
		async ({ store, body, publicUrl }) => {
			if ((body.provider ?? 'PILOT_STATUS') !== 'PILOT_STATUS') {
				throw new ApiError(400, 'Validation error: the sandbox only pairs PILOT_STATUS numbers');
			}
			const name = requireText(body.name, 'name');
			const number = requirePhone(body.number);
			const record = await store.createNumber({ name, number });
			store.setState(record, 'CLOSE');
			const token = store.createPairingToken(record.id);
			const remotePairingUrl = `${publicUrl}/connect/${token}`;
			if (store.variants.remotePairingShape === 'playground') {
				return {
					status: 201,
					body: {
						provider: 'PILOT_STATUS',
						remotePairingToken: token,
						remotePairingUrl,
						numberId: record.id,
					},
				};
			}
			const message = body.sendViaWhatsApp
				? { messageSent: false, messageError: 'Template pilot_status_remote_pairing not found' }
				: { messageSent: false };
			return {
				status: 201,
				body: {
					instance: {
						id: record.id,
						instanceName: `tenant-${record.number}`,
						number: record.number,
						name: record.name,
						state: store.stateName(record.state),
					},
					remotePairingUrl,
					maskedNumber: maskNumber(record.number),
					...message,
				},
			};
		},
	],
	[
		'GET',
		'/v1/numbers/:id',
		'tenant',
		({ store, params }) => ({
			body: numberDetail(store, store.getNumber(params.id)),
		}),
	],
	[
		'GET',
		'/v1/numbers/:id/status',
		'tenant',
		async ({ store, params }) => {
			const record = store.getNumber(params.id);
			if (store.pollStatus(record)) await connectNumber(store, record);
			return { body: statusBody(store, record) };
		},
	],
	[
		'GET',
		'/v1/numbers/:id/connect',
		'tenant',
		async ({ store, params }) => ({
			body: await store.startPairing(store.getNumber(params.id)),
		}),
	],
	[
		'DELETE',
		'/v1/numbers/:id',
		'tenant',
		async ({ store, params }) => {
			const record = store.getNumber(params.id);
			await deliverEvent(store, record, 'number.removed');
			store.removeNumber(record);
			return { body: { ok: true } };
		},
	],

	// --- remote pairing (public: the token is the credential) ----------------------------------
	[
		'GET',
		'/v1/remote-pairing/:token',
		'public',
		({ store, params }) => {
			const record = store.numberForToken(params.token);
			return {
				body: {
					valid: true,
					name: record.name,
					number: record.number,
					state: store.stateName(record.state),
				},
			};
		},
	],
	[
		'POST',
		'/v1/remote-pairing/:token/connect',
		'public',
		async ({ store, params }) => ({
			body: await store.startPairing(store.numberForToken(params.token)),
		}),
	],
	[
		'GET',
		'/v1/remote-pairing/:token/status',
		'public',
		async ({ store, params }) => {
			const record = store.numberForToken(params.token);
			if (store.pollStatus(record)) await connectNumber(store, record);
			return {
				body: { state: store.stateName(record.state), isFullyConnected: record.state === 'OPEN' },
			};
		},
	],

	// --- API keys ------------------------------------------------------------------------------
	[
		'GET',
		'/v1/api-keys',
		'tenant',
		({ store }) => ({
			body: [...store.numbers.values()].flatMap((record) => {
				const key = store.activeKeyOf(record.id);
				return key ? [keyReveal(key, record)] : [];
			}),
		}),
	],
	[
		'POST',
		'/v1/api-keys',
		'tenant',
		({ store, body }) => {
			const numberId = requireText(body.whatsappNumberId, 'whatsappNumberId');
			const record = store.numbers.get(numberId);
			if (!record) throw new ApiError(404, 'Number not found', 'NUMBER_NOT_FOUND');
			const current = store.activeKeyOf(numberId);
			const fresh = current
				? store.rotate(current)
				: store.addKey({
						id: store.nextId('key'),
						value: `ps_sbx_${Date.now()}`,
						scope: 'number',
						numberId,
						revealable: true,
					});
			return {
				body: {
					numberId,
					keyId: fresh.id,
					keyPrefix: 'ps_',
					keyLast4: fresh.value.slice(-4),
					key: fresh.value,
					createdAt: fresh.createdAt,
				},
			};
		},
	],
	[
		'POST',
		'/v1/api-keys/regenerate',
		'any',
		({ store, caller }) => {
			const fresh = store.rotate(caller);
			return {
				status: 201,
				body: {
					id: fresh.id,
					name: fresh.scope === 'tenant' ? 'Tenant' : 'Default',
					key: fresh.value,
					keyPrefix: fresh.value.slice(0, 7),
					keyLast4: fresh.value.slice(-4),
					scope: fresh.scope,
					whatsappNumberId: fresh.numberId,
					createdAt: fresh.createdAt,
				},
			};
		},
	],

	// --- webhooks ------------------------------------------------------------------------------
	[
		'GET',
		'/v1/webhooks',
		'any',
		({ store, caller }) => ({
			body: [...store.webhooks.values()]
				.filter((webhook) => store.callerSeesWebhook(caller, webhook))
				.map(webhookBody),
		}),
	],
	[
		'POST',
		'/v1/webhooks',
		'any',
		({ store, caller, body, headers }) => {
			const url = requireText(body.url, 'url');
			if (!/^https?:\/\//i.test(url))
				throw new ApiError(400, 'Validation error: url must be an http(s) URL');
			const requested = body.whatsappNumberId ?? headers['x-whatsapp-number-id'];
			let numberId = requested;
			if (caller.scope === 'number') {
				if (requested && requested !== caller.numberId) {
					throw new ApiError(400, 'whatsappNumberId does not match the key', 'NUMBER_MISMATCH');
				}
				numberId = caller.numberId;
			}
			if (!numberId)
				throw new ApiError(400, 'A webhook needs exactly one number', 'NUMBER_REQUIRED');
			if (!store.numbers.has(numberId))
				throw new ApiError(404, 'Number not found', 'NUMBER_NOT_FOUND');
			if (body.events !== undefined && !Array.isArray(body.events)) {
				throw new ApiError(400, 'Validation error: events must be an array');
			}
			const webhook = store.createWebhook({ url, name: body.name, events: body.events, numberId });
			return { status: 201, body: webhookBody(webhook) };
		},
	],
	[
		'GET',
		'/v1/webhooks/:id',
		'any',
		({ store, params, caller }) => ({
			body: webhookBody(store.getWebhook(params.id, caller)),
		}),
	],
	[
		'PATCH',
		'/v1/webhooks/:id',
		'any',
		({ store, params, caller, body }) => {
			const webhook = store.getWebhook(params.id, caller);
			for (const field of ['name', 'url', 'active', 'events']) {
				if (body[field] !== undefined) webhook[field] = body[field];
			}
			webhook.updatedAt = new Date().toISOString();
			const { apiKeys, lastTriggered, whatsappNumberIds, whatsappInstanceIds, ...patched } =
				webhookBody(webhook);
			return { body: patched };
		},
	],
	[
		'DELETE',
		'/v1/webhooks/:id',
		'any',
		({ store, params, caller }) => {
			store.getWebhook(params.id, caller);
			store.webhooks.delete(params.id);
			return { body: { ok: true } };
		},
	],
	[
		'GET',
		'/v1/webhooks/:id/logs',
		'any',
		({ store, params, caller, query }) => {
			const webhook = store.getWebhook(params.id, caller);
			const limit = Math.min(Math.max(Number(query.get('limit') ?? 50), 1), 50);
			const event = query.get('event');
			return { body: webhook.logs.filter((log) => !event || log.event === event).slice(0, limit) };
		},
	],

	// --- account (account.js) and calls (calls.js) ----------------------------------------------
	...accountRoutes,
	...callRoutes,
	// --- conversations and groups (chats.js), before /v1/messages/:id ------------------------------
	...chatRoutes(forNumber),
	// --- messaging (messages.js) -----------------------------------------------------------------
	...messageRoutes,
	...templateRoutes,
	...numberToolRoutes,
];

module.exports = { routes, connectNumber };
