import type { INodePropertyOptions } from 'n8n-workflow';

export const ALL_EVENTS = '*';

export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: ALL_EVENTS,
		description: 'Every event the numbers send, present and future',
	},
	{ name: 'Message Delivered', value: 'message.delivered' },
	{ name: 'Message Failed', value: 'message.failed' },
	{ name: 'Message Read', value: 'message.read' },
	{ name: 'Message Received', value: 'message.received' },
	{ name: 'Message Received in Group', value: 'message.group' },
	{ name: 'Message Received in Newsletter', value: 'message.newsletter' },
	{ name: 'Message Reply Received', value: 'message.reply' },
	{ name: 'Message Sent', value: 'message.sent' },
	{
		name: 'Number Blocked',
		value: 'number.health_blocked',
		description: 'A health check found the number blocked by WhatsApp',
	},
	{
		name: 'Number Connected',
		value: 'number.connected',
		description: 'The customer scanned the QR code; the number is OPEN',
	},
	{
		name: 'Number Degraded',
		value: 'number.health_degraded',
		description: 'A health check found the number degraded',
	},
	{
		name: 'Number Disconnected',
		value: 'number.disconnected',
		description: 'A health check confirmed the number is disconnected',
	},
	{
		name: 'Number Recovered',
		value: 'number.recovered',
		description: 'Back from a degraded or blocked state',
	},
	{ name: 'Number Removed', value: 'number.removed' },
	{
		name: 'Number Shadowbanned',
		value: 'number.health_shadowban',
		description: 'A health check found the number shadowbanned',
	},
];

// The service delivers these only to webhooks subscribed with "*"; they cannot be asked for by name.
const WILDCARD_ONLY = /^number\.(health_|recovered$)/;

/**
 * What a webhook can subscribe to by name. The trigger offers every event (it subscribes to "*"
 * and filters); a webhook made by Webhook → Create gets exactly what it asks for.
 */
export const NAMED_EVENT_OPTIONS = EVENT_OPTIONS.filter(
	(option) => !WILDCARD_ONLY.test(String(option.value)),
);

/** The `events` list to register: named events, or "*" when any chosen event needs it. */
export function subscriptionEvents(chosen: string[]): string[] {
	if (chosen.includes(ALL_EVENTS) || chosen.some((event) => WILDCARD_ONLY.test(event)))
		return [ALL_EVENTS];
	return [...new Set(chosen)].sort();
}

export function wantsEvent(chosen: string[], event: string): boolean {
	return chosen.includes(ALL_EVENTS) || chosen.includes(event);
}
