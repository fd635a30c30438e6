import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IGetNodeParameterOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { MODEL_INPUTS, runsAsTool } from '../descriptions/tool';
import type { ModelInput } from '../descriptions/tool';
import { checkId, checkPairingToken } from './validation';
import type { Checked } from './validation';

// Declarative hooks read a parameter of their own item; custom operations name the item. One
// reader type lets the same function read and check a field for both.

export interface ParameterReader {
	(name: string, fallback?: unknown, options?: IGetNodeParameterOptions): unknown;
	/** Whether the node runs as an AI agent's tool, whose model fills the ID fields (MODEL_INPUTS). */
	readonly asTool: boolean;
	/** The input item the parameters are read for (undefined where there is none). */
	readonly inputItem?: () => INodeExecutionData | undefined;
}

function reader(
	node: INode,
	read: (...args: Parameters<ParameterReader>) => unknown,
	inputItem: () => INodeExecutionData | undefined,
): ParameterReader {
	return Object.assign(read, { asTool: runsAsTool(node), inputItem });
}

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
 * Reads a parameter for one item. n8n's sandboxed expressions cost about a millisecond each (and
 * RoutingNode has already evaluated every parameter of a routed item twice by the time a hook runs):
 * for the mapping the editor writes, `{{ $json.<path> }}`, the field is read from the input item
 * instead. Anything else is evaluated by n8n as usual.
 */
function mappingReader(
	node: INode,
	read: (name: string, fallback: unknown, options?: IGetNodeParameterOptions) => unknown,
	inputItem: () => INodeExecutionData | undefined,
): ParameterReader {
	return reader(
		node,
		(name, fallback, options) => {
			const raw = read(name, fallback, { rawExpressions: true });
			const expression =
				raw && typeof raw === 'object' && (raw as IDataObject).__rl === true
					? (raw as IDataObject).value
					: raw;
			return mappedValue(expression, inputItem()) ?? read(name, fallback, options);
		},
		inputItem,
	);
}

export function hookParameters(hook: IExecuteSingleFunctions): ParameterReader {
	return mappingReader(
		hook.getNode(),
		(name, fallback, options) => hook.getNodeParameter(name, fallback, options),
		() => hook.getInputData(),
	);
}

export function itemParameters(context: IExecuteFunctions, itemIndex: number): ParameterReader {
	return mappingReader(
		context.getNode(),
		(name, fallback, options) => context.getNodeParameter(name, itemIndex, fallback, options),
		() => context.getInputData()[itemIndex],
	);
}

/**
 * A field the model fills, checked. Its messages name the `$fromAI` key, which is all the model
 * knows the field by, and an empty value is answered with the hint rather than with advice about
 * the editor's list or mapping.
 */
function modelInputOf(
	read: ParameterReader,
	input: ModelInput,
	check: (value: unknown, field: string) => Checked<string>,
): Checked<string> {
	const value = read(input.parameter, '');
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
		return { problem: `${input.key} is empty. Expected: ${input.hint}` };
	return check(value, input.key);
}

/** The operations whose Number field never falls back to the previous step's number. */
const CHOSEN_NUMBER_ONLY = new Set(['delete', 'regenerate']);

/**
 * The previous step's number (its numberId, else its id), for a Number field left empty. Only an ID
 * held as text counts; anything else leaves the field's own "empty" message to explain.
 */
function previousStepNumber(read: ParameterReader): string | undefined {
	if (CHOSEN_NUMBER_ONLY.has(read('operation', '') as string)) return undefined;
	const json = read.inputItem?.()?.json;
	const candidate = json?.numberId ?? json?.id;
	return typeof candidate === 'string' && candidate.trim() !== '' ? candidate : undefined;
}

/**
 * A Number field (a resource locator: from the list, or an ID), checked. Left empty on the steps
 * that follow Create or Connect, it takes the previous step's number: a default in code, not an
 * expression, because RoutingNode evaluates a parameter's expression once per declaration of its
 * name in each of its passes, and one declaration (with a safe empty default) serves every number
 * operation, Delete and Regenerate included, which never fall back. Webhook → Create names its
 * Number field differently for the same reason. As an AI tool, every Number field is the model's
 * numberId (toolNumberId), whichever `parameter` the normal node uses.
 */
export function numberIdOf(read: ParameterReader, parameter = 'numberId'): Checked<string> {
	if (read.asTool) return modelInputOf(read, MODEL_INPUTS.numberId, checkId);
	const value = read(parameter, '', { extractValue: true });
	const empty = value === undefined || value === null || value === '';
	if (parameter === 'numberId' && empty) {
		const previous = previousStepNumber(read);
		if (previous !== undefined)
			return checkId(previous, 'Number (the previous step’s numberId or id)');
	}
	return checkId(value, 'Number');
}

/** The Pairing Link or Token field: a token, or the whole link it came in, checked. */
export function pairingTokenOf(read: ParameterReader): Checked<string> {
	if (read.asTool) return modelInputOf(read, MODEL_INPUTS.pairingLink, checkPairingToken);
	return checkPairingToken(read('pairingLink', ''), 'Pairing Link or Token');
}

/** The Webhook field (a resource locator: from the list, or an ID), checked. */
export function webhookIdOf(read: ParameterReader): Checked<string> {
	if (read.asTool) return modelInputOf(read, MODEL_INPUTS.webhookId, checkId);
	return checkId(read('webhookId', '', { extractValue: true }), 'Webhook');
}
