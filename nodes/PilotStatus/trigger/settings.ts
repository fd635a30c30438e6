import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { acceptChecks } from '../errors/nodeErrors';
import { listNumbers } from '../transport/request';
import { checkEvents, checkId, problemsOf } from '../input/validation';
import type { Checked } from '../input/validation';

// The trigger's settings, checked before activation sends anything: a setting filled by an
// expression reaches the node as whatever the expression returned, and a wrong one would register
// webhooks that receive nothing (no events) or one per character (a text where a list belongs).

const NUMBERS_FIELD = 'Number Names or IDs';

export interface TriggerSettings {
	events: string[];
	/** The selected numbers; undefined for All Numbers, which are listed when needed. */
	numberIds?: string[];
}

/** A list field as an expression may fill it: a list, or text with comma-separated values. */
function listOf(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		return value
			.split(',')
			.map((part) => part.trim())
			.filter((part) => part !== '');
	}
	return value === undefined || value === null ? [] : [value];
}

function rawEvents(context: IHookFunctions | IWebhookFunctions): unknown[] {
	return listOf(context.getNodeParameter('events', []));
}

/** The events to pass on. Deliveries read them unchecked: activation has refused bad ones. */
export function chosenEvents(context: IWebhookFunctions): string[] {
	return rawEvents(context).filter((event): event is string => typeof event === 'string');
}

function checkNumberIds(value: unknown): Checked<string[]> {
	const checks = listOf(value).map((id) => checkId(id, NUMBERS_FIELD));
	if (checks.length === 0) {
		return {
			problem: `No numbers are selected: choose at least one under ${NUMBERS_FIELD}, or set Numbers to All Numbers.`,
		};
	}
	const problems = problemsOf(...checks);
	if (problems.length > 0) return { problem: problems.join(' ') };
	// The same number twice would get two webhooks, and every event twice.
	return { value: [...new Set(checks.map((check) => check.value as string))] };
}

/** The events and the selected numbers, or an input error naming every field to fix. */
export function checkedSettings(context: IHookFunctions): TriggerSettings {
	const node = context.getNode();
	if (context.getNodeParameter('numbers') === 'all') {
		const [events] = acceptChecks(node, undefined, checkEvents(rawEvents(context), 'Events'));
		return { events };
	}
	const [events, numberIds] = acceptChecks(
		node,
		undefined,
		checkEvents(rawEvents(context), 'Events'),
		checkNumberIds(context.getNodeParameter('numberIds', [])),
	);
	return { events, numberIds };
}

/** The numbers to listen to: the selection, or every number the account has now. */
export async function chosenNumberIds(
	context: IHookFunctions,
	settings: TriggerSettings,
): Promise<string[]> {
	if (settings.numberIds) return settings.numberIds;
	const ids = (await listNumbers.call(context)).map((number) => String(number.id));
	if (ids.length === 0) {
		throw new NodeOperationError(context.getNode(), 'The Pilot Status account has no numbers yet', {
			description:
				'A webhook belongs to a number, so "All Numbers" needs at least one. Create a number first, then activate this workflow again.',
		});
	}
	return ids;
}
