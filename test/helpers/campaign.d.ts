import type { IBinaryData } from 'n8n-workflow';

export type TimelineEvent =
	| { event: 'sendArrived'; destination: string | null; bytes: number }
	| { event: 'sendAnswered'; destination: string | null }
	| { event: 'fileRead'; id: string | null; bytes: number };

/** Sends seen by startSendLog and file reads seen after useFilesystemBinaryData, in order. */
export const timeline: TimelineEvent[];
export function clearTimeline(): void;

export function startSendLog(options: {
	upstream: string;
	holdMs?: number;
	/** By destination: a refusal (never reaches the sandbox), or 'lost' (sent, answered 502). */
	answers?: Record<string, { status: number; body?: unknown } | 'lost'>;
}): Promise<{
	url: string;
	/** The most sends the proxy held at once. */
	maxInFlight(): number;
	stop(): Promise<void>;
}>;

export function useFilesystemBinaryData(): Promise<void>;
export function storeFile(
	data: Buffer,
	meta: { mimeType: string; fileName: string },
): Promise<IBinaryData>;
