import { createHmac } from 'crypto';
import type {
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	NodeOperationError,
} from 'n8n-workflow';

import { backoffMs, pause } from '../transport/backoff';
import { CREDENTIAL_TYPE } from '../constants';
import { apiError, inputErrorWith } from '../errors/nodeErrors';
import { runsAsTool } from '../descriptions/tool';
import { pilotStatusRequest, requestTimeoutOf } from '../transport/request';
import type { ApiCall } from '../transport/request';
import { deleteWebhook, listWebhooks, usableWebhookId } from '../pilotStatusWebhooks/webhookApi';
import { sameSecret } from '../pilotStatusWebhooks/deliveries';
import { checkId } from '../input/validation';

// What the waits that Pilot Status resumes share (Wait for Connection with "Resume When: Pilot
// Status Notifies", and Send and Wait for Response): a temporary Pilot Status webhook pointing at
// this execution's resume URL with a secret, the sweep of such webhooks left behind, and the
// stack entry n8n resumes.
//
// n8n behaviours this relies on (guarded by tests, listed in the README's architecture section):
// - a timed-out wait resumes without running node code: n8n passes on the node's stored input, so
//   the timeout's item is stored there in advance (getExecuteData().data.main);
// - `metadata.resumeError` on that same stack entry makes the resumed node fail with it (n8n 2.x);
// - other keys on that metadata are stored with the waiting execution too: the temporary
//   webhook's ID travels there to webhook(), so the resume deletes it without listing webhooks,
//   and so does the wait's start, so that only the current wait's URL can resume it;
// - a webhook() answer without workflowData keeps the execution waiting (n8n's
//   webhook-helpers return before running anything).

type Context = IExecuteFunctions | IWebhookFunctions;

/**
 * The node's webhooks: restart webhooks, which n8n never registers on activation (so there is no
 * lifecycle to manage) and only serves while an execution of this node waits; the editor shows no
 * URL for them. Pilot Status POSTs events to the resume URL; Send and Wait's approval page is a GET
 * of it, and the choice on that page a POST.
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
	{
		name: 'default',
		httpMethod: 'GET',
		responseMode: 'onReceived',
		responseData: '',
		path: '',
		restartWebhook: true,
	},
];

/** What each wait names its temporary webhooks after. */
export type WaitKind = 'Wait for Connection' | 'Send and Wait';

/** The names this code gives its temporary webhooks; the sweep reads the execution and deadline back. */
const TEMPORARY_NAME =
	/^n8n (?:Wait for Connection|Send and Wait) · execution (\S+) · until (\S+)$/;
/** A secret as waitSecret() makes it (sha256, hex). */
const SECRET_SHAPE = /^[0-9a-f]{64}$/;
/** A start as the wait records it (milliseconds since 1970). */
const STARTED_SHAPE = /^\d{1,16}$/;
const RATE_LIMIT_TRIES = 4;
const RATE_LIMIT_FIRST_PAUSE_MS = 1000;
const RATE_LIMIT_LONGEST_PAUSE_MS = 30_000;

// --- the secret in the resume URL ---------------------------------------------------------------

/**
 * Proves that a call to the resume URL comes from the webhook (or the link) this wait made. Keyed
 * with the credential's key, which no caller knows: n8n 1.x resume URLs carry no token of their
 * own, and execution IDs count up, so nothing derived from the URL alone would do.
 */
export async function waitSecret(
	context: Context,
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

export function resumeUrlOf(context: Context): string {
	return String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
}

/** The resume URL with what identifies this wait and proves its caller. */
export function registeredUrl(
	resumeUrl: string,
	numberId: string,
	started: string,
	secret: string,
) {
	const url = new URL(resumeUrl);
	url.searchParams.set('number', numberId);
	url.searchParams.set('started', started);
	url.searchParams.set('secret', secret);
	return url.toString();
}

/** The query a call to the resume URL carries, checked against the secret this wait made. */
export async function callerOf(
	context: IWebhookFunctions,
): Promise<{ numberId: string; started: string } | undefined> {
	const query = context.getQueryData() as IDataObject;
	const numberId = String(query.number ?? '');
	const started = String(query.started ?? '');
	const executionId = String(context.evaluateExpression('{{ $execution.id }}', 0));
	const expected = await waitSecret(context, executionId, numberId, started);
	return numberId && sameSecret(query.secret, expected) ? { numberId, started } : undefined;
}

// --- temporary webhooks -------------------------------------------------------------------------

export function webhookName(kind: WaitKind, executionId: string, deadline: Date): string {
	return `n8n ${kind} · execution ${executionId} · until ${deadline.toISOString()}`;
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
export async function cleanUp(context: Context) {
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
export async function removeOwnWebhook(context: Context, webhookId: unknown) {
	const id = usableWebhookId(webhookId);
	try {
		if (id !== undefined) return await deleteWebhook.call(context, id);
	} catch {
		// Listing below finds it by its URL.
	}
	await cleanUp(context);
}

/**
 * A 429 on registering or on a status check refused the request without doing it, so it is sent
 * again after the pause the service asks for (or a backoff), a few times, before the item fails:
 * many waits often start at once (a CRM import, a campaign).
 */
export async function sendRidingOutRateLimits(context: IExecuteFunctions, call: ApiCall) {
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

// --- the waiting stack entry --------------------------------------------------------------------

/** Where the waiting stack entry carries the temporary webhook's ID to webhook(). */
export const WEBHOOK_ID_KEY = 'pilotStatusWaitWebhookId';
/**
 * Where it carries the wait's start. A node that waits again in the same execution (a loop, one
 * number per round) has the same resume URL and the same node, so an earlier round's URL, with a
 * valid secret, would otherwise resume this round: a late copy of its event, or anyone who saw it.
 */
export const STARTED_KEY = 'pilotStatusWaitStarted';

export interface WaitRecord {
	webhookId?: string;
	started: string;
	/** More the resume needs, stored with the waiting execution (e.g. the message waited on). */
	details?: IDataObject;
}

/** The stack entry n8n resumes: what a timed-out wait outputs, and the error it fails with. */
export function prepareResume(
	executeData: IExecuteData,
	item: INodeExecutionData,
	error: NodeOperationError | undefined,
	wait?: WaitRecord,
) {
	executeData.data = { ...executeData.data, main: [[item]] };
	const metadata: IDataObject = { ...executeData.metadata, ...wait?.details };
	if (error) metadata.resumeError = error;
	else delete metadata.resumeError;
	if (wait?.webhookId) metadata[WEBHOOK_ID_KEY] = wait.webhookId;
	if (wait) metadata[STARTED_KEY] = wait.started;
	executeData.metadata = metadata;
}

/** The stack entry of the waiting node, which n8n resumes with what webhook() returns. */
export function waitingEntry(context: IWebhookFunctions): IExecuteData | undefined {
	const { runExecutionData } = context as unknown as {
		runExecutionData?: { executionData?: { nodeExecutionStack?: IExecuteData[] } };
	};
	return runExecutionData?.executionData?.nodeExecutionStack?.[0];
}

/** What a wait says when it is run as an AI tool, or on several items: each names its own way out. */
export interface WaitRefusals {
	asTool: { message: string; fix: string };
	manyItems: (count: number) => { message: string; fix: string };
}

/**
 * A waiting execution waits for one thing, and never inside an AI agent's run (it would put the
 * agent's whole execution to wait): both are refused before anything is sent.
 */
export function refuseToolOrSeveralItems(context: IExecuteFunctions, refusals: WaitRefusals): void {
	const node = context.getNode();
	if (runsAsTool(node)) {
		throw inputErrorWith(node, refusals.asTool.message, refusals.asTool.fix);
	}
	const count = context.getInputData().length;
	if (count !== 1) {
		const { message, fix } = refusals.manyItems(count);
		throw inputErrorWith(node, message, fix);
	}
}
