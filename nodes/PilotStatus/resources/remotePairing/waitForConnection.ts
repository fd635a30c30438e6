import {
	apiBaseUrlOption,
	noCredentialNotice,
	pairingLinkField,
	stopWhenDisconnectedOption,
	toolPairingLinkField,
	waitFields,
	optionsCollection,
} from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';

/** A custom operation (see PilotStatus.node.ts customOperations): polling is not one request. */
export const waitForPairingConnectionOperation: OperationDefinition = {
	option: {
		name: 'Wait for Connection',
		value: 'waitForConnection',
		action: 'Wait for connection of a pairing link',
		description:
			'Check every few seconds until the customer has opened the link and scanned the QR code (OPEN), then continue',
	},
	fields: [
		noCredentialNotice,
		pairingLinkField,
		toolPairingLinkField,
		...waitFields,
		optionsCollection(apiBaseUrlOption, stopWhenDisconnectedOption),
	],
};
