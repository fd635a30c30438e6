import { sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { checkMessageId } from '../../messaging/input';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { groupLocator, pinDurationField, pinMessageIdField } from './fields';
import { groupIdOf } from './input';
import { pinOutput } from './output';
import { changeGroup, groupPath } from './request';

const PIN_SECONDS = [86400, 604800, 2592000];

export const pinMessage: OperationDefinition = {
	option: {
		name: 'Pin Message',
		value: 'pin',
		action: 'Pin message in a group',
		description: 'Pin a message at the top of a group for 24 hours, 7 days or 30 days',
	},
	toolDescription:
		'Pin a message at the top of a WhatsApp group of the sending number, for every member to see, for 24 hours, 7 days or 30 days. The group, the message and the length come from this tool’s settings, not from you, unless the tool takes them as parameters.',
	fields: [sendingNumberLocator, groupLocator, pinMessageIdField, pinDurationField],
};

// POST …/pin { messageId, duration }: the MCP tool group_pin exists; its path and body are not in
// the docs. The duration is in seconds, as WhatsApp counts it.
export const pinMessageRun = perItem(async (context, itemIndex, read) => {
	const rawDuration = Number(read('pinDuration', 86400));
	const [numberId, groupId, messageId] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		groupIdOf(read),
		checkMessageId(read('pinMessageId', ''), 'Message ID'),
		PIN_SECONDS.includes(rawDuration)
			? { value: rawDuration }
			: { problem: 'Pin For must be 24 hours (86400), 7 days (604800) or 30 days (2592000).' },
	);
	const call = { context, itemIndex, operation: 'pin', numberId, subject: groupId };
	return await changeGroup(
		call,
		'POST',
		groupPath(groupId, '/pin'),
		{ messageId, duration: rawDuration },
		(answer) => pinOutput(answer, groupId, messageId, rawDuration),
	);
});
