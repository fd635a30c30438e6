import type { ResourceDefinition } from '../../routing/operations';
import { addExtraNumbers } from './addExtraNumbers';
import { getBranding } from './getBranding';
import { getCheckoutLink } from './getCheckoutLink';
import { getExtraNumbersCost } from './getExtraNumbersCost';
import { removeExtraNumbers } from './removeExtraNumbers';
import { updateBranding } from './updateBranding';

// Tenant-only operations: branding of the hosted pairing page, extra number slots, payment links.
export const accountResource: ResourceDefinition = {
	resource: 'account',
	operations: [
		addExtraNumbers,
		getBranding,
		getCheckoutLink,
		getExtraNumbersCost,
		removeExtraNumbers,
		updateBranding,
	],
	defaultOperation: 'getBranding',
	needsCredential: true,
};
