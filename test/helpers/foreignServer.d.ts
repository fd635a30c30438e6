export interface ForeignServer {
	url: string;
	received: Array<{ method: string; url: string }>;
	stop(): Promise<void>;
}
export function startForeignServer(options?: {
	status?: number;
	body?: string;
	type?: string;
}): Promise<ForeignServer>;
