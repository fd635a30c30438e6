import type { INode, INodeExecutionData } from 'n8n-workflow';

// n8n's Retry On Fail runs the whole node again, every item, with the same execution data object
// (WorkflowExecute passes its stack entry to each try). Remembering per execution data object what
// each item of an operation that changes the account already returned lets a retry hand those
// results back instead of creating, deleting or regenerating again. The memory goes with the
// execution data (a WeakMap), and it is only kept when Retry On Fail is on.

const earlierTries = new WeakMap<object, Map<number, INodeExecutionData[]>>();

export interface Try {
	executeData: object | undefined;
	node: INode;
	itemIndex: number;
}

function memoryOf({ executeData, node }: Try): Map<number, INodeExecutionData[]> | undefined {
	if (!executeData || node.retryOnFail !== true) return undefined;
	let memory = earlierTries.get(executeData);
	if (!memory) {
		memory = new Map();
		earlierTries.set(executeData, memory);
	}
	return memory;
}

/** What an earlier try of this run already got for this item, if it changed the account. */
export function earlierResult(attempt: Try): INodeExecutionData[] | undefined {
	return memoryOf(attempt)?.get(attempt.itemIndex);
}

export function rememberResult(attempt: Try, result: INodeExecutionData[]): void {
	memoryOf(attempt)?.set(attempt.itemIndex, result);
}
