import { sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { retryAfterSeconds } from '../errors/nodeErrors';

const MAX_BACKOFF_MS = 60_000;

/**
 * The pause before sending a refused request again: what `Retry-After` asks for, else the previous
 * pause doubled with jitter (the service's best-practice page asks for exponential backoff with
 * jitter on 429 and 5xx). Never shorter than `floorMs`, so a `Retry-After: 0` (or a date in the
 * past) cannot turn a loop into a busy one.
 */
export function backoffMs(previousMs: number, floorMs: number, headers?: IDataObject): number {
	const asked = retryAfterSeconds(headers);
	if (asked !== undefined) return Math.max(floorMs, asked * 1000);
	const grown = Math.min(previousMs * 2, MAX_BACKOFF_MS) * (1 + Math.random() * 0.2);
	return Math.max(floorMs, grown);
}

/**
 * Sleeps in short steps so a cancelled execution stops waiting promptly; so does a `stop`ped caller
 * (Wait for Connection stops the other items' waits when one item fails the node).
 */
export async function pause(
	context: IExecuteFunctions,
	ms: number,
	stop?: AbortSignal,
): Promise<void> {
	const cancel = context.getExecutionCancelSignal();
	for (let left = ms; left > 0 && !cancel?.aborted && !stop?.aborted; left -= 1000)
		await sleep(Math.min(1000, left));
}
