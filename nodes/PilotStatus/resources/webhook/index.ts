import type { ResourceDefinition } from '../../routing/operations';
import { createWebhook } from './create';
import { deleteWebhook } from './delete';
import { getWebhook } from './get';
import { getManyWebhooks } from './getAll';
import { getDeliveryLogs } from './getLogs';
import { updateWebhook } from './update';

export const webhookResource: ResourceDefinition = {
	resource: 'webhook',
	operations: [
		createWebhook,
		deleteWebhook,
		getWebhook,
		getManyWebhooks,
		getDeliveryLogs,
		updateWebhook,
	],
	defaultOperation: 'getAll',
	needsCredential: true,
};
