import { changesAccount } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { brandingFields } from './fields';
import { brandingChangesInBody, outputBranding } from './requests';

export const updateBranding: OperationDefinition = {
	option: {
		name: 'Update Branding',
		value: 'updateBranding',
		action: 'Update branding',
		description:
			'Change what the hosted pairing page shows; fields left out stay as they are. Needs the tenant key.',
		routing: {
			request: { method: 'PUT', url: '/v1/branding' },
			send: { preSend: [changesAccount, brandingChangesInBody] },
			output: { postReceive: [outputBranding] },
		},
	},
	toolDescription:
		'Change the account’s branding of the hosted pairing page that every remote pairing link opens (company name, logo, colors, links): every customer who opens a link from now on sees it. The fields come from this tool’s settings, not from you, unless the tool takes them as parameters. Needs the tenant key.',
	fields: [brandingFields],
};
