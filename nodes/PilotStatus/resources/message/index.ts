import type { ResourceDefinition } from '../../routing/operations';
import { cancelMessages } from './cancel';
import { getMessage } from './get';
import { sendMessage } from './send';

export const messageResource: ResourceDefinition = {
	resource: 'message',
	operations: [cancelMessages, getMessage, sendMessage],
	defaultOperation: 'send',
	needsCredential: true,
};
