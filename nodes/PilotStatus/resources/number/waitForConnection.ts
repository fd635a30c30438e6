import {
	numberLocator,
	stopWhenDisconnectedOption,
	waitFields,
	optionsCollection,
} from '../../shared/descriptions';
import type { OperationDefinition } from '../../shared/operations';

/** A custom operation (see PilotStatus.node.ts customOperations): polling is not one request. */
export const waitForNumberConnectionOperation: OperationDefinition = {
	option: {
		name: 'Wait for Connection',
		value: 'waitForConnection',
		action: 'Wait for connection of a number',
		description:
			'Check the state every few seconds until the customer has scanned the QR code (OPEN), then continue',
	},
	fields: [numberLocator, ...waitFields, optionsCollection(stopWhenDisconnectedOption)],
};
