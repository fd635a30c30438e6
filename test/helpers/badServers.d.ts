import type { IncomingHttpHeaders } from 'node:http';

interface Recorded {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
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
