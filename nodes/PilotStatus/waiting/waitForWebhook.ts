import { createHmac } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { backoffMs, pause } from '../transport/backoff';
import { CREDENTIAL_TYPE } from '../constants';
import {
	answer,
	deliveryOf,
	namesAnotherNumber,
	sameSecret,
} from '../pilotStatusWebhooks/deliveries';
import { acceptChecks, apiError, asNodeError, inputErrorWith } from '../errors/nodeErrors';
import { normalizeConnectionStatus, waitOutcome } from '../output/normalize';
import { itemParameters, numberIdOf } from '../input/parameters';
import { runsAsTool } from '../descriptions/tool';
import { pilotStatusRequest, requestTimeoutOf } from '../transport/request';
import type { ApiCall } from '../transport/request';
import {
	deleteWebhook,
	listWebhooks,
	usableWebhookId,
	webhookIdIn,
} from '../pilotStatusWebhooks/webhookApi';
import { checkId } from '../input/validation';
import { checkGiveUpAfter } from './giveUpAfter';

// Wait for Connection, "Resume When: Pilot Status Notifies". Instead of sleeping in the node (which
// holds a worker for the whole wait), the node registers a temporary Pilot Status webhook pointing
// at this execution's resume URL and puts the execution to wait, as n8n's Wait node does: nothing
// runs while the customer pairs, and the wait survives restarts. The webhook() method receives the
// event, resumes the execution and deletes the temporary webhook.
//
// n8n behaviours this relies on (guarded by tests, listed in the README's architecture section):
// - a timed-out wait resumes without running node code: n8n passes on the node's stored input, so
//   the not-connected item is stored there in advance (getExecuteData().data.main);
// - `metadata.resumeError` on that same stack entry makes the resumed node fail with it (n8n 2.x),
//   which is how "If Not Connected: Fail the Item" still fails on a timeout;
// - other keys on that metadata are stored with the waiting execution too: the temporary
//   webhook's ID travels there to webhook(), so the resume deletes it without listing webhooks,
//   and so does the wait's start, so that only the current wait's URL can resume it;
// - a webhook() answer without workflowData keeps the execution waiting (n8n's
//   webhook-helpers return before running anything), which is how an event that Pilot Status
//   does not confirm changes nothing.

/**
 * The node's one webhook: a restart webhook, which n8n never registers on activation (so there is
 * no lifecycle to manage) and only serves while an execution of this node waits; the editor shows
 * no URL for it. Pilot Status calls it through the resume URL.
 */
export const resumeWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '',
		restartWebhook: true,
	},
];

const MARKER = 'n8n Wait for Connection';
/** The name this code gives its temporary webhooks; the sweep reads the execution and deadline back. */
const TEMPORARY_NAME = new RegExp(`^${MARKER} · execution (\\S+) · until (\\S+)$`);
/** A secret as waitSecret() makes it (sha256, hex). */
const SECRET_SHAPE = /^[0-9a-f]{64}$/;
/** A start as the wait records it (milliseconds since 1970). */
const STARTED_SHAPE = /^\d{1,16}$/;
/** The resume answers Pilot Status within this, status check included (receivers must be quick). */
const CONFIRM_TIMEOUT_MS = 5_000;
const RATE_LIMIT_TRIES = 4;
const RATE_LIMIT_FIRST_PAUSE_MS = 1000;
const RATE_LIMIT_LONGEST_PAUSE_MS = 30_000;

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

// --- the secret in the resume URL ---------------------------------------------------------------

/**
 * Proves that a call to the resume URL comes from the webhook this wait registered. Keyed with the
 * credential's key, which no caller knows: n8n 1.x resume URLs carry no token of their own, and
 * execution IDs count up, so nothing derived from the URL alone would do.
 */
async function waitSecret(
	context: IExecuteFunctions | IWebhookFunctions,
	executionId: string,
	numberId: string,
	started: string,
): Promise<string> {
	const { apiKey, apiKeyId, keyType } = await context.getCredentials(CREDENTIAL_TYPE);
	const key = String((keyType === 'apiKeyId' ? apiKeyId : apiKey) ?? '');
	return createHmac('sha256', key)
		.update(`${executionId}:${context.getNode().id}:${numberId}:${started}`)
		.digest('hex');
}

function resumeUrlOf(context: IExecuteFunctions | IWebhookFunctions): string {
	return String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
}

function registeredUrl(resumeUrl: string, numberId: string, started: string, secret: string) {
	const url = new URL(resumeUrl);
	url.searchParams.set('number', numberId);
	url.searchParams.set('started', started);
	url.searchParams.set('secret', secret);
	return url.toString();
}

// --- temporary webhooks -------------------------------------------------------------------------

function webhookName(executionId: string, deadline: Date): string {
	return `${MARKER} · execution ${executionId} · until ${deadline.toISOString()}`;
}

/** Where a resume URL points, without its query: the same for every wait of one execution. */
function executionUrlOf(url: URL): string {
	return `${url.origin}${url.pathname}`;
}

interface TemporaryWebhook {
	id: string;
	/** The resume URL of the execution it waits for, without the query. */
	executionUrl: string;
	/** When that wait gives up, in ms since 1970. */
	deadline: number;
}

/**
 * One of this package's temporary webhooks on this n8n, recognised by what only they have: a URL
 * under this n8n's resume URLs that carries a number ID, a start and a secret shaped as this code
 * makes them, named as this code names them after the same execution. A webhook with anything
 * missing or odd (no URL, another host, a name that merely starts alike) belongs to someone else.
 */
function temporaryWebhookOf(
	webhook: IDataObject,
	resumeUrls: string,
): TemporaryWebhook | undefined {
	const id = usableWebhookId(webhook.id);
	const named = typeof webhook.name === 'string' ? TEMPORARY_NAME.exec(webhook.name) : null;
	if (id === undefined || named === null || typeof webhook.url !== 'string') return undefined;
	let url: URL;
	try {
		url = new URL(webhook.url);
	} catch {
		return undefined;
	}
	const executionUrl = executionUrlOf(url);
	const deadline = Date.parse(named[2]);
	const query = url.searchParams;
	const shaped =
		executionUrl === `${resumeUrls}${named[1]}` &&
		checkId(query.get('number'), 'number').problem === undefined &&
		STARTED_SHAPE.test(query.get('started') ?? '') &&
		SECRET_SHAPE.test(query.get('secret') ?? '') &&
		Number.isFinite(deadline);
	return shaped ? { id, executionUrl, deadline } : undefined;
}

/**
 * Deletes this package's temporary webhooks that are past their wait's deadline (a wait that timed
 * out or was cancelled runs no code, so a later wait cleans up after it) or that point at this
 * execution: an execution waits in one place at a time, so while this node runs, any of them is a
 * leftover (an earlier try under Retry On Fail, an earlier round of a loop, a registration whose
 * answer was lost), and at the resume it is this wait's own. Never throws: cleanup must not turn a
 * result into a failure.
 */
async function cleanUp(context: IExecuteFunctions | IWebhookFunctions) {
	try {
		const own = new URL(resumeUrlOf(context));
		const ownExecutionUrl = executionUrlOf(own);
		// Every execution's resume URL is this one with another execution ID as its last segment.
		const resumeUrls = ownExecutionUrl.slice(0, ownExecutionUrl.lastIndexOf('/') + 1);
		const now = Date.now();
		for (const listed of await listWebhooks.call(context)) {
			const webhook = temporaryWebhookOf(listed, resumeUrls);
			// Past its deadline the wait is over, even if n8n has not resumed it yet (it checks once a
			// minute): an event now would come too late anyway.
			if (webhook && (webhook.deadline < now || webhook.executionUrl === ownExecutionUrl)) {
				await deleteWebhook.call(context, webhook.id).catch(() => undefined);
			}
		}
	} catch {
		// The next wait tries again.
	}
}

/**
 * Deletes this wait's temporary webhook: by its ID when Pilot Status said one, else (or when that
 * fails) by its URL, listing the account's webhooks. Never throws.
 */
async function removeOwnWebhook(
	context: IExecuteFunctions | IWebhookFunctions,
	webhookId: unknown,
) {
	const id = usableWebhookId(webhookId);
	try {
		if (id !== undefined) return await deleteWebhook.call(context, id);
	} catch {
		// Listing below finds it by its URL.
	}
	await cleanUp(context);
}

/**
 * A 429 on registering or on the status check refused the request without doing it, so it is sent
 * again after the pause the service asks for (or a backoff), a few times, before the item fails:
 * many onboardings often start at once (a CRM import, a campaign).
 */
async function sendRidingOutRateLimits(context: IExecuteFunctions, call: ApiCall) {
	let delayMs = RATE_LIMIT_FIRST_PAUSE_MS / 2;
	for (let tries = 1; ; tries += 1) {
		const response = await pilotStatusRequest.call(context, {
			...call,
			timeoutMs: requestTimeoutOf(context),
			passStatuses: [429],
		});
		if (response.statusCode !== 429) return response;
		delayMs = backoffMs(delayMs, RATE_LIMIT_FIRST_PAUSE_MS, response.headers);
		if (tries >= RATE_LIMIT_TRIES || delayMs > RATE_LIMIT_LONGEST_PAUSE_MS) {
			throw apiError(context.getNode(), 429, response.body, response.headers, call.failure);
		}
		await pause(context, delayMs);
	}
}

/** Where the waiting stack entry carries the temporary webhook's ID to webhook(). */
const WEBHOOK_ID_KEY = 'pilotStatusWaitWebhookId';
/**
 * Where it carries the wait's start. A node that waits again in the same execution (a loop, one
 * number per round) has the same resume URL and the same node, so an earlier round's URL, with a
 * valid secret, would otherwise resume this round: a late copy of its event, or anyone who saw it.
 */
const STARTED_KEY = 'pilotStatusWaitStarted';

interface WaitRecord {
	webhookId?: string;
	started: string;
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

/** The stack entry n8n resumes: what a timed-out wait outputs, and the error it fails with. */
function prepareResume(
	executeData: IExecuteData,
	item: INodeExecutionData,
	error: NodeOperationError | undefined,
	wait?: WaitRecord,
) {
	executeData.data = { ...executeData.data, main: [[item]] };
	const metadata: IDataObject = { ...executeData.metadata };
	if (error) metadata.resumeError = error;
	else delete metadata.resumeError;
	if (wait?.webhookId) metadata[WEBHOOK_ID_KEY] = wait.webhookId;
	if (wait) metadata[STARTED_KEY] = wait.started;
	executeData.metadata = metadata;
}

// --- execute: register and wait -----------------------------------------------------------------

export async function waitForConnectionByWebhook(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	if (runsAsTool(node)) {
		throw inputErrorWith(
			node,
			'Wait for Connection with "Resume When: Pilot Status Notifies" cannot run as an AI tool: it would put the agent’s whole execution to wait. Nothing was changed.',
			'Use Resume When: Poll Every Few Seconds as a tool, or wait in a normal workflow step.',
		);
	}
	const items = this.getInputData();
	if (items.length !== 1) {
		throw inputErrorWith(
			node,
			`Resume When: Pilot Status Notifies waits for one number per execution, but this node received ${items.length} items. Nothing was sent.`,
			'Start one execution per number (an onboarding usually has one), or choose Resume When: Poll Every Few Seconds to wait for several numbers at once.',
		);
	}
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
				name: webhookName(executionId, deadline),
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

/** The stack entry of the waiting node, which n8n resumes with what webhook() returns. */
function waitingEntry(context: IWebhookFunctions): IExecuteData | undefined {
	const { runExecutionData } = context as unknown as {
		runExecutionData?: { executionData?: { nodeExecutionStack?: IExecuteData[] } };
	};
	return runExecutionData?.executionData?.nodeExecutionStack?.[0];
}

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
		const query = this.getQueryData() as IDataObject;
		const numberId = String(query.number ?? '');
		const started = String(query.started ?? '');
		const executionId = String(this.evaluateExpression('{{ $execution.id }}', 0));
		const expected = await waitSecret(this, executionId, numberId, started);
		if (!numberId || !sameSecret(query.secret, expected)) {
			return answer(this, 401, { error: 'Unknown sender: the secret in the URL does not match' });
		}
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
