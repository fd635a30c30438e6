import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

export const TENANT_KEY: string;
export const NUMBER_KEY: string;
export const SEED: {
	tenantKey: { id: string; value: string };
	numbers: Array<{
		id: string;
		name: string;
		number: string;
		state: string;
		key: { id: string; value: string; revealable: boolean };
	}>;
};

export interface LoggedRequest {
	seq: number;
	method: string;
	path: string;
	query: Record<string, string>;
	authHeaders: string[];
	emptyAuthHeader: boolean;
	keyId: string | null;
	scope: 'tenant' | 'number' | null;
	body: IDataObject | null;
	status: number | null;
	fault: string | null;
	/** The client closed the connection before the answer was sent (timeout, cancel). */
	clientClosedEarly?: boolean;
}

export interface Fault {
	type: 'status' | 'slow' | 'malformedJson' | 'html' | 'empty' | 'reset' | 'badQr';
	status?: number;
	body?: unknown;
	retryAfter?: number | string;
	delayMs?: number;
	count?: number;
	/** That many matching requests go through untouched first. */
	skip?: number;
	/** The request does its work, then its answer goes wrong. */
	afterHandling?: boolean;
	method?: string;
	path?: string;
	value?: string;
}

export interface Variants {
	statusShape?: 'idAndState' | 'stateAndFlag';
	closedState?: 'CLOSE' | 'CLOSED';
	createStateField?: 'status' | 'state';
	remotePairingShape?: 'guide' | 'playground' | 'embed';
	pairingTokenAfterConnect?: 'kept' | 'cleared';
}

export interface SandboxState {
	numbers: Array<{ id: string; name: string; number: string; state: string; statusPolls: number }>;
	keys: Array<{
		id: string;
		scope: string;
		numberId: string | null;
		last4: string;
		valid: boolean;
	}>;
	tokens: Array<{ token: string; numberId: string }>;
	webhooks: Array<
		IDataObject & {
			id: string;
			url: string;
			events: string[];
			whatsappNumberIds: string[];
			deliveries: number;
		}
	>;
}

export interface SandboxHandle {
	readonly url: string;
	requests(): Promise<LoggedRequest[]>;
	state(): Promise<SandboxState>;
	fault(fault: Fault): Promise<unknown>;
	variants(variants: Variants): Promise<unknown>;
	settings(settings: { autoConnectAfterPolls?: number }): Promise<unknown>;
	scan(numberId: string): Promise<IDataObject>;
	newNumber(name?: string, number?: string): Promise<string>;
	credential(overrides?: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject;
	control(
		method: string,
		path: string,
		body?: unknown,
	): Promise<{ status: number; body: IDataObject }>;
	api(
		method: string,
		path: string,
		options?: {
			key?: string | null;
			keyHeader?: string;
			body?: unknown;
			headers?: Record<string, string>;
		},
	): Promise<{ status: number; body: IDataObject; headers: Record<string, string> }>;
}

export function useSandbox(): SandboxHandle;
