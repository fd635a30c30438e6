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
	fields: [sendingNumberLocator, ...returnAllOrLimit, dateFilters],
};

export const getManyConversationsRun = readOperation({
	resource: 'conversation',
	operation: 'getAll',
	path: '/v1/conversations',
	shape: conversationOutput,
	filters: 'dateFilters',
});
