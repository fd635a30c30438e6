'use strict';
// WhatsApp voice calls of a number (../shared/messaging-api.md §8; docs /api/calls/endpoints and
// the calls playground), number-scoped like messaging (the messageKeyScope variant decides whether
// the tenant key may name the number in x-whatsapp-number-id). Meta numbers only: any other answers
// 400 FEATURE_NOT_SUPPORTED (the rendered endpoints page; the guide also lists web numbers [C]).
// - GET /v1/calls?limit=1..100 (default 25)&before=<ISO>: newest first, `{ calls: [...] }`.
// - GET /v1/calls/:callId (call_… or wacid…; ?includeSdp=1): 404 CALL_NOT_FOUND outside the number.
// - GET|PUT /v1/calls/settings: `{ calling: {...} }`; PUT is partial over status,
//   call_icon_visibility, callback_permission_status, call_hours (replaced whole), voicemail; `sip`
//   and anything else → 400.
// - GET /v1/calls/permissions?to=<E.164>: `{ permission: { status, expiration_time }, actions }`.
// - POST /v1/calls/permissions/request { to, text? }: only inside the contact's 24-hour window
//   (400 otherwise); a third request for one contact within 24 h → 429
//   META_CALL_PERMISSION_REQUEST_LIMIT. Answers `{ messageId: "wamid…" }`.
// Controls: POST /__sandbox/numbers/:id/calls { count } adds calls (one a minute, newest last);
// GET /__sandbox/numbers/:id/calls shows the calls, settings and permission requests.
const crypto = require('node:crypto');
const { ApiError } = require('./store');
const { forNumber } = require('./messages');
const { insideWindow } = require('./inbound');

const SETTINGS = [
	'status',
	'call_icon_visibility',
	'callback_permission_status',
	'call_hours',
	'voicemail',
];
const VALUES = {
	status: ['ENABLED', 'DISABLED'],
	call_icon_visibility: ['DEFAULT', 'DISABLE_ALL'],
	callback_permission_status: ['ENABLED', 'DISABLED'],
};
const MAX_REQUESTS_A_DAY = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

const invalid = (message) => new ApiError(400, `Validation error: ${message}`, 'VALIDATION_ERROR');

const tables = new WeakMap();

function callsOf(store, number) {
	let table = tables.get(store.messaging);
	if (!table) {
		table = new Map();
		tables.set(store.messaging, table);
	}
	if (!table.has(number.id)) {
		table.set(number.id, {
			calls: [],
			settings: {
				status: 'ENABLED',
				call_icon_visibility: 'DEFAULT',
				callback_permission_status: 'ENABLED',
				call_hours: { status: 'DISABLED' },
			},
			/** digits → times a permission request went out. */
			requests: new Map(),
			permanent: new Set(),
		});
	}
	return table.get(number.id);
}

function requireMeta(number) {
	if (number.provider !== 'META')
		throw new ApiError(
			400,
			'Calling is not supported for this number provider',
			'FEATURE_NOT_SUPPORTED',
		);
}

const meta = (handler) =>
	forNumber((context) => {
		requireMeta(context.number);
		return handler({ ...context, calls: callsOf(context.store, context.number) });
	});

function publicCall(call, includeSdp) {
	const { sdpOffer, sdpAnswer, ...rest } = call;
	return includeSdp ? { ...rest, sdpOffer, sdpAnswer } : rest;
}

function listCalls(calls, query) {
	const limit = query.has('limit') ? Number(query.get('limit')) : 25;
	if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('limit must be 1 to 100');
	let before;
	if (query.has('before')) {
		before = Date.parse(query.get('before'));
		if (!Number.isFinite(before)) throw invalid('before must be an ISO 8601 date');
	}
	const rows = [...calls.calls]
		.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
		.filter((call) => before === undefined || Date.parse(call.createdAt) < before)
		.slice(0, limit);
	return { calls: rows.map((call) => publicCall(call, false)) };
}

function findCall(calls, id) {
	const call = calls.calls.find(
		(candidate) => candidate.id === id || candidate.externalCallId === id,
	);
	if (!call) throw new ApiError(404, 'Call not found', 'CALL_NOT_FOUND');
	return call;
}

function updateSettings(calls, body) {
	const unknown = Object.keys(body).filter((name) => !SETTINGS.includes(name));
	if (unknown.length) throw invalid(`not allowed: ${unknown.join(', ')}`);
	if (Object.keys(body).length === 0) throw invalid('nothing to update');
	for (const [name, allowed] of Object.entries(VALUES)) {
		if (name in body && !allowed.includes(body[name]))
			throw invalid(`${name} must be one of ${allowed.join(', ')}`);
	}
	for (const name of ['call_hours', 'voicemail']) {
		if (
			name in body &&
			(typeof body[name] !== 'object' || body[name] === null || Array.isArray(body[name]))
		)
			throw invalid(`${name} must be an object`);
	}
	Object.assign(calls.settings, body);
	return { success: true };
}

function digitsOf(value) {
	const text = String(value ?? '');
	if (!/^\+?\d{8,15}$/.test(text)) throw invalid('to must be a phone number in E.164');
	return text.replace(/^\+/, '');
}

function recentRequests(calls, digits) {
	return (calls.requests.get(digits) ?? []).filter((at) => Date.now() - at < DAY_MS);
}

function permission(store, number, calls, digits) {
	const asked = recentRequests(calls, digits).length;
	const permanent = calls.permanent.has(digits);
	const temporary = !permanent && insideWindow(store, number.id, digits);
	return {
		permission: permanent
			? { status: 'permanent' }
			: temporary
				? { status: 'temporary', expiration_time: Math.floor((Date.now() + DAY_MS) / 1000) }
				: { status: 'no_permission' },
		actions: [
			{
				action_name: 'send_call_permission_request',
				can_perform_action: asked < MAX_REQUESTS_A_DAY,
				limits: [{ time_period: 'PT24H', max_allowed: MAX_REQUESTS_A_DAY, current_usage: asked }],
			},
			{
				action_name: 'start_call',
				can_perform_action: permanent || temporary,
				limits: [{ time_period: 'PT24H', max_allowed: 1, current_usage: 0 }],
			},
		],
	};
}

function requestPermission(store, number, calls, body) {
	const digits = digitsOf(body.to);
	if (body.text !== undefined && typeof body.text !== 'string') throw invalid('text must be text');
	if (!insideWindow(store, number.id, digits))
		throw invalid('the contact has not written in the last 24 hours (outside the service window)');
	const asked = recentRequests(calls, digits);
	if (asked.length >= MAX_REQUESTS_A_DAY)
		throw new ApiError(
			429,
			'Meta call permission request limit reached (138009)',
			'META_CALL_PERMISSION_REQUEST_LIMIT',
		);
	calls.requests.set(digits, [...asked, Date.now()]);
	return { messageId: `wamid.${crypto.randomBytes(8).toString('hex')}` };
}

const callRoutes = [
	['GET', '/v1/calls', 'any', meta(({ calls, query }) => ({ body: listCalls(calls, query) }))],
	[
		'GET',
		'/v1/calls/settings',
		'any',
		meta(({ calls }) => ({ body: { calling: { ...calls.settings } } })),
	],
	[
		'PUT',
		'/v1/calls/settings',
		'any',
		meta(({ calls, body }) => ({ body: updateSettings(calls, body ?? {}) })),
	],
	[
		'GET',
		'/v1/calls/permissions',
		'any',
		meta(({ store, number, calls, query }) => ({
			body: permission(store, number, calls, digitsOf(query.get('to'))),
		})),
	],
	[
		'POST',
		'/v1/calls/permissions/request',
		'any',
		meta(({ store, number, calls, body }) => ({
			body: requestPermission(store, number, calls, body ?? {}),
		})),
	],
	[
		'GET',
		'/v1/calls/:callId',
		'any',
		meta(({ calls, params, query }) => ({
			body: publicCall(findCall(calls, params.callId), query.get('includeSdp') === '1'),
		})),
	],
];

function addCalls(store, number, body) {
	const calls = callsOf(store, number);
	const count = Number(body.count ?? 1);
	if (!Number.isInteger(count) || count < 1 || count > 1000)
		throw new ApiError(400, 'count must be 1 to 1000');
	const start = Date.parse('2026-07-03T15:00:00.000Z') + calls.calls.length * 60_000;
	for (let i = 0; i < count; i++) {
		const at = new Date(start + i * 60_000).toISOString();
		const n = calls.calls.length + 1;
		calls.calls.push({
			id: `call_sbx${String(n).padStart(4, '0')}`,
			externalCallId: `wacid.SBX${String(n).padStart(4, '0')}`,
			direction: n % 2 ? 'INBOUND' : 'OUTBOUND',
			status: 'COMPLETED',
			peerNumber: '5511977776666',
			durationSeconds: 60 + n,
			startedAt: at,
			connectedAt: at,
			endedAt: at,
			createdAt: at,
			updatedAt: at,
			sdpOffer: 'v=0\r\n',
			sdpAnswer: null,
		});
	}
	return { calls: calls.calls.length };
}

const callControlRoutes = [
	[
		'POST',
		'/__sandbox/numbers/:id/calls',
		({ store, params, body }) => ({
			body: addCalls(store, store.getNumber(params.id), body ?? {}),
		}),
	],
	[
		'GET',
		'/__sandbox/numbers/:id/calls',
		({ store, params }) => {
			const calls = callsOf(store, store.getNumber(params.id));
			return {
				body: {
					calls: calls.calls,
					settings: calls.settings,
					requests: Object.fromEntries(calls.requests),
				},
			};
		},
	],
];

module.exports = { callRoutes, callControlRoutes };
