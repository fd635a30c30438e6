import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import { listInAnswer, unreadableResponseError } from '../../errors/nodeErrors';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, limitOf, perItem, sendingNumberOf } from '../conversation/items';
import { groupSummaryOutput } from './output';
import { readGroup } from './request';

export const getManyGroups: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many groups',
		description: 'List the WhatsApp groups the sending number is in (ID and name)',
	},
	fields: [sendingNumberLocator, ...returnAllOrLimit],
};

/** GET /v1/groups returns every group at once; Limit is applied here. */
export const getManyGroupsRun = perItem(async (context, itemIndex, read) => {
	const [numberId, limit] = accepted(context, itemIndex, sendingNumberOf(read), limitOf(read));
	const call = { context, itemIndex, operation: 'getAll', numberId };
	const answer = await readGroup(call, '/v1/groups');
	const groups = listInAnswer(answer);
	if (!groups)
		throw unreadableResponseError(context.getNode(), answer, { resource: 'group', itemIndex });
	return groups
		.slice(0, limit ?? groups.length)
		.map((group) => ({ json: groupSummaryOutput(group), pairedItem: { item: itemIndex } }));
});
