import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { backoffMs, pause } from '../transport/backoff';
import { acceptChecks, apiError, asNodeError } from '../errors/nodeErrors';
import { normalizeConnectionStatus, waitOutcome } from '../output/normalize';
import { itemParameters, numberIdOf, pairingTokenOf } from '../input/parameters';
import {
	pilotStatusRequest,
	publicPilotStatusRequest,
	requestTimeoutOf,
} from '../transport/request';
import { checkGiveUpAfter } from './giveUpAfter';
import { waitForConnectionByWebhook } from './waitForWebhook';

// Wait for Connection polls a status endpoint until the customer has scanned the QR code.
// Every input item waits for its own number in parallel, so a slow one holds back no other.
// Unless Continue On Fail is on, one failed item fails the node, so the first failure ends the
// waits of the others at once instead of after Give Up After.

const MAX_TRANSIENT_FAILURES = 3;
const TRANSIENT_STATUSES = [429, 500, 502, 503, 504];

interface WaitSettings {
	intervalMs: number;
	timeoutMs: number;
	outputWhenNotConnected: boolean;
	stopWhenDisconnected: boolean;
}

interface Target {
	/** What the messages call the thing being waited for, e.g. `number "num_1"`. */
	label: string;
	/** Added to every output item. */
	identity: IDataObject;
	resource: 'number' | 'remotePairing';
	/**
	 * A 404 while the customer was pairing means the link was used up by the connection: the docs
	 * say a pairing link is cleared once its number connects, so a customer who pairs between two
	 * checks (the hosted page polls too) makes the next check a 404. The poll passes 404s through.
	 */
	goneOnceConnected?: boolean;
	poll: (itemIndex: number, timeoutMs: number) => Promise<IN8nHttpFullResponse>;
}

interface ItemWait {
	target: Target;
	settings: WaitSettings;
}

/** No answer, or one that is not JSON (a proxy page): worth another try while polling. */
function isTransportFailure(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && error.httpCode === 'none';
}

function settingsFor(context: IExecuteFunctions, itemIndex: number): WaitSettings {
	const seconds = context.getNodeParameter('pollInterval', itemIndex, 5) as number;
	const minutes = context.getNodeParameter('timeout', itemIndex, 10) as number;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	acceptChecks(
		context.getNode(),
		itemIndex,
		typeof seconds === 'number' && seconds >= 0.5
			? { value: seconds }
			: { problem: `Poll Every (Seconds) is ${String(seconds)}; use 0.5 or more.` },
		checkGiveUpAfter(minutes),
	);
	return {
		intervalMs: seconds * 1000,
		timeoutMs: minutes * 60_000,
		outputWhenNotConnected:
			context.getNodeParameter('ifNotConnected', itemIndex, 'fail') === 'output',
		stopWhenDisconnected: options.stopWhenDisconnected === true,
	};
}

function cancelled(context: IExecuteFunctions, itemIndex: number) {
	return new NodeOperationError(context.getNode(), 'The execution was cancelled while waiting', {
		itemIndex,
	});
}

async function waitForItem(
	context: IExecuteFunctions,
	itemIndex: number,
	{ target, settings }: ItemWait,
	stop: AbortSignal,
): Promise<INodeExecutionData> {
	const cancel = context.getExecutionCancelSignal();
	// A stop comes from another item's failure, which is what the node reports: this error is dropped.
	const halted = () => cancel?.aborted === true || stop.aborted;
	const started = Date.now();
	const deadline = started + settings.timeoutMs;
	let polls = 0;
	let delayMs = settings.intervalMs;
	let transientFailures = 0;
	let pairingStarted = false;
	let status: IDataObject = {};

	const result = (connected: boolean, reason?: string): INodeExecutionData => ({
		json: waitOutcome(
			target.identity,
			connected,
			reason ?? null,
			status,
			Date.now() - started,
			polls,
		),
		pairedItem: { item: itemIndex },
	});
	const notConnected = (
		reason: 'timeout' | 'disconnected',
		message: string,
		description: string,
	) => {
		if (settings.outputWhenNotConnected) return result(false, reason);
		throw new NodeOperationError(context.getNode(), message, { itemIndex, description });
	};

	for (;;) {
		if (halted()) throw cancelled(context, itemIndex);
		// Every status check ends by the deadline, so a server that never answers ends the wait on time.
		const timeLeft = deadline - Date.now();
		let response: IN8nHttpFullResponse | undefined;
		try {
			response = await target.poll(itemIndex, Math.min(timeLeft, requestTimeoutOf(context)));
		} catch (error) {
			if (halted()) throw cancelled(context, itemIndex);
			// A check cut off by the deadline ends the wait as a timeout, below.
			const outOfTime = Date.now() >= deadline;
			if (!isTransportFailure(error) || (transientFailures >= MAX_TRANSIENT_FAILURES && !outOfTime))
				throw asNodeError(context.getNode(), error, itemIndex);
		}
		polls += 1;
		if (response?.statusCode === 404 && target.goneOnceConnected) {
			// Before pairing started, a link that is gone expired or lost its number: not a connection.
			if (status.state !== 'CONNECTING') {
				throw apiError(context.getNode(), 404, response.body, response.headers, {
					resource: target.resource,
					itemIndex,
				});
			}
			// What the service did not say stays null: only the link's end is known.
			status = { state: 'OPEN', isFullyConnected: null };
			return result(true);
		}
		// Status checks change nothing, so unlike the other operations they may be repeated: rate
		// limits back off as long as the wait lasts; server and network trouble a few times in a row.
		if (!response || TRANSIENT_STATUSES.includes(response.statusCode)) {
			if (response?.statusCode !== 429) transientFailures += 1;
			if (response && response.statusCode !== 429 && transientFailures > MAX_TRANSIENT_FAILURES) {
				throw apiError(context.getNode(), response.statusCode, response.body, response.headers, {
					resource: target.resource,
					itemIndex,
				});
			}
			delayMs = backoffMs(delayMs, settings.intervalMs, response?.headers);
		} else {
			transientFailures = 0;
			delayMs = settings.intervalMs;
			status = normalizeConnectionStatus(response.body);
			if (status.state === 'OPEN' && status.isFullyConnected !== false) return result(true);
			if (status.state === 'CONNECTING') pairingStarted = true;
			if (settings.stopWhenDisconnected && pairingStarted && status.state === 'CLOSED') {
				return notConnected(
					'disconnected',
					`Pairing of ${target.label} stopped: it is disconnected (CLOSED)`,
					'The QR code expired or the customer cancelled. Send a fresh QR code (Connect) and wait again.',
				);
			}
		}
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			const minutes = Math.round(settings.timeoutMs / 600) / 100;
			const label = `${target.label[0].toUpperCase()}${target.label.slice(1)}`;
			const handleIt = 'or set "If Not Connected" to output an item and handle it in the workflow.';
			// OPEN but not fully connected: the customer did pair, so a fresh QR code is not the fix.
			return status.state === 'OPEN'
				? notConnected(
						'timeout',
						`${label} paired but was not fully connected within ${minutes} min (state OPEN, isFullyConnected false)`,
						`Pilot Status is still finishing the connection. Check again later with Get Status, ${handleIt}`,
					)
				: notConnected(
						'timeout',
						`${label} did not connect within ${minutes} min (last state: ${status.state ?? 'unknown'})`,
						`The customer has not scanned the QR code yet. Send a reminder or a fresh QR code, ${handleIt}`,
					);
		}
		await pause(context, Math.min(delayMs, remaining), stop);
	}
}

async function waitForEach(
	context: IExecuteFunctions,
	targetFor: (itemIndex: number) => Target,
): Promise<INodeExecutionData[][]> {
	const continueOnFail = context.continueOnFail();
	const errorItem = (error: Error, itemIndex: number): INodeExecutionData => ({
		json: { error: error.message },
		pairedItem: { item: itemIndex },
	});
	// Every item's input is checked before the first status check: an input error says
	// "Nothing was sent", which must hold for the whole node, not only for the bad item.
	const waits: Array<ItemWait | Error> = context.getInputData().map((_item, itemIndex) => {
		try {
			return { target: targetFor(itemIndex), settings: settingsFor(context, itemIndex) };
		} catch (error) {
			const failure = asNodeError(context.getNode(), error, itemIndex);
			if (!continueOnFail) throw failure;
			return failure;
		}
	});
	const stop = new AbortController();
	const outcomes = waits.map(async (wait, itemIndex) => {
		if (wait instanceof Error) return errorItem(wait, itemIndex);
		try {
			return await waitForItem(context, itemIndex, wait, stop.signal);
		} catch (error) {
			const failure = asNodeError(context.getNode(), error, itemIndex);
			if (continueOnFail) return errorItem(failure, itemIndex);
			stop.abort();
			throw failure;
		}
	});
	// Rejects at the first failure. A stopped wait sends no further check; one in flight runs out in
	// the background (n8n's authenticated request helper takes only the execution's cancel signal).
	return [await Promise.all(outcomes)];
}

export async function waitForNumberConnection(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	if (this.getNodeParameter('resumeWhen', 0, 'polling') === 'webhook')
		return await waitForConnectionByWebhook.call(this);
	return await waitForEach(this, (itemIndex) => {
		const [id] = acceptChecks(
			this.getNode(),
			itemIndex,
			numberIdOf(itemParameters(this, itemIndex)),
		);
		return {
			label: `number "${id}"`,
			identity: { numberId: id },
			resource: 'number',
			poll: async (index, timeoutMs) =>
				await pilotStatusRequest.call(this, {
					method: 'GET',
					path: `/v1/numbers/${encodeURIComponent(id)}/status`,
					passStatuses: TRANSIENT_STATUSES,
					timeoutMs,
					failure: { resource: 'number', subject: id, itemIndex: index },
				}),
		};
	});
}

export async function waitForPairingConnection(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	return await waitForEach(this, (itemIndex) => {
		const [token] = acceptChecks(
			this.getNode(),
			itemIndex,
			pairingTokenOf(itemParameters(this, itemIndex)),
		);
		const { apiBaseUrl } = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		return {
			label: 'the number behind the pairing link',
			identity: { numberId: null },
			resource: 'remotePairing',
			goneOnceConnected: true,
			poll: async (index, timeoutMs) =>
				await publicPilotStatusRequest.call(this, apiBaseUrl, {
					method: 'GET',
					path: `/v1/remote-pairing/${encodeURIComponent(token)}/status`,
					passStatuses: [...TRANSIENT_STATUSES, 404],
					timeoutMs,
					failure: { resource: 'remotePairing', itemIndex: index },
				}),
		};
	});
}
