import type { ResourceDefinition } from '../../routing/operations';
import { connectWithToken } from './connect';
import { getPairingInfo } from './getInfo';
import { getPairingStatus } from './getStatus';
import { waitForPairingConnectionOperation } from './waitForConnection';

export const remotePairingResource: ResourceDefinition = {
	resource: 'remotePairing',
	operations: [
		connectWithToken,
		getPairingInfo,
		getPairingStatus,
		waitForPairingConnectionOperation,
	],
	defaultOperation: 'connect',
	needsCredential: false,
};
