import type { INode, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, isOutcomeUnknown } from '../errors/nodeErrors';

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

/**
 * Sends an item's change once per run: hands back how an earlier try of this item ended (its
 * result, or a failure after which the change may have happened), else sends and remembers that.
 */
export async function sendOnce(
	attempt: Try,
	send: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const memory = memoryOf(attempt);
	const earlier = memory?.get(attempt.itemIndex);
	if (earlier instanceof Error) throw earlier;
	if (earlier) return earlier;
	try {
		const result = await send();
		memory?.set(attempt.itemIndex, result);
		return result;
	} catch (error) {
		if (isOutcomeUnknown(error)) memory?.set(attempt.itemIndex, error as Error);
		// The node's errors come back as they are (the remembered one included).
		throw asNodeError(attempt.node, error, attempt.itemIndex);
	}
}
