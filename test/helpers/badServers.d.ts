interface Recorded {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
}

export function startRedirectServer(options?: {
	status?: number;
	location?: string;
}): Promise<{ url: string; received: Recorded[]; stop(): Promise<void> }>;
export function startMismatchedTlsServer(): Promise<{
	url: string;
	received: Recorded[];
	stop(): Promise<void>;
}>;
export function startGarbageServer(): Promise<{ url: string; stop(): Promise<void> }>;

interface Received {
	method: string;
	url: string;
}

/** Which requests get their answer cut off (others pass through whole). */
export type CutPicker = (request: { method?: string; url?: string }) => boolean;

export function startCutOffProxy(options: {
	upstream: string;
	mode?: 'length' | 'chunked';
	cut?: CutPicker;
}): Promise<{ url: string; received: Array<Recorded & { body: string }>; stop(): Promise<void> }>;
export function startDripServer(options?: {
	intervalMs?: number;
	status?: number;
}): Promise<{ url: string; received: Array<Recorded & { body: string }>; stop(): Promise<void> }>;
export function startSwitchingProtocolsServer(): Promise<{
	url: string;
	received: Received[];
	stop(): Promise<void>;
}>;

/** The whole body of a request the helpers' servers received. */
export function readBody(req: import('node:http').IncomingMessage): Promise<Buffer>;
