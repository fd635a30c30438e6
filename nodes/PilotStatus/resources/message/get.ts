import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { sendingNumberLocator, toolMessageIdField } from '../../descriptions/fields';
import { messageStatusOutput } from '../../messaging/output';
import { messagePath, withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';

/** One shape whichever status variant arrived (with or without deliveredAt, externalMessageId). */
async function outputMessageStatus(items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return items.map((item) => ({ ...item, json: messageStatusOutput(item.json) }));
}

const messageIdField: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	// The step after Send takes its output's id as it is.
	default: '={{ $json.id }}',
	required: true,
	placeholder: 'e.g. msg_01HZX9K3 or corr_01HZX9K3',
	description:
		'The ID or correlationId from Send’s output, or the WhatsApp message ID (wamid…) from a message event',
	hint: 'By default the id of the previous step: after Send, leave it as it is.',
	displayOptions: { hide: { '@tool': [true] } },
};

export const getMessage: OperationDefinition = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get the status of a message',
		description:
			'Get where a message is: QUEUED, SENT, DELIVERED, READ, FAILED (with why) or CANCELED',
		routing: {
			request: { method: 'GET' },
			send: { preSend: [withSendingNumber, messagePath] },
			output: { postReceive: [outputMessageStatus] },
		},
	},
	fields: [sendingNumberLocator, messageIdField, toolMessageIdField],
};
