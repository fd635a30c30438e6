import { resourceDescription } from '../../shared/operations';
import { connectWithToken } from './connect';
import { getPairingInfo } from './getInfo';
import { getPairingStatus } from './getStatus';
import { waitForPairingConnectionOperation } from './waitForConnection';

export const remotePairingDescription = resourceDescription(
	'remotePairing',
	[connectWithToken, getPairingInfo, getPairingStatus, waitForPairingConnectionOperation],
	'connect',
	{ needsCredential: false },
);
