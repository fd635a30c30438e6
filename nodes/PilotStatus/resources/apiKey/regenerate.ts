import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { numberLocator, toolNumberIdField } from '../../descriptions/fields';
import { inputError } from '../../errors/nodeErrors';
import { keyOutput, showKeyToModelField } from '../../output/keys';
import type { OperationDefinition } from '../../routing/operations';
import { itemParameters, numberIdOf } from '../../input/parameters';
import { sendOnce } from '../../transport/replay';
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';
import { pilotStatusRequest, requestTimeoutOf } from '../../transport/request';

/** A custom operation (see PilotStatus.node.ts customOperations): the run needs every item's outcome. */
export const regenerateApiKey: OperationDefinition = {
	option: {
		name: 'Regenerate',
		value: 'regenerate',
		action: 'Regenerate the API key of a number',
		description:
			'Replace a number’s key: the old key stops working at once (permanent) and the new one is shown once',
	},
	// Show New Key to the AI Model decides whether the model gets the key: the text holds either way.
	toolDescription: `PERMANENTLY replace the API key of one WhatsApp number: its current key stops working at once for every system that uses it. You get the new key only if this tool is set to show it to the AI model; otherwise it comes back masked (ps_…wxyz) and a person reads it in a normal workflow step. ${modelInputSentence(MODEL_INPUTS.numberId)} Use only when the user explicitly asked to regenerate this number's key.`,
	fields: [
		{
			displayName:
				'The number’s current key stops working at once. The new key is in this output only once: store it in the next step.',
			name: 'regenerateNotice',
			type: 'notice',
			default: '',
		},
		numberLocator,
		toolNumberIdField,
		showKeyToModelField,
	],
};

/**
 * Regenerates one key per item, one after another. Every number ID is checked before any key is
 * replaced. A key that was replaced is never lost because another item failed: once any key has
 * changed, failures come out as items with `error` instead of stopping the run (which would discard
 * the new keys); only a run in which nothing changed fails as a whole. A retry by n8n's Retry On
 * Fail regenerates only the numbers whose earlier try failed with nothing changed.
 */
export async function regenerateApiKeys(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const ids = items.map((_item, itemIndex) => numberIdOf(itemParameters(this, itemIndex)));
	const firstBad = ids.findIndex((id) => id.problem !== undefined);
	if (firstBad !== -1 && !continueOnFail)
		throw inputError(this.getNode(), [ids[firstBad].problem as string], firstBad);

	const output: INodeExecutionData[] = [];
	let replaced = 0;
	let firstError: Error | undefined;
	const failed = (error: Error, itemIndex: number, numberId: string | undefined) => {
		firstError ??= error;
		output.push({
			json: { numberId: numberId ?? null, error: error.message },
			pairedItem: { item: itemIndex },
			...(continueOnFail ? { error: error as INodeExecutionData['error'] } : {}),
		});
	};
	for (const [itemIndex, id] of ids.entries()) {
		const attempt = { executeData: this.getExecuteData(), node: this.getNode(), itemIndex };
		try {
			const result = await sendOnce(attempt, async () => {
				if (id.problem !== undefined) throw inputError(this.getNode(), [id.problem], itemIndex);
				const { body } = await pilotStatusRequest.call(this, {
					method: 'POST',
					path: '/v1/api-keys',
					body: { whatsappNumberId: id.value },
					timeoutMs: requestTimeoutOf(this),
					failure: { resource: 'apiKey', subject: id.value, itemIndex, changes: true },
				});
				return [{ json: keyOutput(this, itemIndex, body), pairedItem: { item: itemIndex } }];
			});
			output.push(...result);
			replaced += 1;
		} catch (error) {
			failed(error as Error, itemIndex, id.value);
		}
	}
	if (firstError && replaced === 0 && !continueOnFail) throw firstError;
	return [output];
}
