import type { INodeProperties } from 'n8n-workflow';

import { checkId, looksLikePhoneNumber, quote } from '../../input/validation';
import type { Checked } from '../../input/validation';

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

/**
 * One conversation's messages. A filter of the node's own (the history endpoint takes only dates),
 * picked from the sending number's conversations instead of an ID copied from Get Many.
 */
const conversation: INodeProperties = {
	displayName: 'Conversation',
	name: 'conversation',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'Only this conversation’s messages (a contact or a group). Pilot Status has no such filter, so the node reads the history page by page and keeps this conversation’s: with Return All it reads the whole stored history.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a conversation...',
			typeOptions: { searchListMethod: 'searchConversations', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. conv_01HZX9K3',
		},
	],
};

/** Get History: the dates, which direction, and one conversation. */
export const historyFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'historyFilters',
	type: 'collection',
	placeholder: 'Add filter',
	default: {},
	options: [
		conversation,
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

/**
 * Filters → Conversation: none when left empty; a phone number (the easy mix-up: the list shows
 * the contact's) is refused with where the ID comes from.
 */
export function conversationFilterOf(locator: unknown): Checked<string | undefined> {
	const value =
		locator && typeof locator === 'object' && 'value' in locator
			? (locator as { value: unknown }).value
			: locator;
	if (value === undefined || value === null || String(value).trim() === '')
		return { value: undefined };
	const field = 'Filters → Conversation';
	if (typeof value === 'string' && looksLikePhoneNumber(value.trim()))
		return {
			problem: `${field} ${quote(value.trim())} looks like a phone number, not a conversation ID. Pick the conversation From List, or map the id Conversation → Get Many gives it (like conv_01HZX9K3).`,
		};
	return checkId(value, field);
}
