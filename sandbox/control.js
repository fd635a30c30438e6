'use strict';
// Test and demo controls, kept under /__sandbox so they can never be mistaken for API paths.
const { DEFAULT_VARIANTS } = require('./seed');
const { ApiError } = require('./store');
const { connectNumber } = require('./api');
const { deliverEvent } = require('./webhooks');
const { messagingControlRoutes } = require('./messages');
const { chatControlRoutes } = require('./chats');
const { accountControlRoutes } = require('./account');
const { callControlRoutes } = require('./calls');
const {
	DEFAULT_MESSAGING_VARIANTS,
	DEFAULT_MESSAGING_SETTINGS,
	checkMessagingSettings,
	checkMessagingVariants,
} = require('./messaging-state');

const FAULT_TYPES = ['status', 'slow', 'malformedJson', 'html', 'empty', 'reset', 'badQr'];

function pick(body, allowed) {
	const unknown = Object.keys(body).filter((key) => !(key in allowed));
	if (unknown.length) throw new ApiError(400, `Unknown setting(s): ${unknown.join(', ')}`);
	return body;
}

function keySummary(key) {
	return {
		id: key.id,
		scope: key.scope,
		numberId: key.numberId,
		last4: key.value.slice(-4),
		valid: key.valid,
		revealable: key.revealable,
	};
}

/** The account settings, plus the messaging ones when the call changed one (older callers compare the whole answer). */
function settingsAnswer(settings, body) {
	const messaging = Object.keys(DEFAULT_MESSAGING_SETTINGS);
	if (messaging.some((name) => name in body)) return settings;
	return Object.fromEntries(Object.entries(settings).filter(([name]) => !messaging.includes(name)));
}

const controlRoutes = [
	['GET', '/__sandbox', ({ sandbox }) => ({ body: sandbox.describe() })],
	[
		'POST',
		'/__sandbox/reset',
		({ sandbox }) => {
			sandbox.reset();
			return { body: { ok: true } };
		},
	],
	[
		'GET',
		'/__sandbox/state',
		({ store }) => ({
			body: {
				variants: store.variants,
				settings: store.settings,
				numbers: [...store.numbers.values()],
				keys: [...store.keys.values()].map(keySummary),
				tokens: [...store.tokens.values()],
				webhooks: [...store.webhooks.values()].map(({ logs, ...webhook }) => ({
					...webhook,
					deliveries: logs.length,
				})),
				// connectAfterSeconds: every scan it scheduled since the reset (pending ones included).
				scheduledConnects: store.connectLog,
			},
		}),
	],
	[
		'GET',
		'/__sandbox/requests',
		({ sandbox, query }) => {
			const since = Number(query.get('since') ?? 0);
			return { body: sandbox.requestLog.filter((entry) => entry.seq > since) };
		},
	],
	[
		'DELETE',
		'/__sandbox/requests',
		({ sandbox }) => {
			sandbox.requestLog.length = 0;
			return { body: { ok: true } };
		},
	],
	[
		'PUT',
		'/__sandbox/variants',
		({ store, body }) => {
			const known = { ...DEFAULT_VARIANTS, ...DEFAULT_MESSAGING_VARIANTS };
			Object.assign(store.variants, checkMessagingVariants(pick(body, known)));
			return { body: store.variants };
		},
	],
	[
		'PUT',
		'/__sandbox/settings',
		({ store, body }) => ({
			body: settingsAnswer(store.updateSettings(checkMessagingSettings(body)), body),
		}),
	],
	[
		'POST',
		'/__sandbox/faults',
		({ sandbox, body }) => {
			if (!FAULT_TYPES.includes(body.type)) {
				throw new ApiError(400, `type must be one of ${FAULT_TYPES.join(', ')}`);
			}
			if (body.share !== undefined && !(body.share > 0 && body.share <= 1))
				throw new ApiError(400, 'share must be a fraction in (0, 1]');
			// With a share and no count, the fault stays until DELETE /__sandbox/faults or reset.
			const count = body.count ?? (body.share !== undefined ? Number.MAX_SAFE_INTEGER : 1);
			const fault = { method: null, path: null, ...body, count, seen: 0 };
			sandbox.faults.push(fault);
			return { status: 201, body: fault };
		},
	],
	[
		'DELETE',
		'/__sandbox/faults',
		({ sandbox }) => {
			sandbox.faults.length = 0;
			return { body: { ok: true } };
		},
	],
	[
		'POST',
		'/__sandbox/numbers/:id/scan',
		async ({ store, params }) => {
			const record = store.getNumber(params.id);
			const { payload, deliveries } = await connectNumber(store, record);
			return { body: { state: store.stateName(record.state), event: payload, deliveries } };
		},
	],
	[
		'POST',
		'/__sandbox/numbers/:id/disconnect',
		async ({ store, params }) => {
			const record = store.getNumber(params.id);
			store.setState(record, 'CLOSE');
			const { payload, deliveries } = await deliverEvent(store, record, 'number.disconnected');
			return { body: { state: store.stateName(record.state), event: payload, deliveries } };
		},
	],
	[
		'POST',
		'/__sandbox/remote-pairing/:token/scan',
		async ({ store, params }) => {
			const record = store.numberForToken(params.token);
			const { payload, deliveries } = await connectNumber(store, record);
			return {
				body: {
					numberId: record.id,
					state: store.stateName(record.state),
					event: payload,
					deliveries,
				},
			};
		},
	],
	[
		'POST',
		'/__sandbox/events',
		async ({ store, body }) => {
			const record = store.getNumber(body.numberId);
			const { payload, deliveries } = await deliverEvent(
				store,
				record,
				body.event,
				body.data,
				body.repeat ?? 1,
			);
			return { body: { event: payload, deliveries } };
		},
	],
	// --- messaging: sent messages, inbound messages, scripted customers (messages.js) ---------------
	...messagingControlRoutes,
	...chatControlRoutes,
	...accountControlRoutes,
	...callControlRoutes,
];

module.exports = { controlRoutes, FAULT_TYPES };
