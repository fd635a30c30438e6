import { sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { groupSubjectField, participantsCountryField, participantsField } from './fields';
import { participantsOf, subjectOf } from './input';
import { groupOutput } from './output';
import { changeGroup } from './request';

export const createGroup: OperationDefinition = {
	option: {
		name: 'Create',
		value: 'create',
		action: 'Create a group',
		description: 'Create a WhatsApp group with the sending number as its admin',
	},
	toolDescription:
		'Create a new WhatsApp group with the sending number as its admin, with a subject (its name) and optionally participants, who are added at once and see the group. Every call creates another group: never repeat a call whose answer was lost; list the groups first. The subject and participants come from this tool’s settings, not from you, unless the tool takes them as parameters.',
	fields: [sendingNumberLocator, groupSubjectField, participantsField, participantsCountryField],
};

export const createGroupRun = perItem(async (context, itemIndex, read) => {
	const [numberId, subject, participants] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		subjectOf(read),
		participantsOf(read, false),
	);
	const call = { context, itemIndex, operation: 'create', numberId };
	const body = { subject, ...(participants.length > 0 ? { participants } : {}) };
	return await changeGroup(call, 'POST', '/v1/groups', body, groupOutput);
});
