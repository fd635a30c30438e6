import type { IHttpRequestMethods } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { groupLocator, participantsCountryField, participantsField } from './fields';
import { groupIdOf, participantsOf } from './input';
import { participantsChangeOutput } from './output';
import { changeGroup, groupPath } from './request';

// Add, Remove, Promote and Demote Participants. The docs show POST …/participants (add) and a
// DELETE beside it (remove); promote and demote exist (MCP group_participants_promote/demote) at
// paths the docs do not show: …/participants/promote and …/participants/demote.

interface ParticipantChange {
	name: string;
	value: string;
	action: string;
	verb: string;
	method: IHttpRequestMethods;
	suffix: string;
	description: string;
	tool: string;
}

const CHANGES: ParticipantChange[] = [
	{
		name: 'Add Participants',
		value: 'addParticipants',
		action: 'add',
		verb: 'Add participants to a group',
		method: 'POST',
		suffix: '/participants',
		description: 'Add phone numbers to a group; they see it at once',
		tool: 'Add people to a WhatsApp group of the sending number by phone number; they join at once and see the group.',
	},
	{
		name: 'Demote Participants',
		value: 'demoteParticipants',
		action: 'demote',
		verb: 'Demote participants of a group',
		method: 'POST',
		suffix: '/participants/demote',
		description: 'Take admin rights away from participants of a group',
		tool: 'Take admin rights away from participants of a WhatsApp group of the sending number; they stay in the group.',
	},
	{
		name: 'Promote Participants',
		value: 'promoteParticipants',
		action: 'promote',
		verb: 'Promote participants of a group',
		method: 'POST',
		suffix: '/participants/promote',
		description: 'Make participants of a group its admins',
		tool: 'Make participants of a WhatsApp group of the sending number its admins (they can then change the group and its members).',
	},
	{
		name: 'Remove Participants',
		value: 'removeParticipants',
		action: 'remove',
		verb: 'Remove participants from a group',
		method: 'DELETE',
		suffix: '/participants',
		description: 'Remove phone numbers from a group',
		tool: 'Remove people from a WhatsApp group of the sending number; they leave it at once and WhatsApp shows that they were removed.',
	},
];

const FIELDS = [sendingNumberLocator, groupLocator, participantsField, participantsCountryField];

function definition(change: ParticipantChange): OperationDefinition {
	return {
		option: {
			name: change.name,
			value: change.value,
			action: change.verb,
			description: change.description,
		},
		toolDescription: `${change.tool} Each participant comes back with what happened to them when Pilot Status says so. The group and the phone numbers come from this tool’s settings, not from you, unless the tool takes them as parameters.`,
		fields: FIELDS,
	};
}

function run(change: ParticipantChange) {
	return perItem(async (context, itemIndex, read) => {
		const [numberId, groupId, participants] = accepted(
			context,
			itemIndex,
			sendingNumberOf(read),
			groupIdOf(read),
			participantsOf(read, true),
		);
		const call = { context, itemIndex, operation: change.value, numberId, subject: groupId };
		return await changeGroup(
			call,
			change.method,
			groupPath(groupId, change.suffix),
			{ participants },
			(answer) => participantsChangeOutput(answer, groupId, change.action, participants),
		);
	});
}

export const participantOperations = CHANGES.map(definition);

export const participantRuns = Object.fromEntries(
	CHANGES.map((change) => [change.value, run(change)]),
);
