// n8n's HTTP client takes `timeout` as an idle timeout of the socket: a server that sends one byte
// now and then, or answers 101 Switching Protocols and then keeps the connection open, holds a
// request forever. An abort signal is the only way to end a request after a fixed time, and n8n's
// authenticated request helper replaces any signal a request carries with
// `this.getExecutionCancelSignal()` of the context it is called on. So a deadline is handed to it
// as that context's cancel signal: the execution's own, combined with a timer.

/** The longest a request may take, start to last byte, and whether that time ran out. */
export interface Deadline {
	readonly ms: number;
	/** Aborts when the time runs out or the execution is cancelled. */
	readonly signal: AbortSignal;
	/** The time ran out (and not the execution that was cancelled). */
	expired(): boolean;
	/** What is left of the time, in ms (0 once it ran out). */
	remainingMs(): number;
}

export function startDeadline(ms: number, cancel?: AbortSignal): Deadline {
	const wholeMs = Math.max(1, Math.round(ms));
	const timer = AbortSignal.timeout(wholeMs);
	const endsAt = Date.now() + wholeMs;
	return {
		ms: wholeMs,
		signal: cancel ? AbortSignal.any([cancel, timer]) : timer,
		expired: () => timer.aborted && cancel?.aborted !== true,
		remainingMs: () => Math.max(0, endsAt - Date.now()),
	};
}

/**
 * `context` as n8n's request helpers see it, but whose cancel signal also ends at the deadline.
 * It inherits everything else (credentials, node, helpers) from `context`.
 */
export function underDeadline<T extends object>(context: T, deadline: Deadline): T {
	return Object.create(context, {
		getExecutionCancelSignal: { value: () => deadline.signal },
	}) as T;
}

/**
 * The same for a context n8n itself calls the request helper on (a declarative operation's item):
 * until the returned function is called, its cancel signal ends at the deadline too.
 */
export function holdToDeadline(context: object, deadline: Deadline): () => void {
	Object.defineProperty(context, 'getExecutionCancelSignal', {
		value: () => deadline.signal,
		configurable: true,
		writable: true,
	});
	return () => {
		delete (context as { getExecutionCancelSignal?: unknown }).getExecutionCancelSignal;
	};
}
