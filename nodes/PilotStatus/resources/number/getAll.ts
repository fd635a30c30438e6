import { returnAllOrLimit, simplifyField } from '../../shared/descriptions';
import { checkListLimit } from '../../shared/hooks';
import { outputNumber, splitList } from '../../shared/output';
import type { OperationDefinition } from '../../shared/operations';

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
	toolDescription:
		"List the WhatsApp numbers of the account with their IDs (like num_01HZX9K3), names, phone numbers and states. Use it to find a number's ID from its name or phone number.",
	fields: [...returnAllOrLimit, simplifyField],
};
