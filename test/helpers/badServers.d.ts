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
