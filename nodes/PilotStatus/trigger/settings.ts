import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { acceptChecks } from '../errors/nodeErrors';
import { listNumbers } from '../transport/request';
import { checkEvents, checkId, problemsOf } from '../input/validation';
import type { Checked } from '../input/validation';
import { mediaHostEntry } from './media';
import type { MediaSettings } from './media';

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

/** The message options; what is left out (hidden, or a workflow from before them) is the default. */
export interface MessageSettings {
	ignoreOwnMessages: boolean;
	/** Undefined when Download Media is off. */
	media?: MediaSettings;
}

export const MEDIA_DEFAULTS = { binaryProperty: 'data', maxSizeMb: 16, timeoutSeconds: 30 };
/** WhatsApp's own limit for documents is 100 MB; a cap above that would not be a cap. */
const MAX_SIZE_MB = 100;
const MAX_TIMEOUT_SECONDS = 300;

function checkBinaryProperty(value: unknown): Checked<string> {
	const name = typeof value === 'string' ? value.trim() : '';
	if (name === '' || /[\s.[\]]/.test(name))
		return {
			problem: `Put Media in Field must be a field name without spaces, dots or brackets, e.g. ${MEDIA_DEFAULTS.binaryProperty}.`,
		};
	return { value: name };
}

function checkAllowedHosts(value: unknown): Checked<string[]> {
	const entries = listOf(value).map((entry) => String(entry));
	const hosts = entries.map(mediaHostEntry);
	const wrong = entries.filter((_entry, index) => hosts[index] === undefined && _entry.trim());
	if (wrong.length > 0)
		return {
			problem: `Allowed Media Hosts has entries that are not host names: ${wrong.join(', ')}. Use host names such as media.example.com, media.example.com:8443 or *.example.com, separated by commas.`,
		};
	return { value: hosts.filter((host): host is string => host !== undefined) };
}

function checkRange(value: unknown, field: string, max: number): Checked<number> {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max)
		return { problem: `${field} must be a number above 0 and at most ${max}.` };
	return { value };
}

function parameterOf(context: IHookFunctions | IWebhookFunctions, name: string, fallback: unknown) {
	return context.getNodeParameter(name, fallback) as unknown;
}

function checkMessageSettings(
	context: IHookFunctions | IWebhookFunctions,
): Checked<MessageSettings> {
	const ignoreOwnMessages = parameterOf(context, 'ignoreOwnMessages', true) !== false;
	if (parameterOf(context, 'downloadMedia', false) !== true)
		return { value: { ignoreOwnMessages } };
	const checks = [
		checkBinaryProperty(parameterOf(context, 'binaryPropertyName', MEDIA_DEFAULTS.binaryProperty)),
		checkAllowedHosts(parameterOf(context, 'allowedMediaHosts', '')),
		checkRange(
			parameterOf(context, 'maxMediaSizeMb', MEDIA_DEFAULTS.maxSizeMb),
			'Max Media Size (MB)',
			MAX_SIZE_MB,
		),
		checkRange(
			parameterOf(context, 'mediaTimeoutSeconds', MEDIA_DEFAULTS.timeoutSeconds),
			'Media Download Timeout (Seconds)',
			MAX_TIMEOUT_SECONDS,
		),
	] as const;
	const problems = problemsOf(...checks);
	if (problems.length > 0) return { problem: problems.join(' ') };
	const [binaryProperty, allowedHosts, maxSizeMb, timeoutSeconds] = checks.map(
		(check) => check.value,
	) as [string, string[], number, number];
	return {
		value: {
			ignoreOwnMessages,
			media: {
				binaryProperty,
				allowedHosts,
				maxBytes: Math.floor(maxSizeMb * 1024 * 1024),
				timeoutMs: Math.round(timeoutSeconds * 1000),
			},
		},
	};
}

/** The message options; activation has refused bad ones, so a delivery meets only good ones. */
export function checkedMessageSettings(context: IWebhookFunctions): MessageSettings {
	const [settings] = acceptChecks(context.getNode(), undefined, checkMessageSettings(context));
	return settings;
}

/** The events and the selected numbers, or an input error naming every field to fix. */
export function checkedSettings(context: IHookFunctions): TriggerSettings {
	const node = context.getNode();
	// The message options too, so that no delivery meets a setting it cannot use.
	const messageSettings = checkMessageSettings(context);
	if (context.getNodeParameter('numbers') === 'all') {
		const [events] = acceptChecks(
			node,
			undefined,
			checkEvents(rawEvents(context), 'Events'),
			messageSettings,
		);
		return { events };
	}
	const [events, numberIds] = acceptChecks(
		node,
		undefined,
		checkEvents(rawEvents(context), 'Events'),
		checkNumberIds(context.getNodeParameter('numberIds', [])),
		messageSettings,
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
