import type {
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IGetNodeParameterOptions,
} from 'n8n-workflow';

import { checkId, checkPairingToken } from './validation';
import type { Checked } from './validation';

// Declarative hooks read a parameter of their own item; custom operations name the item. One
// reader type lets the same function read and check a field for both.

export type ParameterReader = (
	name: string,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
) => unknown;

export function hookParameters(hook: IExecuteSingleFunctions): ParameterReader {
	return (name, fallback, options) => hook.getNodeParameter(name, fallback, options);
}

export function itemParameters(context: IExecuteFunctions, itemIndex: number): ParameterReader {
	return (name, fallback, options) => context.getNodeParameter(name, itemIndex, fallback, options);
}

/** The Number field (a resource locator: from the list, or an ID), checked. */
export function numberIdOf(read: ParameterReader): Checked<string> {
	return checkId(read('numberId', '', { extractValue: true }), 'Number');
}

/** The Pairing Link or Token field: a token, or the whole link it came in, checked. */
export function pairingTokenOf(read: ParameterReader): Checked<string> {
	return checkPairingToken(read('pairingLink', ''), 'Pairing Link or Token');
}
