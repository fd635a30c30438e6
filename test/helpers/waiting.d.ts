import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IWebhookResponseData,
} from 'n8n-workflow';

interface Outcome {
	run: IRun;
	items: INodeExecutionData[];
	error?: Error & { description?: string | null };
}

export function startWait(options: {
	parameters: IDataObject;
	credential: ICredentialDataDecryptedObject;
	items?: INodeExecutionData[];
	settings?: Partial<INode>;
}): Promise<{
	first: IRun;
	node: INode;
	byTimeout(): Promise<Outcome>;
	call(request: {
		query: IDataObject;
		body: unknown;
		method?: 'POST' | 'GET' | 'HEAD';
	}): Promise<
		{ answer: IDataObject; result: IWebhookResponseData; resumed: boolean } & Partial<Outcome>
	>;
}>;
