import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { dateFilters } from './fields';
import { conversationOutput } from './output';
import { readOperation } from './read';

export const getManyConversations: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many conversations',
		description:
			'List the sending number’s conversations (contacts, groups, channels), newest first, with unread counts',
	},
	toolDescription:
		'List the WhatsApp conversations of the sending number, most recent first: the contact’s phone number and name (or the group), the type (DIRECT, GROUP, NEWSLETTER), how many messages are unread, and a preview of the last message. Changes nothing. If the number stores no messages (privacy mode Relay Only) the answer is one item with notice PII_RELAY_ONLY.',
	fields: [sendingNumberLocator, ...returnAllOrLimit, dateFilters],
};

export const getManyConversationsRun = readOperation({
	resource: 'conversation',
	operation: 'getAll',
	path: '/v1/conversations',
	shape: conversationOutput,
	filters: 'dateFilters',
});
