import type { ResourceDefinition } from '../../routing/operations';
import { cancelMessages } from './cancel';
import { getMessage } from './get';
import { sendMessage } from './send';
import { sendAndWaitOperation } from './sendAndWait';

export const messageResource: ResourceDefinition = {
	resource: 'message',
	operations: [cancelMessages, getMessage, sendMessage, sendAndWaitOperation],
	defaultOperation: 'send',
	needsCredential: true,
};
