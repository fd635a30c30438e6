import type { ResourceDefinition } from '../../routing/operations';
import { createTemplate } from './create';
import { deleteTemplate } from './delete';
import { getTemplate } from './get';
import { getManyTemplates } from './getAll';
import { updateTemplate } from './update';

export const templateResource: ResourceDefinition = {
	resource: 'template',
	operations: [createTemplate, deleteTemplate, getTemplate, getManyTemplates, updateTemplate],
	defaultOperation: 'getAll',
	needsCredential: true,
};
