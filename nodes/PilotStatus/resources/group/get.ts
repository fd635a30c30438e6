import { sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { groupLocator } from './fields';
import { groupIdOf } from './input';
import { groupOutput } from './output';
import { groupPath, readGroup } from './request';

export const getGroup: OperationDefinition = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a group',
		description: 'Get a group’s subject and participants with their roles',
	},
	fields: [sendingNumberLocator, groupLocator],
};

export const getGroupRun = perItem(async (context, itemIndex, read) => {
	const [numberId, groupId] = accepted(context, itemIndex, sendingNumberOf(read), groupIdOf(read));
	const call = { context, itemIndex, operation: 'get', numberId, subject: groupId };
	const answer = await readGroup(call, groupPath(groupId));
	return [{ json: groupOutput(answer), pairedItem: { item: itemIndex } }];
});
