import { resourceDescription } from '../../shared/operations';
import { connectWithToken } from './connect';
import { getPairingInfo } from './getInfo';
import { getPairingStatus } from './getStatus';

export const remotePairingDescription = resourceDescription(
	'remotePairing',
	[connectWithToken, getPairingInfo, getPairingStatus],
	'connect',
	{ needsCredential: false },
);
