import type { ResourceDefinition } from '../../routing/operations';
import { checkNumbers } from './checkNumber';

export const contactResource: ResourceDefinition = {
	resource: 'contact',
	operations: [checkNumbers],
	defaultOperation: 'checkNumber',
	needsCredential: true,
};
