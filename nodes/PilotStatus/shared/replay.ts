import type { INode, INodeExecutionData } from 'n8n-workflow';

// n8n's Retry On Fail runs the whole node again, every item, with the same execution data object
// (WorkflowExecute passes its stack entry to each try). Remembering per execution data object how
// each item of an operation that changes the account already ended lets a retry hand that back
// instead of creating, deleting or regenerating again: its result, or the failure after which the
// change may have been made (sending again could make it twice). The memory goes with the
// execution data (a WeakMap), and it is only kept when Retry On Fail is on.

type Outcome = INodeExecutionData[] | Error;

const earlierTries = new WeakMap<object, Map<number, Outcome>>();

export interface Try {
	executeData: object | undefined;
	node: INode;
	itemIndex: number;
}

function memoryOf({ executeData, node }: Try): Map<number, Outcome> | undefined {
	if (!executeData || node.retryOnFail !== true) return undefined;
	let memory = earlierTries.get(executeData);
	if (!memory) {
		memory = new Map();
		earlierTries.set(executeData, memory);
	}
	return memory;
}

/** How an earlier try of this run ended for this item, if it changed (or may have changed) the account. */
export function earlierOutcome(attempt: Try): Outcome | undefined {
	return memoryOf(attempt)?.get(attempt.itemIndex);
}

export function rememberOutcome(attempt: Try, outcome: Outcome): void {
	memoryOf(attempt)?.set(attempt.itemIndex, outcome);
}
