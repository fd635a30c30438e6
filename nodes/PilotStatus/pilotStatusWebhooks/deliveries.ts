import { timingSafeEqual } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { isPlainObject } from '../output/normalize';

// What the two receivers of Pilot Status deliveries share: the trigger's webhook() and the
// webhook-mode wait's resume. Each proves the sender with a secret in the URL it registered, since
// the service's own signature is undocumented, and reads the same event shape.

/** Compares in constant time, so the answer's timing does not reveal how much of a guess was right. */
export function sameSecret(received: unknown, expected: string): boolean {
	if (typeof received !== 'string') return false;
	const a = Buffer.from(received);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Answers the call itself, so that it can say 400, 401 or 403 (n8n's own answer to "onReceived"
 * is always 200). `workflowData` starts the run or resumes the wait; without it nothing happens.
 */
export function answer(
	context: IWebhookFunctions,
	status: number,
	body: IDataObject,
	workflowData?: IWebhookResponseData['workflowData'],
): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
}

export interface Delivery {
	/** The body; empty when it is not a JSON object. */
	body: IDataObject;
	/** The event's name; undefined when the body names none. */
	event?: string;
	/** The event's `data`; empty when it is not an object. */
	data: IDataObject;
}

/** The event in the call's body, read without trusting its shape. */
export function deliveryOf(context: IWebhookFunctions): Delivery {
	const received: unknown = context.getBodyData();
	const body = isPlainObject(received) ? received : {};
	return {
		body,
		event: typeof body.event === 'string' ? body.event : undefined,
		data: isPlainObject(body.data) ? body.data : {},
	};
}

/**
 * Whether the event names another number than the one its URL was registered for. An event that
 * names none belongs to the URL's number. A number-scoped key can list its webhook's URL, so
 * without this its holder could deliver events about other numbers through it.
 */
export function namesAnotherNumber(delivery: Delivery, numberId: string): boolean {
	const named = delivery.data.numberId ?? delivery.data.instanceId;
	return named !== undefined && named !== null && String(named) !== numberId;
}
