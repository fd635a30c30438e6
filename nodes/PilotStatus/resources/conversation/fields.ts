import type { INodeProperties } from 'n8n-workflow';

// The date filters of the conversation reads. Declared once each: RoutingNode evaluates every
// declaration of every field for every item of every routed operation.

const startDate: INodeProperties = {
	displayName: 'From',
	name: 'startDate',
	type: 'dateTime',
	default: '',
	description:
		'Only from this time on. A time without a zone is in the workflow’s time zone (Settings → Timezone).',
};

const endDate: INodeProperties = {
	displayName: 'To',
	name: 'endDate',
	type: 'dateTime',
	default: '',
	description: 'Only up to this time',
};

/** Get Many conversations (over their last message) and Get Group Messages. */
export const dateFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'dateFilters',
	type: 'collection',
	placeholder: 'Add filter',
	default: {},
	options: [startDate, endDate],
};

/** Get History: the dates, and which direction. */
export const historyFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'historyFilters',
	type: 'collection',
	placeholder: 'Add filter',
	default: {},
	options: [
		{
			displayName: 'Direction',
			name: 'direction',
			type: 'options',
			options: [
				{ name: 'Both', value: 'both', description: 'Received and sent messages' },
				{ name: 'Received', value: 'INBOUND', description: 'Only messages contacts sent' },
				{ name: 'Sent', value: 'OUTBOUND', description: 'Only messages this number sent' },
			],
			default: 'both',
		},
		startDate,
		endDate,
	],
};
