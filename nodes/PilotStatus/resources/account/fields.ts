import type { INodeProperties } from 'n8n-workflow';

// Fields that several account operations list: declared once, so that n8n evaluates each once per
// item (see routing/operations.ts).

export const TENANT_KEY_HINT =
	'Needs the tenant key (Pilot Status dashboard → Profile → API tab) in the credential; a number’s own key is refused.';

export const quantityField: INodeProperties = {
	displayName: 'Quantity',
	name: 'extraNumbersQuantity',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
	default: 1,
	description: 'How many extra number slots',
	hint: TENANT_KEY_HINT,
};

export const brandingFields: INodeProperties = {
	displayName: 'Branding Fields',
	name: 'brandingFields',
	type: 'collection',
	placeholder: 'Add field to change',
	default: {},
	description:
		'What the hosted pairing page (remote pairing links) shows. Fields left out stay as they are.',
	options: [
		{
			displayName: 'Background Color',
			name: 'backgroundColor',
			type: 'color',
			default: '#ffffff',
			description: 'Hex color, like #ffffff',
		},
		{
			displayName: 'Company Name',
			name: 'companyName',
			type: 'string',
			default: '',
			description: 'Up to 60 characters',
		},
		{
			displayName: 'Default Redirect URL',
			name: 'defaultRedirectUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/connected',
			description: 'Where the page sends the customer once the number is connected (https)',
		},
		{
			displayName: 'Hide Pilot Status Branding',
			name: 'hidePilotStatusBranding',
			type: 'boolean',
			default: false,
			description: 'Whether to hide Pilot Status’s own name and logo on the page',
		},
		{
			displayName: 'Logo URL',
			name: 'logoUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/logo.png',
			description: 'A public https address of the logo (uploading a file is dashboard-only)',
		},
		{
			displayName: 'Primary Color',
			name: 'primaryColor',
			type: 'color',
			default: '#1fd286',
			description: 'Hex color, like #1fd286',
		},
		{
			displayName: 'Reset to Default',
			name: 'reset',
			type: 'multiOptions',
			options: [
				{ name: 'Background Color', value: 'backgroundColor' },
				{ name: 'Company Name', value: 'companyName' },
				{ name: 'Default Redirect URL', value: 'defaultRedirectUrl' },
				{ name: 'Logo URL', value: 'logoUrl' },
				{ name: 'Primary Color', value: 'primaryColor' },
				{ name: 'Subtitle', value: 'subtitle' },
				{ name: 'Support URL', value: 'supportUrl' },
			],
			default: [],
			description: 'Fields to clear, so the page shows Pilot Status’s default for them',
		},
		{
			displayName: 'Subtitle',
			name: 'subtitle',
			type: 'string',
			default: '',
			description: 'Up to 120 characters',
		},
		{
			displayName: 'Support URL',
			name: 'supportUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/help',
			description: 'Where the page’s help link points (https)',
		},
	],
};
