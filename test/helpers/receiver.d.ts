import type { IDataObject } from 'n8n-workflow';

export interface Receiver {
	status: number;
	readonly received: Array<{
		method: string;
		url: string;
		headers: Record<string, string>;
		body: IDataObject;
	}>;
	readonly url: string;
	stop(): Promise<void>;
}

export function startReceiver(options?: { status?: number }): Promise<Receiver>;
export function closedPortUrl(): Promise<string>;
