import type { ResourceDefinition } from '../../routing/operations';
import { getManyConversations, getManyConversationsRun } from './getAll';
import { getGroupMessages, getGroupMessagesRun } from './getGroupMessages';
import { getMessageHistory, getMessageHistoryRun } from './getHistory';
import { getUnreadMessages, getUnreadMessagesRun } from './getUnread';

export const conversationResource: ResourceDefinition = {
	resource: 'conversation',
	operations: [getManyConversations, getGroupMessages, getMessageHistory, getUnreadMessages],
	defaultOperation: 'getUnread',
	needsCredential: true,
};

/** Every operation runs as code (PilotStatus.node.ts customOperations): paging over page/pageSize. */
export const conversationOperations = {
	getAll: getManyConversationsRun,
	getGroupMessages: getGroupMessagesRun,
	getHistory: getMessageHistoryRun,
	getUnread: getUnreadMessagesRun,
};
