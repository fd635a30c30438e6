import type { INode, NodeApiError } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../constants';
import type { FailureContext } from '../errors/nodeErrors';
import {
	isOwnError,
	markOutcomeUnknown,
	outcomeUnknownText,
	ownApiError,
} from '../errors/nodeErrors';
import type { Deadline } from './deadline';

// Requests that never got a whole HTTP answer. They are recognised by the error codes of Node's network
// stack, TLS and HTTP parser (never by words in a message), found anywhere along the cause chain.
// n8n 1.x drops the native `cause` of the errors its HTTP helpers wrap and keeps the code only in
// `httpCode`, so both fields are read. An answer whose status and headers arrived but whose body
// did not is no answer either: what it would have said is lost, so a change may have been made.

interface Failure {
	/** What happened, finished by the origin. */
	what: (origin: string) => string;
	/** Whether the request may have reached the service (then a change may have happened). */
	mayHaveArrived: boolean;
	fix: string;
}

const BASE_URL_FIX = `Check the Base URL in the credential (normally ${DEFAULT_BASE_URL}; for remote pairing, Options → API Base URL) and that this n8n instance can reach it.`;

const TIMEOUT_FIX =
	'If the service is slow, raise Settings → Request Options → Timeout (in milliseconds).';

/** The deadline, in the user's words: "30 s", "1.5 s". */
function duration(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** The same words as the HTTP client's own timeout; the description says how long it had. */
function notInTime(deadline: Deadline): Failure {
	return {
		what: (origin) => `Pilot Status at ${origin} did not answer in time`,
		mayHaveArrived: true,
		fix: `It was stopped after ${duration(deadline.ms)} without a whole answer. ${TIMEOUT_FIX}`,
	};
}

function cutOff(status: number | undefined): Failure {
	return {
		what: (origin) =>
			`The answer from Pilot Status at ${origin} was cut off before it was complete${status === undefined ? '' : ` (status ${status} arrived, then the connection dropped)`}`,
		mayHaveArrived: true,
		fix: 'Usually temporary. If it keeps happening, a proxy or firewall may be cutting the connection.',
	};
}

const FAILURES: Array<{ matches: (code: string) => boolean; failure: Failure }> = [
	{
		matches: (code) =>
			[
				'ECONNREFUSED',
				'ENOTFOUND',
				'EAI_AGAIN',
				'EHOSTUNREACH',
				'ENETUNREACH',
				'EADDRNOTAVAIL',
			].includes(code),
		failure: {
			what: (origin) => `Could not reach Pilot Status at ${origin}`,
			mayHaveArrived: false,
			fix: BASE_URL_FIX,
		},
	},
	{
		matches: (code) => ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'].includes(code),
		failure: {
			what: (origin) => `Pilot Status at ${origin} did not answer in time`,
			mayHaveArrived: true,
			fix: TIMEOUT_FIX,
		},
	},
	{
		matches: (code) => ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code),
		failure: {
			what: (origin) => `The connection to Pilot Status at ${origin} closed before it answered`,
			mayHaveArrived: true,
			fix: 'Usually temporary. If it keeps happening, a proxy or firewall may be cutting the connection.',
		},
	},
	{
		matches: (code) =>
			code === 'EPROTO' ||
			code.startsWith('ERR_SSL') ||
			code.startsWith('ERR_TLS') ||
			code.includes('CERT') ||
			code.startsWith('UNABLE_TO_'),
		failure: {
			what: (origin) =>
				`The secure connection to ${origin} failed (TLS: the certificate does not match or the server does not speak HTTPS there)`,
			mayHaveArrived: false,
			fix: `Use https:// only with the API's own address (${DEFAULT_BASE_URL}); a test server on your machine uses http://. Ignore SSL Issues (Settings → Request Options) turns the check off at your own risk.`,
		},
	},
	{
		matches: (code) =>
			code.startsWith('HPE_') || code.startsWith('ERR_HTTP') || code === 'ERR_BAD_RESPONSE',
		failure: {
			what: (origin) => `The server at ${origin} answered with something that is not valid HTTP`,
			mayHaveArrived: true,
			fix: BASE_URL_FIX,
		},
	},
	{
		matches: (code) =>
			code.startsWith('ERR_FR_') || code === 'ERR_BAD_REQUEST' || code === 'ERR_INVALID_URL',
		failure: {
			what: (origin) =>
				`The request to ${origin} could not be made (unsupported address or too many redirects)`,
			mayHaveArrived: false,
			fix: BASE_URL_FIX,
		},
	},
	{
		matches: (code) => code === 'ERR_CANCELED' || code === 'ABORT_ERR',
		failure: {
			what: (origin) => `The request to ${origin} was cancelled with the execution`,
			mayHaveArrived: true,
			fix: 'Run the workflow again if the execution was stopped by mistake.',
		},
	},
];

// Codes of the network stack and HTTP client: ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID,
// HPE_INVALID_CONSTANT, CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE...
const NETWORK_CODE =
	/^(E[A-Z]{2,}|ERR_[A-Z0-9_]+|HPE_[A-Z_]+|[A-Z_]*CERT[A-Z_]*|UNABLE_TO_[A-Z_]+|ABORT_ERR)$/;

interface Inspection {
	code?: string;
	/** The chain has an error of the HTTP client (or n8n 1.x's wrapper that kept its code). */
	fromHttpClient: boolean;
	/** Some error in the chain carries a whole HTTP answer: then it is not a transport failure. */
	answered: boolean;
	/** The status of an answer whose body never arrived whole. */
	status?: number;
	/** An error in the chain carries an answer without its body (read off the HTTP client's error). */
	bodyLost: boolean;
}

function inspect(error: unknown): Inspection {
	const found: Inspection = { fromHttpClient: false, answered: false, bodyLost: false };
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const link = current as {
			code?: unknown;
			httpCode?: unknown;
			name?: unknown;
			isAxiosError?: unknown;
			response?: { status?: unknown; data?: unknown };
		};
		if (link.isAxiosError === true) found.fromHttpClient = true;
		if (typeof link.response?.status === 'number') {
			// The HTTP client fills in `data` only once the whole body has arrived.
			if (link.response.data === undefined) found.bodyLost = true;
			else found.answered = true;
			found.status ??= link.response.status;
		}
		if (typeof link.httpCode === 'string' && NETWORK_CODE.test(link.httpCode)) {
			found.fromHttpClient = true;
			found.code ??= link.httpCode;
		}
		// n8n 1.x keeps only the status of the answer. Every request of this package hands back an
		// answer of any status instead of failing, so a failure with a status lost the body.
		if (typeof link.httpCode === 'string' && /^[1-5]\d\d$/.test(link.httpCode)) {
			found.status ??= Number(link.httpCode);
		}
		if (typeof link.code === 'string' && NETWORK_CODE.test(link.code)) found.code ??= link.code;
		if (link.name === 'AbortError') found.code ??= 'ABORT_ERR';
		current = (current as { cause?: unknown }).cause;
	}
	return found;
}

const IDLE_TIMEOUTS = ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'];

/** What went wrong, or undefined when a whole answer arrived (or the error is not the transport's). */
function failureOf(
	{ code, fromHttpClient, answered, status, bodyLost }: Inspection,
	deadline: Deadline | undefined,
): Failure | undefined {
	// The deadline aborts the request the way a cancelled execution does: it is told apart here.
	if (deadline?.expired()) return notInTime(deadline);
	if (answered) return undefined;
	if (bodyLost || (status !== undefined && code === undefined)) return cutOff(status);
	if (!fromHttpClient && code !== 'ABORT_ERR') return undefined;
	if (deadline && code && IDLE_TIMEOUTS.includes(code)) return notInTime(deadline);
	const known = code ? FAILURES.find((candidate) => candidate.matches(code)) : undefined;
	return (
		known?.failure ?? {
			what: (at: string) => `The request to Pilot Status at ${at} failed before an answer arrived`,
			mayHaveArrived: true,
			fix: BASE_URL_FIX,
		}
	);
}

/** A request that never got a whole HTTP answer, in the user's terms; undefined for any other error. */
function explainTransportFailure(
	error: unknown,
	origin: string,
	context: FailureContext,
	deadline: Deadline | undefined,
):
	| { code: string | undefined; message: string; description: string; mayHaveArrived: boolean }
	| undefined {
	if (isOwnError(error)) return undefined;
	const inspection = inspect(error);
	const failure = failureOf(inspection, deadline);
	if (!failure) return undefined;
	// The deadline aborts like a cancellation (ERR_CANCELED): it is reported as the timeout it is.
	// A lost body's code (ERR_BAD_RESPONSE) would only suggest the answer was not HTTP.
	const code = deadline?.expired()
		? 'ETIMEDOUT'
		: inspection.bodyLost
			? undefined
			: inspection.code;
	const outcome =
		failure.mayHaveArrived && context.changes
			? outcomeUnknownText(context)
			: failure.mayHaveArrived
				? 'Nothing was changed; try again.'
				: 'Nothing was sent.';
	return {
		code,
		message: `${failure.what(origin)}${code ? ` (${code})` : ''}. ${outcome}`,
		description: failure.fix,
		mayHaveArrived: failure.mayHaveArrived,
	};
}

/**
 * The same as a node error. It is a fresh error without the original as its cause: the underlying
 * HTTP error carries the request headers, and with them the API key. `deadline` is the one the
 * request was sent with, if any.
 */
export function transportError(
	node: INode,
	error: unknown,
	origin: string,
	context: FailureContext,
	deadline?: Deadline,
): NodeApiError | undefined {
	const explained = explainTransportFailure(error, origin, context, deadline);
	if (!explained) return undefined;
	const explainedError = ownApiError(
		node,
		{ code: explained.code ?? 'none' },
		{
			message: explained.message,
			description: explained.description,
			httpCode: 'none',
			itemIndex: context.itemIndex,
		},
	);
	return explained.mayHaveArrived ? markOutcomeUnknown(explainedError, context) : explainedError;
}
