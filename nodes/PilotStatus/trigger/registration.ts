import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { asNodeError } from '../errors/nodeErrors';
import { subscriptionEvents } from '../pilotStatusWebhooks/events';
import { pilotStatusRequest } from '../transport/request';
import {
	deleteWebhook,
	getWebhook,
	listWebhooks,
	usableWebhookId,
	webhookIdIn,
} from '../pilotStatusWebhooks/webhookApi';
import { newSecret, numberSecret, withSecret } from './authenticity';
import { chosenNumberIds } from './settings';
import type { TriggerSettings } from './settings';

// The API ties every webhook to exactly one number, so the trigger registers one webhook per number
// and keeps what it registered in the node's static data, which n8n saves after activation and
// deactivation: checkExists finds them again, delete removes exactly those. Webhooks that could not
// be deleted are remembered, and anything still pointing at this trigger's URL is removed at the
// next activation or deactivation, so nothing is silently left behind.

export interface Registration {
	/** Webhook ID per registered number ID. */
	webhookIds: Record<string, string>;
	secret: string;
	/** Events and numbers as registered, to notice when the node's settings changed. */
	fingerprint: string;
}

export type Stored = IDataObject & {
	registration?: Registration;
	/** Webhooks this trigger created and could not delete yet. */
	undeleted?: string[];
	recentDeliveries?: string[];
};

export function storage(context: { getWorkflowStaticData(type: string): IDataObject }): Stored {
	return context.getWorkflowStaticData('node') as Stored;
}

export function fingerprint(events: string[], numberIds: string[]): string {
	return JSON.stringify({ events: subscriptionEvents(events), numbers: [...numberIds].sort() });
}

/**
 * An answer that says nothing about the webhooks: a rate limit, a server error, or no usable answer
 * at all (httpCode "none": no answer arrived, or one the node cannot read).
 */
function isTransient(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const code = error.httpCode ?? '';
	return code === '429' || code === 'none' || /^5\d\d$/.test(code);
}

/** The n8n URL this trigger's webhooks point at, without the per-number secret. */
function triggerUrl(context: IHookFunctions): string {
	return context.getNodeWebhookUrl('default') as string;
}

export function registeredUrl(context: IHookFunctions, secret: string, numberId: string): string {
	return withSecret(triggerUrl(context), numberSecret(secret, numberId));
}

async function webhookIsIntact(
	context: IHookFunctions,
	webhookId: string,
	url: string,
): Promise<boolean> {
	const webhook = await getWebhook.call(context, webhookId);
	return webhook !== undefined && webhook.url === url && webhook.active !== false;
}

/**
 * Whether every webhook registered for these settings is still there, for n8n's checkExists. n8n
 * asks on every activation, and on startup for every active trigger at once: there a rate limit or
 * a server hiccup would fail the activation of every trigger workflow. Such an answer says nothing
 * about the webhooks, so they count as still there, and n8n asks again at the next activation. A
 * 404, another URL, a paused webhook or changed settings mean registering again.
 */
export async function registrationIsIntact(
	context: IHookFunctions,
	registration: Registration,
	settings: TriggerSettings,
): Promise<boolean> {
	try {
		const numberIds = await chosenNumberIds(context, settings);
		if (registration.fingerprint !== fingerprint(settings.events, numberIds)) return false;
		for (const numberId of numberIds) {
			const webhookId = registration.webhookIds[numberId];
			const url = registeredUrl(context, registration.secret, numberId);
			if (!webhookId || !(await webhookIsIntact(context, webhookId, url))) return false;
		}
		return true;
	} catch (error) {
		if (isTransient(error)) return true;
		throw asNodeError(context.getNode(), error);
	}
}

async function createWebhook(
	context: IHookFunctions,
	url: string,
	events: string[],
	numberId: string,
): Promise<string> {
	const { body } = await pilotStatusRequest.call(context, {
		method: 'POST',
		path: '/v1/webhooks',
		body: {
			url,
			name: `n8n: ${context.getWorkflow().name ?? 'workflow'}`.slice(0, 100),
			events: subscriptionEvents(events),
			whatsappNumberId: numberId,
		},
		failure: { resource: 'number', subject: numberId, changes: true },
	});
	const id = webhookIdIn(body);
	if (id === undefined) {
		throw new NodeOperationError(
			context.getNode(),
			`Pilot Status created a webhook for number "${numberId}" but did not say its ID`,
			{ description: 'The trigger cannot remove a webhook it cannot name. Activate again later.' },
		);
	}
	return id;
}

/** Deletes the webhooks; ones already gone count as deleted. Returns the IDs that could not be. */
async function deleteWebhooks(context: IHookFunctions, webhookIds: string[]): Promise<string[]> {
	const left: string[] = [];
	for (const webhookId of new Set(webhookIds)) {
		try {
			await deleteWebhook.call(context, webhookId);
		} catch {
			left.push(webhookId);
		}
	}
	return left;
}

/**
 * Every webhook of the account that points at this trigger's URL: with the registration, the
 * leftovers of a failed rollback, replacement or deactivation, even ones whose IDs were never saved.
 * One whose ID could not stay inside its request path is passed over: no request can name it.
 */
async function leftoverWebhooks(context: IHookFunctions): Promise<string[]> {
	const base = triggerUrl(context);
	return (await listWebhooks.call(context))
		.filter((webhook) => typeof webhook.url === 'string' && webhook.url.split('?')[0] === base)
		.map((webhook) => usableWebhookId(webhook.id))
		.filter((webhookId): webhookId is string => webhookId !== undefined);
}

function undeletedError(context: IHookFunctions, left: string[], doing: string) {
	return new NodeOperationError(
		context.getNode(),
		`${doing}, but ${left.length} webhook(s) could not be deleted: ${left.join(', ')}`,
		{
			description:
				'They are remembered and removed at the next activation or deactivation of this workflow; until then Pilot Status may still call this workflow’s URL (the calls are refused).',
		},
	);
}

/**
 * Removes what this trigger registered, everything remembered as undeleted and every other webhook
 * pointing at its URL. Returns the IDs that are still there (also remembered).
 */
export async function removeRegistration(
	context: IHookFunctions,
	stored: Stored,
): Promise<string[]> {
	const registered = Object.values(stored.registration?.webhookIds ?? {});
	let leftovers: string[] = [];
	try {
		leftovers = await leftoverWebhooks(context);
	} catch {
		// Listing is a help, not a requirement: the remembered IDs are still deleted below.
	}
	const left = await deleteWebhooks(context, [
		...registered,
		...(stored.undeleted ?? []),
		...leftovers,
	]);
	delete stored.registration;
	if (left.length > 0) stored.undeleted = left;
	else delete stored.undeleted;
	return left;
}

/** One webhook per number, all or none: a half-registered trigger would miss events silently. */
export async function register(
	context: IHookFunctions,
	stored: Stored,
	events: string[],
	numberIds: string[],
): Promise<void> {
	const stale = await removeRegistration(context, stored);
	if (stale.length > 0)
		throw undeletedError(
			context,
			stale,
			'The trigger was not activated: older webhooks are in the way',
		);
	const secret = newSecret();
	const webhookIds: Record<string, string> = {};
	try {
		for (const numberId of numberIds)
			webhookIds[numberId] = await createWebhook(
				context,
				registeredUrl(context, secret, numberId),
				events,
				numberId,
			);
	} catch (error) {
		const left = await deleteWebhooks(context, Object.values(webhookIds));
		if (left.length > 0) {
			stored.undeleted = left;
			throw undeletedError(
				context,
				left,
				`The trigger was not activated (${(error as Error).message})`,
			);
		}
		throw asNodeError(context.getNode(), error);
	}
	stored.registration = { webhookIds, secret, fingerprint: fingerprint(events, numberIds) };
}

/** Deactivation: everything this trigger registered goes; what cannot go is named. */
export async function unregister(context: IHookFunctions, stored: Stored): Promise<void> {
	const left = await removeRegistration(context, stored);
	if (left.length > 0) throw undeletedError(context, left, 'The trigger was deactivated');
}
