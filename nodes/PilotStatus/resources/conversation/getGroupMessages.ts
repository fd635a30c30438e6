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
	toolDescription:
		'List the messages in the WhatsApp groups of the sending number, both directions, newest first, with the group ID and name, optionally between two dates. Meta (Cloud API) numbers have groups only as approved Official Business Accounts. Changes nothing. If the number stores no messages (privacy mode Relay Only) the answer is one item with notice PII_RELAY_ONLY.',
	fields: [sendingNumberLocator, ...returnAllOrLimit, dateFilters],
};

export const getGroupMessagesRun = readOperation({
	resource: 'conversation',
	operation: 'getGroupMessages',
	path: '/v1/messages/group',
	shape: messageOutput,
	filters: 'dateFilters',
});
