'use strict';
// Test and demo controls, kept under /__sandbox so they can never be mistaken for API paths.
const { DEFAULT_VARIANTS } = require('./seed');
const { ApiError } = require('./store');
const { connectNumber } = require('./api');
const { deliverEvent } = require('./webhooks');

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
			Object.assign(store.variants, pick(body, DEFAULT_VARIANTS));
			return { body: store.variants };
		},
	],
	['PUT', '/__sandbox/settings', ({ store, body }) => ({ body: store.updateSettings(body) })],
	[
		'POST',
		'/__sandbox/faults',
		({ sandbox, body }) => {
			if (!FAULT_TYPES.includes(body.type)) {
				throw new ApiError(400, `type must be one of ${FAULT_TYPES.join(', ')}`);
			}
			const fault = { count: 1, method: null, path: null, ...body };
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
];

module.exports = { controlRoutes, FAULT_TYPES };
