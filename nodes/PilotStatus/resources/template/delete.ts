import type { INodeProperties } from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { settingsSentence } from '../../descriptions/tool';
import { changesAccount, withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';
import { templateLocator } from './fields';
import { outputTemplateDeleted, templatePath } from './requests';

const deleteNotice: INodeProperties = {
	displayName:
		'Deletes the template permanently: Message → Send can no longer use it. Messages already sent stay.',
	name: 'deleteTemplateNotice',
	type: 'notice',
	default: '',
};

export const deleteTemplate: OperationDefinition = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a template',
		description: 'Delete a template permanently',
		routing: {
			request: { method: 'DELETE' },
			send: { preSend: [changesAccount, withSendingNumber, templatePath] },
			output: { postReceive: [outputTemplateDeleted] },
		},
	},
	toolDescription: `PERMANENTLY delete a WhatsApp message template of the number; it cannot be brought back and Message → Send can no longer use it. Only call this when the user explicitly asked to delete that template. ${settingsSentence('The number and the template')}`,
	fields: [deleteNotice, sendingNumberLocator, templateLocator],
};
