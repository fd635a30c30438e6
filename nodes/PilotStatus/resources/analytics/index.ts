import type { ResourceDefinition } from '../../routing/operations';
import { getDashboard } from './getDashboard';

export const analyticsResource: ResourceDefinition = {
	resource: 'analytics',
	operations: [getDashboard],
	defaultOperation: 'getDashboard',
	needsCredential: true,
};
