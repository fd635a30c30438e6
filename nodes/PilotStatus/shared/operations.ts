import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { requireCredential, throwOnApiError } from './hooks';

/** One operation: its entry in the Operation dropdown (with routing) and the fields it shows. */
export interface OperationDefinition {
	option: INodePropertyOptions;
	fields?: INodeProperties[];
}

function withCommonHooks(
	option: INodePropertyOptions,
	needsCredential: boolean,
): INodePropertyOptions {
	const { routing } = option;
	if (!routing) return option;
	return {
		...option,
		routing: {
			...routing,
			send: {
				...routing.send,
				// Every request goes through sendRequest (node-level requestOperations.pagination).
				paginate: true,
				preSend: [
					...(needsCredential ? [requireCredential] : []),
					...(routing.send?.preSend ?? []),
				],
			},
			output: {
				...routing.output,
				postReceive: [throwOnApiError, ...(routing.output?.postReceive ?? [])],
			},
		},
	};
}

/**
 * The Operation dropdown of a resource plus every operation's fields, each field shown only for
 * its own operation. Routed operations get the shared hooks; custom operations (no routing)
 * are left alone.
 */
export function resourceDescription(
	resource: string,
	operations: OperationDefinition[],
	defaultOperation: string,
	{ needsCredential }: { needsCredential: boolean },
): INodeProperties[] {
	const sorted = [...operations].sort((a, b) => a.option.name.localeCompare(b.option.name));
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: sorted.map(({ option }) => withCommonHooks(option, needsCredential)),
			default: defaultOperation,
		},
		...sorted.flatMap(({ option, fields = [] }) =>
			updateDisplayOptions(
				{ show: { resource: [resource], operation: [option.value as string] } },
				fields,
			),
		),
	];
}
