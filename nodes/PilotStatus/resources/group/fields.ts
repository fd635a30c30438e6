import type { INodeProperties } from 'n8n-workflow';

import { LOCAL_NUMBER_HINT, localNumberCountryField } from '../../input/phoneNumber';

// The group fields, each declared once (RoutingNode evaluates every declaration per item).

/** A group's WhatsApp ID (JID), as Pilot Status names groups everywhere. */
export const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*@g\.us$/;

export const groupLocator: INodeProperties = {
	displayName: 'Group',
	name: 'group',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The WhatsApp group of the sending number. By ID takes its WhatsApp ID, which ends with @g.us.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a group...',
			typeOptions: { searchListMethod: 'searchGroups', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 120363012345678901@g.us',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^$|^[A-Za-z0-9][A-Za-z0-9._-]*@g\\.us$',
						errorMessage: 'Group: not a WhatsApp group ID; it ends with @g.us.',
					},
				},
			],
		},
	],
};

export const groupSubjectField: INodeProperties = {
	displayName: 'Subject',
	name: 'groupSubject',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. Clientes VIP',
	description: 'The group’s name, as members see it (up to 100 characters)',
};

export const participantsField: INodeProperties = {
	displayName: 'Participants',
	name: 'participants',
	type: 'string',
	default: '',
	placeholder: 'e.g. +5511999999999, +5511988888888',
	description:
		'Phone numbers with country and area code, separated by commas or new lines, or an expression that gives a list',
	hint: LOCAL_NUMBER_HINT,
};

export const participantsCountryField = localNumberCountryField('participantsCountry');

export const pinMessageIdField: INodeProperties = {
	displayName: 'Message ID',
	name: 'pinMessageId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 3EB0C431C26A1916F8AF',
	description:
		'The ID of the message to pin, from Conversation → Get Group Messages or from the Pilot Status Trigger’s message.group event',
};

export const pinDurationField: INodeProperties = {
	displayName: 'Pin For',
	name: 'pinDuration',
	type: 'options',
	options: [
		{ name: '24 Hours', value: 86400 },
		{ name: '7 Days', value: 604800 },
		{ name: '30 Days', value: 2592000 },
	],
	default: 86400,
	description: 'How long WhatsApp keeps the message pinned (the three lengths WhatsApp offers)',
};
