import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IGetNodeParameterOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { runsAsTool } from './tool';
import { checkId, checkPairingToken } from './validation';
import type { Checked } from './validation';

// Declarative hooks read a parameter of their own item; custom operations name the item. One
// reader type lets the same function read and check a field for both.

export type ParameterReader = (
	name: string,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
) => unknown;

// `{{ $json.id }}`, `{{ $json.customer.phone }}`, `{{ $json["id"] }}`: what the editor writes when a
// field is mapped by drag and drop.
const JSON_PATH =
	/^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)\s*\}\}$/;
const SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\]/g;

/**
 * The value of `={{ $json.<path> }}` read straight from the input item, when it is text or a
 * number; undefined for anything else, which then goes to n8n's expression engine as usual.
 */
function mappedValue(
	raw: unknown,
	item: INodeExecutionData | undefined,
): string | number | undefined {
	const match = typeof raw === 'string' ? JSON_PATH.exec(raw) : null;
	if (!match || !item) return undefined;
	let value: unknown = item.json;
	for (const [, dotted, doubleQuoted, singleQuoted] of match[1].matchAll(SEGMENT)) {
		if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
		const key = dotted ?? doubleQuoted ?? singleQuoted;
		if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
		value = (value as IDataObject)[key];
	}
	return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
		? value
		: undefined;
}

/**
 * Reads a parameter of the hook's item. RoutingNode has already evaluated every parameter of the
 * item twice by the time a hook runs, and n8n's sandboxed expressions cost about a millisecond each:
 * for the mapping the editor writes, the hook reads the field from the input item instead of
 * evaluating the same expression a third time. Anything else is evaluated by n8n as usual.
 */
export function hookParameters(hook: IExecuteSingleFunctions): ParameterReader {
	return (name, fallback, options) => {
		const raw = hook.getNodeParameter(name, fallback, { rawExpressions: true }) as unknown;
		const expression =
			raw && typeof raw === 'object' && (raw as IDataObject).__rl === true
				? (raw as IDataObject).value
				: raw;
		return (
			mappedValue(expression, hook.getInputData()) ?? hook.getNodeParameter(name, fallback, options)
		);
	};
}

export function itemParameters(context: IExecuteFunctions, itemIndex: number): ParameterReader {
	return (name, fallback, options) => context.getNodeParameter(name, itemIndex, fallback, options);
}

/**
 * A Number field (a resource locator: from the list, or an ID), checked. Webhook → Create names
 * its Number field differently: one property name shown on several resources would be declared
 * (and evaluated by RoutingNode) once per resource.
 */
export function numberIdOf(read: ParameterReader, parameter = 'numberId'): Checked<string> {
	return checkId(read(parameter, '', { extractValue: true }), 'Number');
}

/**
 * Which field holds the number: as an AI tool, `toolNumberId`, which the model fills by default
 * (see descriptions.ts); n8n drops the hidden Number field there.
 */
export function numberField(node: INode): string {
	return runsAsTool(node) ? 'toolNumberId' : 'numberId';
}

/** The Pairing Link or Token field: a token, or the whole link it came in, checked. */
export function pairingTokenOf(read: ParameterReader): Checked<string> {
	return checkPairingToken(read('pairingLink', ''), 'Pairing Link or Token');
}

/** The Webhook field (a resource locator: from the list, or an ID), checked. */
export function webhookIdOf(read: ParameterReader): Checked<string> {
	return checkId(read('webhookId', '', { extractValue: true }), 'Webhook');
}
