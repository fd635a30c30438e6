'use strict';
// Delivers events the way the service documents them: {event, data, createdAt} as JSON to every
// active webhook of the number whose event list matches. Health events and number.recovered are
// only sent to webhooks subscribed with "*".
const crypto = require('node:crypto');

const WILDCARD_ONLY = /^number\.(health_|recovered$)/;

function subscribed(webhook, event) {
	if (webhook.events.includes('*')) return true;
	return !WILDCARD_ONLY.test(event) && webhook.events.includes(event);
}

async function postJson(url, payload) {
	const started = Date.now();
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'user-agent': 'PilotStatus-Webhooks/sandbox' },
			body: JSON.stringify(payload),
			signal: AbortSignal.timeout(5000),
		});
		const text = await response.text();
		return {
			statusCode: response.status,
			response: text.slice(0, 500),
			durationMs: Date.now() - started,
		};
	} catch (error) {
		return { statusCode: 0, response: String(error.message), durationMs: Date.now() - started };
	}
}

/**
 * Sends `event` for `number` to its webhooks. `repeat` > 1 re-sends the identical payload, as the
 * service's retries do, so receivers can prove they de-duplicate on data.id.
 */
async function deliverEvent(store, number, event, extraData = {}, repeat = 1) {
	const payload = {
		event,
		data: {
			id: `evt_${crypto.randomBytes(8).toString('hex')}`,
			numberId: number.id,
			instanceId: number.id,
			number: `+${number.number}`,
			name: number.name,
			state: store.stateName(number.state),
			environment: 'LIVE',
			...extraData,
		},
		createdAt: new Date().toISOString(),
	};
	return deliverPayload(store, number, payload, repeat);
}

/** The registered URL with another origin (a load balancer's backend), path and query kept. */
function throughOrigin(url, origin) {
	if (!origin) return url;
	const target = new URL(url);
	const backend = new URL(origin);
	target.protocol = backend.protocol;
	target.host = backend.host;
	return target.toString();
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One attempt: posts the payload and logs it as the service's delivery logs show it. `lost`: the
 * receiver got the call but its answer never reached the service (a timeout on the service's
 * side), so the service counts the attempt as failed and retries.
 */
async function attempt(store, webhook, payload, { origin, kind, lost = false }) {
	const startedAt = new Date().toISOString();
	const url = throughOrigin(webhook.url, origin);
	const result = await postJson(url, payload);
	const answered = !lost && result.statusCode >= 200 && result.statusCode < 300;
	const log = {
		event: payload.event,
		status: answered ? 'SUCCESS' : 'FAILED',
		statusCode: lost ? 0 : result.statusCode,
		payload,
		response: lost ? 'answer lost (sandbox)' : result.response,
		durationMs: result.durationMs,
		createdAt: new Date().toISOString(),
	};
	webhook.logs.unshift(log);
	webhook.logs.length = Math.min(webhook.logs.length, 50);
	webhook.lastTriggered = log.createdAt;
	const delivery = { webhookId: webhook.id, url: webhook.url, ...log };
	// Plain deliveries keep the shape callers have always compared.
	if (kind === undefined) return delivery;
	return {
		...delivery,
		receiverStatusCode: result.statusCode,
		receiverResponse: result.response,
		startedAt,
		kind,
		origin,
	};
}

/**
 * The service's retries for one delivery: the first attempt, `concurrentCopies` more posted at the
 * same moment (a retry whose timeout fired while the first was still on its way), then a retry
 * after `retryAfterMs` (doubling) for each of the first `lostAnswers` answers, and once more for
 * an answer that is not 2xx (or none). `origins`: the backends behind a load balancer, one
 * after another per attempt, so copies land on different processes.
 */
async function deliverWithRetries(store, webhook, payload, delivery) {
	const { origins = [], lostAnswers = 0, concurrentCopies = 0, retryAfterMs = 1000 } = delivery;
	const maxAttempts = lostAnswers + 2;
	const turn = (store.deliveryTurn = (store.deliveryTurn ?? 0) + 1);
	let sent = 0;
	const nextOrigin = () => (origins.length ? origins[(turn + sent++) % origins.length] : undefined);
	const copies = Array.from({ length: concurrentCopies }, () => ({ origin: nextOrigin() }));
	const first = { origin: nextOrigin() };
	const concurrent = copies.map((copy) =>
		attempt(store, webhook, payload, { ...copy, kind: 'concurrent copy' }),
	);
	const attempts = [];
	let result = await attempt(store, webhook, payload, {
		...first,
		kind: 'first',
		lost: lostAnswers > 0,
	});
	attempts.push(result);
	let backoff = retryAfterMs;
	while (result.status === 'FAILED' && attempts.length < maxAttempts) {
		await wait(backoff);
		backoff *= 2;
		result = await attempt(store, webhook, payload, {
			origin: nextOrigin(),
			kind: 'retry',
			lost: attempts.length < lostAnswers,
		});
		attempts.push(result);
	}
	return [...attempts, ...(await Promise.all(concurrent))];
}

/**
 * Posts a ready `{event, data, createdAt}` payload to the number's subscribed webhooks. `repeat`
 * posts it that many times one after another; `delivery` plays the service's retries (above).
 */
async function deliverPayload(store, number, payload, repeat = 1, delivery = undefined) {
	const { event } = payload;
	const targets = [...store.webhooks.values()].filter(
		(webhook) =>
			webhook.active && webhook.whatsappNumberIds.includes(number.id) && subscribed(webhook, event),
	);
	const deliveries = [];
	for (const webhook of targets) {
		for (let copy = 0; copy < repeat; copy++) {
			if (delivery) {
				deliveries.push(...(await deliverWithRetries(store, webhook, payload, delivery)));
				continue;
			}
			deliveries.push(await attempt(store, webhook, payload, {}));
		}
	}
	return { payload, deliveries };
}

module.exports = { deliverEvent, deliverPayload };
