// A run's sends with a few in flight at once: fast enough for a campaign, and bounded in memory,
// since each send holds its file (read at its turn) only until its answer is in.

/** Sends in flight at once: the service answers each in tens of milliseconds, and each may hold a file. */
export const IN_FLIGHT = 8;

export interface Lane<T> {
	/** Work on the task at `index` (in order of start); its result lands at the same index. */
	work: (index: number) => Promise<T>;
	/** Asked before each start: false stops starting new tasks (those in flight finish). */
	mayStart?: () => boolean;
	/** Awaited before the task at `index` starts (Request Options → Batching's pause). */
	beforeStart?: (index: number) => Promise<void>;
}

/**
 * Runs `count` tasks, at most `limit` at once, started in index order; results by index, and
 * undefined for those never started. A task's failure is its own to report: `work` should not throw.
 */
export async function runInFlight<T>(
	count: number,
	{ work, mayStart = () => true, beforeStart }: Lane<T>,
	limit = IN_FLIGHT,
): Promise<Array<T | undefined>> {
	const results: Array<T | undefined> = new Array(count).fill(undefined);
	let next = 0;
	// Starting is serialised (one lane takes the next index at a time), so tasks start in order and
	// a pause before one holds back the ones after it.
	let starting: Promise<void> = Promise.resolve();
	const take = async (): Promise<number | undefined> => {
		const turn = starting.then(async () => {
			if (next >= count || !mayStart()) return undefined;
			const index = next++;
			await beforeStart?.(index);
			return mayStart() ? index : undefined;
		});
		starting = turn.then(
			() => undefined,
			() => undefined,
		);
		return await turn;
	};
	const lane = async () => {
		for (let index = await take(); index !== undefined; index = await take()) {
			results[index] = await work(index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
	return results;
}
