import type { IDataObject } from 'n8n-workflow';

import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import type { Checked } from '../../input/validation';
import { conversationFilterOf, historyFilters } from './fields';
import { messageOutput } from './output';
import { readOperation } from './read';
import type { RowFilter } from './read';

export const getMessageHistory: OperationDefinition = {
	option: {
		name: 'Get History',
		value: 'getHistory',
		action: 'Get history of messages',
		description:
			'List the stored messages of the sending number, received and sent, direct and group, newest first (about a month back)',
	},
	fields: [sendingNumberLocator, ...returnAllOrLimit, historyFilters],
};

/** The service has no direction parameter: the node keeps the chosen direction's rows. */
function inDirection(row: IDataObject, filters: IDataObject): boolean {
	const direction = filters.direction;
	if (direction !== 'INBOUND' && direction !== 'OUTBOUND') return true;
	return String(row.direction ?? '').toUpperCase() === direction;
}

/** Nor a conversation parameter: the node keeps the picked conversation's rows. */
function historyRows(filters: IDataObject): Checked<RowFilter> {
	const conversation = conversationFilterOf(filters.conversation);
	if (conversation.problem !== undefined) return conversation;
	const id = conversation.value;
	return {
		value: (row) =>
			inDirection(row, filters) && (id === undefined || String(row.conversationId ?? '') === id),
	};
}

export const getMessageHistoryRun = readOperation({
	resource: 'conversation',
	operation: 'getHistory',
	path: '/v1/messages/history',
	shape: messageOutput,
	filters: 'historyFilters',
	keep: historyRows,
});
