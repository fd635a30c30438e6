import { sendingNumberLocator } from '../../descriptions/fields';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { settingsOutput } from './output';
import { readCalls } from './requests';

export const getCallSettings: OperationDefinition = {
	option: {
		name: 'Get Settings',
		value: 'getSettings',
		action: 'Get settings for calls',
		description: 'Whether calling is on for the number, the call icon, callbacks and calling hours',
	},
	fields: [sendingNumberLocator],
};

export const getCallSettingsRun = perItem(async (context, itemIndex, read) => {
	const [numberId] = accepted(context, itemIndex, sendingNumberOf(read));
	const call = { context, itemIndex, operation: 'getSettings', numberId };
	const answer = await readCalls(call, '/v1/calls/settings');
	return [{ json: settingsOutput(answer), pairedItem: { item: itemIndex } }];
});
