import type { ResourceDefinition } from '../../routing/operations';
import { getManyApiKeys } from './getAll';
import { regenerateApiKey } from './regenerate';
import { rotateOwnKey } from './rotateOwnKey';

export const apiKeyResource: ResourceDefinition = {
	resource: 'apiKey',
	operations: [getManyApiKeys, regenerateApiKey, rotateOwnKey],
	defaultOperation: 'getAll',
	needsCredential: true,
};
