import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	IRun,
	IConnections,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export const CREDENTIAL_TYPE: string;
export const NODE_TYPE: string;
export const TRIGGER_TYPE: string;

export interface NodeRun {
	/** Undefined when n8n refused to start the run (parameter issues, e.g. an empty required field). */
	run?: IRun;
	items: INodeExecutionData[];
	error?: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject };
}

export function runNode(options: {
	parameters: IDataObject;
	/** The credential's data; `null` runs the node without a credential. */
	credential?: ICredentialDataDecryptedObject | null;
	items?: INodeExecutionData[];
	settings?: Partial<INode>;
	type?: string;
	/** Stops the execution after this long, as the editor's Stop button does. */
	cancelAfterMs?: number;
	/** Called for every expression n8n evaluates while the node runs. */
	onEvaluate?: (expression: string) => void;
	/** How the run started: 'manual' (the editor, the default) or 'trigger'/'webhook' (production). */
	mode?: WorkflowExecuteMode;
	/** Runs RoutingNode even for custom operations, as the AI Agent before v3 and MCP Server Trigger do. */
	routingOnly?: boolean;
}): Promise<NodeRun>;

export function runWorkflow(options: {
	nodes: INode[];
	connections?: IConnections;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	startNodeName: string;
	items?: INodeExecutionData[];
	extraTypes?: Record<string, unknown>;
	cancelAfterMs?: number;
	onEvaluate?: (expression: string) => void;
	mode?: WorkflowExecuteMode;
}): Promise<IRun>;

export function makeNode(options?: {
	name?: string;
	type?: string;
	parameters?: IDataObject;
	credentials?: boolean;
	settings?: Partial<INode>;
	webhookId?: string;
}): INode;

export function testCredential(
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }>;

export function listSearch(options: {
	method: string;
	filter?: string;
	parameters?: IDataObject;
	credential?: ICredentialDataDecryptedObject | null;
}): Promise<INodeListSearchResult>;

export function loadPackage(): Promise<{
	packageName: string;
	getNode(name: string): { type: unknown };
	getCredential(name: string): { type: unknown };
}>;
