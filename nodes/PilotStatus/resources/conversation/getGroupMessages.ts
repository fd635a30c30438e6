import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { dateFilters } from './fields';
import { messageOutput } from './output';
import { readOperation } from './read';

export const getGroupMessages: OperationDefinition = {
	option: {
		name: 'Get Group Messages',
		value: 'getGroupMessages',
		action: 'Get group messages',
		description:
			'List the messages of the sending number’s WhatsApp groups, received and sent, newest first',
	},
	fields: [sendingNumberLocator, ...returnAllOrLimit, dateFilters],
};

export const getGroupMessagesRun = readOperation({
	resource: 'conversation',
	operation: 'getGroupMessages',
	path: '/v1/messages/group',
	shape: messageOutput,
	filters: 'dateFilters',
});
