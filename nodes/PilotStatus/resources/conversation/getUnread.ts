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
	toolDescription:
		'List the WhatsApp messages contacts sent to the sending number that nobody has read yet, newest first: sender phone and name, text or caption, type, media (with its mediaId), and the conversation’s unread count. Reading them here does not mark them as read. Changes nothing. If the number stores no messages (privacy mode Relay Only) the answer is one item with notice PII_RELAY_ONLY.',
	fields: [sendingNumberLocator, ...returnAllOrLimit],
};

export const getUnreadMessagesRun = readOperation({
	resource: 'conversation',
	operation: 'getUnread',
	path: '/v1/messages/unread',
	shape: messageOutput,
});
