import type { ResourceDefinition } from '../../routing/operations';
import { getManyChannels } from './getAll';

export const channelResource: ResourceDefinition = {
	resource: 'channel',
	operations: [getManyChannels],
	defaultOperation: 'getAll',
	needsCredential: true,
};
