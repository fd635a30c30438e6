import { resourceDescription } from '../../shared/operations';
import { getManyApiKeys } from './getAll';
import { regenerateApiKey } from './regenerate';
import { rotateOwnKey } from './rotateOwnKey';

export const apiKeyDescription = resourceDescription(
	'apiKey',
	[getManyApiKeys, regenerateApiKey, rotateOwnKey],
	'getAll',
	{ needsCredential: true },
);
