import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { returnAllOrLimit, sendingNumberLocator } from '../../descriptions/fields';
import { listInAnswer, unreadableResponseError } from '../../errors/nodeErrors';
import { isPlainObject } from '../../output/normalize';
import { checkListLimit, withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** One channel shape: its JID (for Message → Send To → Channel) and name first, the rest as sent. */
function channelOutput(raw: IDataObject): IDataObject {
	const { id, jid, newsletterId, name, subject, ...rest } = raw;
	return {
		id: text(id) ?? text(jid) ?? text(newsletterId),
		name: text(name) ?? text(subject),
		...rest,
	};
}

// The newsletters endpoint's page was not found (messaging-api.md §5): GET /v1/newsletters is
// inferred from the MCP tool newsletters_list, and its answer read as a bare list or one wrapped list.
async function outputChannels(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const list = listInAnswer(response.body);
	if (!list) {
		throw unreadableResponseError(this.getNode(), response.body, {
			resource: 'channel',
			itemIndex: this.getItemIndex(),
		});
	}
	return list.map((raw) => ({
		json: channelOutput(isPlainObject(raw) ? raw : {}),
		pairedItem: { item: this.getItemIndex() },
	}));
}

export const getManyChannels: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many channels',
		description:
			'List the WhatsApp channels (newsletters) of the number, with the IDs Message → Send takes',
		routing: {
			request: { method: 'GET', url: '/v1/newsletters' },
			send: { preSend: [withSendingNumber, checkListLimit] },
			output: { postReceive: [outputChannels] },
		},
	},
	fields: [sendingNumberLocator, ...returnAllOrLimit],
};
