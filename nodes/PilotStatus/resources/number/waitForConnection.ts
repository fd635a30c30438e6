import {
	numberLocator,
	toolNumberIdField,
	optionsCollection,
	resumeWhenField,
	stopWhenDisconnectedOption,
	waitFields,
} from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { MODEL_INPUTS, modelInputSentence } from '../../descriptions/tool';

/** A custom operation (see PilotStatus.node.ts customOperations): waiting is not one request. */
export const waitForNumberConnectionOperation: OperationDefinition = {
	option: {
		name: 'Wait for Connection',
		value: 'waitForConnection',
		action: 'Wait for connection of a number',
		description:
			'Continue once the customer has paired the number (OPEN): checked every few seconds, or notified by Pilot Status while the execution waits',
	},
	toolDescription: `Wait until a WhatsApp number is connected (checked every few seconds, up to the configured time), then report connected true or false. ${modelInputSentence(MODEL_INPUTS.numberId)}`,
	fields: [
		numberLocator,
		toolNumberIdField,
		resumeWhenField,
		...waitFields,
		optionsCollection(stopWhenDisconnectedOption),
	],
};
