import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import type { Checked } from '../../input/validation';
import type { OperationDefinition } from '../../routing/operations';
import { accepted, perItem, sendingNumberOf } from '../conversation/items';
import { changeCalls } from './requests';

const enabledOrDisabled = [
	{ name: 'Enabled', value: 'ENABLED' },
	{ name: 'Disabled', value: 'DISABLED' },
];

const settingsField: INodeProperties = {
	displayName: 'Settings to Change',
	name: 'callSettings',
	type: 'collection',
	placeholder: 'Add setting',
	default: {},
	description: 'Only the settings added here change',
	options: [
		{
			displayName: 'Call Hours (JSON)',
			name: 'callHours',
			type: 'json',
			default:
				'{\n  "status": "ENABLED",\n  "timezone_id": "America/Sao_Paulo",\n  "weekly_operating_hours": []\n}',
			description:
				'Meta’s call_hours object. It REPLACES the stored one entirely, so give all of it.',
		},
		{
			displayName: 'Call Icon Visibility',
			name: 'callIconVisibility',
			type: 'options',
			options: [
				{ name: 'Default (Shown)', value: 'DEFAULT' },
				{ name: 'Hidden', value: 'DISABLE_ALL' },
			],
			default: 'DEFAULT',
			description: 'Whether contacts see the call button in the chat with the number',
		},
		{
			displayName: 'Callback Requests',
			name: 'callbackPermissionStatus',
			type: 'options',
			options: enabledOrDisabled,
			default: 'ENABLED',
			description: 'Whether contacts may ask the business to call them back',
		},
		{
			displayName: 'Calling',
			name: 'status',
			type: 'options',
			options: enabledOrDisabled,
			default: 'ENABLED',
			description:
				'Whether the number takes and makes calls. Meta refuses it for numbers below 2,000 messages a day.',
		},
	],
};

export const updateCallSettings: OperationDefinition = {
	option: {
		name: 'Update Settings',
		value: 'updateSettings',
		action: 'Update settings for calls',
		description: 'Turn calling on or off, show or hide the call icon, set callbacks or hours',
	},
	toolDescription:
		'Change the WhatsApp calling settings of the sending number (calling on or off, the call icon contacts see, callback requests, calling hours): contacts notice at once. The settings come from this tool’s settings, not from you, unless the tool takes them as parameters.',
	fields: [sendingNumberLocator, settingsField],
};

const SETTING_NAMES: Record<string, string> = {
	status: 'status',
	callIconVisibility: 'call_icon_visibility',
	callbackPermissionStatus: 'callback_permission_status',
};

function callHoursOf(value: unknown): Checked<IDataObject> {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			parsed = undefined;
		}
	}
	return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
		? { value: parsed as IDataObject }
		: {
				problem:
					'Settings to Change → Call Hours (JSON) is not a JSON object. Give Meta’s whole call_hours object, e.g. {"status": "DISABLED"}.',
			};
}

/** The settings the user added, under Meta's names; at least one. */
function settingsBody(settings: IDataObject): Checked<IDataObject> {
	const body: IDataObject = {};
	for (const [name, apiName] of Object.entries(SETTING_NAMES)) {
		if (settings[name] !== undefined) body[apiName] = String(settings[name]);
	}
	if (settings.callHours !== undefined) {
		const hours = callHoursOf(settings.callHours);
		if (hours.problem !== undefined) return hours;
		body.call_hours = hours.value;
	}
	return Object.keys(body).length > 0
		? { value: body }
		: {
				problem:
					'Settings to Change is empty. Add the settings to change: Calling, Call Icon Visibility, Callback Requests or Call Hours.',
			};
}

export const updateCallSettingsRun = perItem(async (context, itemIndex, read) => {
	const [numberId, body] = accepted(
		context,
		itemIndex,
		sendingNumberOf(read),
		settingsBody((read('callSettings', {}) ?? {}) as IDataObject),
	);
	const call = { context, itemIndex, operation: 'updateSettings', numberId };
	return await changeCalls(call, 'PUT', '/v1/calls/settings', body, (answer) => ({
		updated: answer.success !== false,
		changed: body,
	}));
});
