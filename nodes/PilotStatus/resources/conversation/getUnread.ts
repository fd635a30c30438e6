import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { messageOutput } from './output';
import { readOperation } from './read';

export const getUnreadMessages: OperationDefinition = {
	option: {
		name: 'Get Unread',
		value: 'getUnread',
		action: 'Get unread messages',
		description: 'List the messages contacts sent that are not read yet, newest first',
	},
	fields: [sendingNumberLocator, ...returnAllOrLimit],
};

export const getUnreadMessagesRun = readOperation({
	resource: 'conversation',
	operation: 'getUnread',
	path: '/v1/messages/unread',
	shape: messageOutput,
});
