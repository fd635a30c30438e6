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

/** Posts a ready `{event, data, createdAt}` payload to the number's subscribed webhooks. */
async function deliverPayload(store, number, payload, repeat = 1) {
	const { event } = payload;
	const targets = [...store.webhooks.values()].filter(
		(webhook) =>
			webhook.active && webhook.whatsappNumberIds.includes(number.id) && subscribed(webhook, event),
	);
	const deliveries = [];
	for (const webhook of targets) {
		for (let attempt = 0; attempt < repeat; attempt++) {
			const result = await postJson(webhook.url, payload);
			const log = {
				event,
				status: result.statusCode >= 200 && result.statusCode < 300 ? 'SUCCESS' : 'FAILED',
				statusCode: result.statusCode,
				payload,
				response: result.response,
				durationMs: result.durationMs,
				createdAt: new Date().toISOString(),
			};
			webhook.logs.unshift(log);
			webhook.logs.length = Math.min(webhook.logs.length, 50);
			webhook.lastTriggered = log.createdAt;
			deliveries.push({ webhookId: webhook.id, url: webhook.url, ...log });
		}
	}
	return { payload, deliveries };
}

module.exports = { deliverEvent, deliverPayload };
