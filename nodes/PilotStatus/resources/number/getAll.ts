import { returnAllOrLimit, simplifyField } from '../../descriptions/fields';
import { checkListLimit } from '../../routing/hooks';
import { outputNumber, splitList } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';

export const getManyNumbers: OperationDefinition = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many numbers',
		description: 'List the numbers of the account. States here may lag; Get Status asks live.',
		routing: {
			request: { method: 'GET', url: '/v1/numbers' },
			send: { preSend: [checkListLimit] },
			output: { postReceive: [splitList, outputNumber] },
		},
	},
	fields: [...returnAllOrLimit, simplifyField],
};
