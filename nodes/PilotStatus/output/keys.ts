import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maskSecret, normalizeApiKey } from './normalize';
import { runsAsTool } from '../descriptions/tool';

/** Only on the Tool variant (`@tool`); see keyOutput. */
export const showKeyToModelField: INodeProperties = {
	displayName: 'Show New Key to the AI Model',
	name: 'showKeyToModel',
	type: 'boolean',
	default: false,
	description:
		'Whether the new key goes into the answer the AI agent receives. The key then reaches the model provider and its logs. Off: the answer says where to read the key instead.',
	displayOptions: { show: { '@tool': [true] } },
};

/**
 * The new key as Regenerate and Rotate Own Key output it. Run as an AI tool, the key and its ID
 * (which works like the key) stay out of what the model sees, unless the user opted in.
 */
export function keyOutput(
	context: IExecuteFunctions,
	itemIndex: number,
	body: unknown,
): IDataObject {
	const key = normalizeApiKey(body);
	if (!runsAsTool(context.getNode())) return key;
	if (context.getNodeParameter('showKeyToModel', itemIndex, false) === true) return key;
	return {
		...key,
		key: maskSecret(key.key),
		keyId: maskSecret(key.keyId),
		keyNote:
			'The new key was created but is not shown to the AI model. Read it in a normal workflow step with API Key → Get Many (Reveal Keys on).',
	};
}
