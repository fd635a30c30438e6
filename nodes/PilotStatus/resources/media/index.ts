import type { ResourceDefinition } from '../../routing/operations';
import { downloadMedia } from './download';

export const mediaResource: ResourceDefinition = {
	resource: 'media',
	operations: [downloadMedia],
	defaultOperation: 'download',
	needsCredential: true,
};
