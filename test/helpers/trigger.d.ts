import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

export const WEBHOOK_ID: string;

export interface ActiveTrigger {
	readonly webhookUrl: string;
	/** What the node keeps in the workflow's static data (n8n stores it per node). */
	nodeStaticData(): IDataObject;
	/** The items each accepted delivery would have started a workflow run with. */
	readonly runs: INodeExecutionData[][];
	readonly answers: Array<{ status: number; url: string }>;
	checkExists(): Promise<boolean>;
	create(): Promise<boolean>;
	delete(): Promise<boolean>;
	activate(): Promise<void>;
	restart(): void;
	setParameters(parameters: IDataObject): void;
	post(path: string, body: unknown): Promise<{ status: number; body: IDataObject }>;
	stop(): Promise<void>;
}

export function activeTrigger(options: {
	parameters: IDataObject;
	credential: ICredentialDataDecryptedObject;
	workflowName?: string;
}): Promise<ActiveTrigger>;
