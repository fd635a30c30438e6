import type { OperationDefinition } from '../../shared/operations';

export const rotateOwnKey: OperationDefinition = {
	option: {
		name: 'Rotate Own Key',
		value: 'rotateOwnKey',
		action: 'Rotate the key of this credential',
		description:
			'Replace the key this credential uses; the credential stops working until you store the new key',
		routing: {
			request: { method: 'POST', url: '/v1/api-keys/regenerate' },
		},
	},
	fields: [
		{
			displayName:
				'The key in this node’s credential stops working the moment this runs. The new key is in the output only once: store it right away (for example, update the credential), or every later Pilot Status call fails with 401.',
			name: 'rotateNotice',
			type: 'notice',
			default: '',
		},
	],
};
