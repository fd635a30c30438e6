import { sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { groupLocator } from './fields';
import { groupIdOf } from './input';
import { inviteOutput } from './output';
import { groupPath, readGroup } from './request';

export const getInviteLink: OperationDefinition = {
	option: {
		name: 'Get Invite Link',
		value: 'getInviteLink',
		action: 'Get invite link of a group',
		description: 'Get the link that lets anyone who has it join a group',
	},
	toolDescription:
		'Get the invite link of a WhatsApp group of the sending number (https://chat.whatsapp.com/…): anyone who has the link can join the group, so share it only with people who should. Changes nothing.',
	fields: [sendingNumberLocator, groupLocator],
};

// GET …/invite: the MCP tool group_invite exists; its path is not in the docs.
export const getInviteLinkRun = perItem(async (context, itemIndex, read) => {
	const [numberId, groupId] = accepted(context, itemIndex, sendingNumberOf(read), groupIdOf(read));
	const call = { context, itemIndex, operation: 'getInviteLink', numberId, subject: groupId };
	const answer = await readGroup(call, groupPath(groupId, '/invite'));
	return [{ json: inviteOutput(answer, groupId), pairedItem: { item: itemIndex } }];
});
