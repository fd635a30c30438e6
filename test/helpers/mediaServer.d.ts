export interface MediaServer {
	readonly url: string;
	/** The bytes every path but /endless/… answers with. */
	readonly png: Buffer;
	readonly received: Array<{ method: string; url: string; headers: Record<string, string> }>;
	/** How much /endless/… wrote, and whether the client closed before the end (it never ends). */
	readonly state: { bytesWritten: number; closedEarly: boolean };
	stop(): Promise<void>;
}

export function startMediaServer(): Promise<MediaServer>;
