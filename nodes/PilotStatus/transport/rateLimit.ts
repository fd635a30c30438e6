import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { retryAfterSeconds } from '../errors/nodeErrors';
import type { RateLimitRideOut } from '../errors/nodeErrors';
import type { Deadline } from './deadline';

// A 429 is the service refusing a request without doing it (shared/messaging-api.md §10), so it is
// the one failure the node sends again by itself, also for a send or a create: one rate-limit burst
// in the middle of a campaign must not fail the rest of it. A body that depends on the time (a
// send's deliverAt) is built anew for each try (request.ts ApiCall.body), so a long wait does not
// make it stale. Nothing else is sent again here: a dropped connection, a cut-off answer or a 5xx
// may come after the change was made.

/** Never ask again sooner than this after a 429, whatever `Retry-After` says. */
export const RATE_LIMIT_FLOOR_MS = 1000;

/** No single wait is longer: a `Retry-After` that asks for more fails the item with its advice. */
export const RATE_LIMIT_MAX_WAIT_MS = 60_000;

/** A 429 answer, as the request's own code saw it, kept to build the error if the node gives up. */
export class RateLimited {
	constructor(readonly answer: { statusCode: number; body: unknown; headers?: IDataObject }) {}
}

/**
 * The wait after the `refusals`-th 429 in a row: what `Retry-After` asks for (seconds or an HTTP
 * date; the docs promise none), else doubling from the floor. Jitter on top, so that items refused
 * together (RoutingNode sends a batch's items at once) do not all come back at the same moment.
 */
export function rateLimitWaitMs(refusals: number, headers?: IDataObject): number {
	const asked = retryAfterSeconds(headers);
	if (asked !== undefined) {
		const honoured = Math.max(RATE_LIMIT_FLOOR_MS, asked * 1000);
		if (honoured > RATE_LIMIT_MAX_WAIT_MS) return Math.ceil(honoured);
		const jittered = honoured + Math.random() * Math.min(honoured * 0.2, 2000);
		return Math.ceil(Math.min(RATE_LIMIT_MAX_WAIT_MS, jittered));
	}
	const doubled = Math.min(RATE_LIMIT_MAX_WAIT_MS, RATE_LIMIT_FLOOR_MS * 2 ** (refusals - 1));
	return Math.ceil(Math.min(RATE_LIMIT_MAX_WAIT_MS, doubled * (1 + Math.random() * 0.5)));
}

/**
 * Sleeps `ms` in short steps, so a cancelled execution stops waiting promptly (n8n-workflow's
 * `sleep` takes no signal in every n8n version the package supports).
 */
async function waitFor(ms: number, signal: AbortSignal): Promise<void> {
	const endsAt = Date.now() + ms;
	while (!signal.aborted && Date.now() < endsAt) await sleep(Math.min(250, endsAt - Date.now()));
}

/**
 * Sends until the answer is not a 429, waiting between tries, all within `deadline`. `send` hands
 * back its result, or a RateLimited for a 429. When the next wait would pass the deadline or the
 * longest single wait, `giveUp` turns the last 429 into the error the item fails with.
 */
export async function rideOutRateLimits<T>(
	deadline: Deadline,
	send: () => Promise<T | RateLimited>,
	giveUp: (last: RateLimited, rideOut: RateLimitRideOut) => Promise<Error>,
): Promise<T> {
	for (let refusals = 1; ; refusals++) {
		const result = await send();
		if (!(result instanceof RateLimited)) return result;
		const nextWaitMs = rateLimitWaitMs(refusals, result.answer.headers);
		const rideOut = { refusals, nextWaitMs, timeoutMs: deadline.ms };
		if (nextWaitMs > RATE_LIMIT_MAX_WAIT_MS)
			throw await giveUp(result, { ...rideOut, stoppedBy: 'retryAfter' });
		if (nextWaitMs >= deadline.remainingMs())
			throw await giveUp(result, { ...rideOut, stoppedBy: 'timeout' });
		await waitFor(nextWaitMs, deadline.signal);
		// Only a cancelled execution ends the wait early: the wait fitted in the deadline.
		if (deadline.signal.aborted) throw await giveUp(result, { ...rideOut, stoppedBy: 'cancelled' });
	}
}
