import type { ResourceDefinition } from '../../routing/operations';
import { connectNumber } from './connect';
import { createNumber } from './create';
import { createRemotePairingLink } from './createRemotePairingLink';
import { deleteNumber } from './delete';
import { getNumber } from './get';
import { getManyNumbers } from './getAll';
import { getNumberStatus } from './getStatus';
import { waitForNumberConnectionOperation } from './waitForConnection';

export const numberResource: ResourceDefinition = {
	resource: 'number',
	operations: [
		connectNumber,
		createNumber,
		createRemotePairingLink,
		deleteNumber,
		getNumber,
		getManyNumbers,
		getNumberStatus,
		waitForNumberConnectionOperation,
	],
	defaultOperation: 'create',
	needsCredential: true,
};
