import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, inputErrorWith } from '../../errors/nodeErrors';
import { keyOutput } from '../../output/keys';
import type { OperationDefinition } from '../../routing/operations';
import { sendOnce } from '../../transport/replay';
import { runsAsTool } from '../../descriptions/tool';
import { pilotStatusRequest, requestTimeoutOf } from '../../transport/request';

/** A custom operation (see PilotStatus.node.ts customOperations): it must run once per execution. */
export const rotateOwnKey: OperationDefinition = {
	option: {
		name: 'Rotate Own Key',
		value: 'rotateOwnKey',
		action: 'Rotate own key',
		description:
			'Replace the key this credential uses (permanent): the credential stops working until you store the new key',
	},
	toolDescription:
		'Not available to AI agents: it would replace the key this connection uses and leave it dead. It always refuses; tell the user to rotate the key in a normal workflow step.',
	fields: [
		{
			displayName:
				'This credential’s key stops working at once. The new key is in this output only once: store it right away (update the credential). Give it a single item.',
			name: 'rotateNotice',
			type: 'notice',
			default: '',
		},
	],
};

/**
 * One rotation for one item. A second call in the same run would go out with the key the first one
 * just replaced, fail with 401, and the run would output nothing: the new key lost, the account
 * locked out. So several items are refused before anything is sent, and so is a run as an AI tool
 * (the new key would go to the model provider, and the credential would be left dead).
 */
export async function rotateOwnKeyOnce(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	if (runsAsTool(node)) {
		throw inputErrorWith(
			node,
			'Rotate Own Key cannot run as an AI tool: it would replace the key of this credential and leave the credential dead. Nothing was changed; rotate the key in a normal workflow step.',
			'Detach this tool from the agent. Run Rotate Own Key in a normal workflow step and store the new key right away.',
		);
	}
	if (items.length > 1) {
		throw inputErrorWith(
			node,
			`Rotate Own Key received ${items.length} items, but the credential has one key and rotates once. Nothing was sent.`,
			'A second rotation would go out with the key the first one replaced, fail, and lose the new key. Turn on Settings → Execute Once, or give this node a single item.',
		);
	}
	// A retry by n8n's Retry On Fail would go out with the key this try may already have replaced: it
	// hands back this try's failure instead (sending again could rotate twice, or get a 401 that hides
	// the rotation).
	const attempt = { executeData: this.getExecuteData(), node, itemIndex: 0 };
	try {
		const result = await sendOnce(attempt, async () => {
			const { body } = await pilotStatusRequest.call(this, {
				method: 'POST',
				path: '/v1/api-keys/regenerate',
				timeoutMs: requestTimeoutOf(this),
				failure: { resource: 'apiKey', itemIndex: 0, changes: true },
			});
			return [{ json: keyOutput(this, 0, body), pairedItem: { item: 0 } }];
		});
		return [result];
	} catch (error) {
		if (!this.continueOnFail()) throw asNodeError(node, error, 0);
		const failure = asNodeError(node, error, 0);
		return [[{ json: { error: failure.message }, error: failure, pairedItem: { item: 0 } }]];
	}
}
