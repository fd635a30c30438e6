import {
	numberLocator,
	toolNumberIdField,
	optionsCollection,
	resumeWhenField,
	stopWhenDisconnectedOption,
	waitFields,
} from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';

/** A custom operation (see PilotStatus.node.ts customOperations): waiting is not one request. */
export const waitForNumberConnectionOperation: OperationDefinition = {
	option: {
		name: 'Wait for Connection',
		value: 'waitForConnection',
		action: 'Wait for connection of a number',
		description:
			'Continue once the customer has paired the number (OPEN): checked every few seconds, or notified by Pilot Status while the execution waits',
	},
	fields: [
		numberLocator,
		toolNumberIdField,
		resumeWhenField,
		...waitFields,
		optionsCollection(stopWhenDisconnectedOption),
	],
};
