import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { answer, deliveryOf, namesAnotherNumber } from '../pilotStatusWebhooks/deliveries';
import { acceptChecks, asNodeError } from '../errors/nodeErrors';
import { normalizeConnectionStatus, waitOutcome } from '../output/normalize';
import { itemParameters, numberIdOf } from '../input/parameters';
import { pilotStatusRequest } from '../transport/request';
import { webhookIdIn } from '../pilotStatusWebhooks/webhookApi';
import { checkGiveUpAfter } from './giveUpAfter';
import {
	callerOf,
	cleanUp,
	prepareResume,
	registeredUrl,
	removeOwnWebhook,
	refuseToolOrSeveralItems,
	resumeUrlOf,
	sendRidingOutRateLimits,
	STARTED_KEY,
	waitingEntry,
	waitSecret,
	WEBHOOK_ID_KEY,
	webhookName,
} from './temporaryWebhook';

export { resumeWebhooks } from './temporaryWebhook';

// Wait for Connection, "Resume When: Pilot Status Notifies". Instead of sleeping in the node (which
// holds a worker for the whole wait), the node registers a temporary Pilot Status webhook pointing
// at this execution's resume URL and puts the execution to wait, as n8n's Wait node does: nothing
// runs while the customer pairs, and the wait survives restarts. The webhook() method receives the
// event, resumes the execution and deletes the temporary webhook.

// The n8n behaviours this relies on are listed in temporaryWebhook.ts.

/** The resume answers Pilot Status within this, status check included (receivers must be quick). */
const CONFIRM_TIMEOUT_MS = 5_000;
interface Settings {
	numberId: string;
	timeoutMs: number;
	failWhenNotConnected: boolean;
	stopWhenDisconnected: boolean;
}

function settingsOf(context: IExecuteFunctions): Settings {
	const [numberId] = acceptChecks(context.getNode(), 0, numberIdOf(itemParameters(context, 0)));
	const [minutes] = acceptChecks(
		context.getNode(),
		0,
		checkGiveUpAfter(context.getNodeParameter('timeout', 0, 10)),
	);
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		numberId,
		timeoutMs: minutes * 60_000,
		failWhenNotConnected: context.getNodeParameter('ifNotConnected', 0, 'fail') !== 'output',
		stopWhenDisconnected: options.stopWhenDisconnected === true,
	};
}

// --- outcomes -----------------------------------------------------------------------------------

function outcome(
	numberId: string,
	connected: boolean,
	reason: 'timeout' | 'disconnected' | null,
	status: IDataObject,
	waitedMs: number,
	polls: number,
): INodeExecutionData {
	return {
		json: waitOutcome({ numberId }, connected, reason, status, waitedMs, polls),
		pairedItem: { item: 0 },
	};
}

function notConnectedError(context: IExecuteFunctions | IWebhookFunctions, message: string) {
	return new NodeOperationError(context.getNode(), message, {
		description:
			'Send a reminder or a fresh QR code (Connect, or a remote pairing link), or set "If Not Connected" to output an item and handle it in the workflow.',
	});
}

// --- execute: register and wait -----------------------------------------------------------------

export async function waitForConnectionByWebhook(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	refuseToolOrSeveralItems(this, {
		asTool: {
			message:
				'Wait for Connection with "Resume When: Pilot Status Notifies" cannot run as an AI tool: it would put the agent’s whole execution to wait. Nothing was changed.',
			fix: 'Use Resume When: Poll Every Few Seconds as a tool, or wait in a normal workflow step.',
		},
		manyItems: (count) => ({
			message: `Resume When: Pilot Status Notifies waits for one number per execution, but this node received ${count} items. Nothing was sent.`,
			fix: 'Start one execution per number (an onboarding usually has one), or choose Resume When: Poll Every Few Seconds to wait for several numbers at once.',
		}),
	});
	const settings = settingsOf(this);
	// Leftovers of this execution go first, so that Retry On Fail never leaves a second webhook.
	await cleanUp(this);

	const executionId = this.getExecutionId();
	const startedAt = Date.now();
	const started = String(startedAt);
	const deadline = new Date(startedAt + settings.timeoutMs);
	const secret = await waitSecret(this, executionId, settings.numberId, started);
	const url = registeredUrl(resumeUrlOf(this), settings.numberId, started, secret);
	let webhookId: string | undefined;
	try {
		const registered = await sendRidingOutRateLimits(this, {
			method: 'POST',
			path: '/v1/webhooks',
			body: {
				url,
				name: webhookName('Wait for Connection', executionId, deadline),
				events: settings.stopWhenDisconnected
					? ['number.connected', 'number.disconnected']
					: ['number.connected'],
				whatsappNumberId: settings.numberId,
			},
			failure: { resource: 'number', subject: settings.numberId, itemIndex: 0, changes: true },
		});
		webhookId = webhookIdIn(registered.body);

		// The customer may have paired before the webhook existed: then there is nothing to wait for.
		const { body } = await sendRidingOutRateLimits(this, {
			method: 'GET',
			path: `/v1/numbers/${encodeURIComponent(settings.numberId)}/status`,
			failure: { resource: 'number', subject: settings.numberId, itemIndex: 0 },
		});
		const status = normalizeConnectionStatus(body, settings.numberId);
		if (status.state === 'OPEN' && status.isFullyConnected !== false) {
			await removeOwnWebhook(this, webhookId);
			return [[outcome(settings.numberId, true, null, status, Date.now() - startedAt, 1)]];
		}

		const timedOut = outcome(settings.numberId, false, 'timeout', status, settings.timeoutMs, 1);
		prepareResume(
			this.getExecuteData(),
			timedOut,
			settings.failWhenNotConnected
				? notConnectedError(
						this,
						`Number "${settings.numberId}" did not connect within ${Math.round(settings.timeoutMs / 600) / 100} min (last state: ${status.state ?? 'unknown'})`,
					)
				: undefined,
			{ webhookId, started },
		);
		await this.putExecutionToWait(deadline);
		return [[timedOut]];
	} catch (error) {
		// No wait follows: a webhook left until its deadline would call a finished execution. Also
		// when the registration's answer was lost: the webhook may exist, and is found by its URL.
		await removeOwnWebhook(this, webhookId);
		throw asNodeError(this.getNode(), error);
	}
}

// --- webhook: the event arrives -----------------------------------------------------------------

/**
 * What Pilot Status says about the number now. The event is a hint, not proof: whoever holds the
 * number's own key can list its webhooks, read this wait's URL with its secret and post an event
 * to it; only the service's answer to the workflow's own credential decides.
 */
async function currentStatus(context: IWebhookFunctions, numberId: string): Promise<IDataObject> {
	const { body } = await pilotStatusRequest.call(context, {
		method: 'GET',
		path: `/v1/numbers/${encodeURIComponent(numberId)}/status`,
		timeoutMs: CONFIRM_TIMEOUT_MS,
		failure: { resource: 'number', subject: numberId },
	});
	return normalizeConnectionStatus(body, numberId);
}

/**
 * Called by n8n for every call to the resume URL. An answer without workflowData keeps the
 * execution waiting, so forged, foreign, irrelevant and unconfirmed calls change nothing. It never
 * throws: n8n would resume the execution with an error.
 */
export async function resumeOnEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		const caller = await callerOf(this);
		if (!caller) {
			return answer(this, 401, { error: 'Unknown sender: the secret in the URL does not match' });
		}
		const { numberId, started } = caller;
		const entry = waitingEntry(this);
		// Without the stack entry, n8n would resume into the timeout's stored error even on
		// number.connected; keep waiting instead (Pilot Status retries, and n8n keeps the timeout).
		if (!entry) throw new Error('The waiting execution’s data is not available');
		const metadata = (entry.metadata ?? {}) as IDataObject;
		if (STARTED_KEY in metadata && metadata[STARTED_KEY] !== started) {
			// Genuine but late (the earlier round's webhook is deleted): answered so it is not retried.
			return answer(this, 200, { received: true, ignored: 'an earlier wait of this node' });
		}
		const delivery = deliveryOf(this);
		if (namesAnotherNumber(delivery, numberId)) {
			return answer(this, 403, { error: 'This URL waits for another number than the event names' });
		}
		const stopWhenDisconnected =
			(this.getNodeParameter('options', {}) as IDataObject).stopWhenDisconnected === true;
		const disconnectedEvent = delivery.event === 'number.disconnected' && stopWhenDisconnected;
		if (delivery.event !== 'number.connected' && !disconnectedEvent) {
			return answer(this, 200, { received: true, ignored: 'still waiting' });
		}

		const status = await currentStatus(this, numberId);
		const connected = status.state === 'OPEN' && status.isFullyConnected !== false;
		const disconnected = !connected && disconnectedEvent && status.state === 'CLOSED';
		if (!connected && !disconnected) {
			// Not a 2xx: if the event was genuine and the status lags behind it, Pilot Status delivers
			// it again; until then, or until Give Up After, the execution keeps waiting.
			return answer(this, 409, {
				error: `Pilot Status does not confirm ${String(delivery.event)}: the number is ${status.state ?? 'in an unknown state'}${status.state === 'OPEN' ? ' but not fully connected' : ''}. Still waiting.`,
			});
		}

		// Pilot Status asks receivers to answer quickly, so the answer does not wait for the cleanup
		// (which never throws; the process serving this call keeps running after the answer).
		void removeOwnWebhook(this, metadata[WEBHOOK_ID_KEY]);
		const failWhenNotConnected = this.getNodeParameter('ifNotConnected', 'fail') !== 'output';
		const waitedMs = Date.now() - Number(started);
		// Two status checks: one when the wait began, one confirming the event.
		const item = outcome(
			numberId,
			connected,
			connected ? null : 'disconnected',
			status,
			Number.isFinite(waitedMs) ? waitedMs : 0,
			2,
		);
		prepareResume(
			entry,
			item,
			disconnected && failWhenNotConnected
				? notConnectedError(
						this,
						`Pairing of number "${numberId}" stopped: it is disconnected (CLOSED)`,
					)
				: undefined,
		);
		return {
			webhookResponse: { received: true, resumed: true },
			workflowData: [[item]],
		};
	} catch {
		// Keep waiting; the service retries failed deliveries.
		return answer(this, 503, { error: 'The wait could not process this event; try again' });
	}
}
