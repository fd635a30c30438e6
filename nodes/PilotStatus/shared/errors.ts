import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';

import type { Checked } from './validation';

import { DEFAULT_BASE_URL } from './constants';

/** What the failed call was about, so a 404 can say "number num_1" rather than "resource". */
export interface FailureContext {
	resource: string;
	subject?: string;
	itemIndex?: number;
}

interface Explanation {
	message: string;
	description: string;
}

const KEY_PATTERN = /ps_[A-Za-z0-9_-]{4,}/g;

/** Server text is quoted in messages; a key must never ride along with it. */
export function redactKeys(text: string): string {
	return text.replace(KEY_PATTERN, 'ps_…');
}

function serverText(body: unknown): string {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const { error, message } = body as IDataObject;
		const text = typeof error === 'string' ? error : typeof message === 'string' ? message : '';
		return redactKeys(text.slice(0, 300));
	}
	if (typeof body === 'string' && /<html|<!doctype/i.test(body)) return 'an HTML error page';
	return typeof body === 'string' && body.trim() ? redactKeys(body.trim().slice(0, 300)) : '';
}

function errorCode(body: unknown): string | undefined {
	if (body && typeof body === 'object' && typeof (body as IDataObject).code === 'string') {
		return (body as IDataObject).code as string;
	}
	return undefined;
}

export function retryAfterSeconds(headers: IDataObject | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds);
	const date = Date.parse(String(value));
	return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

function notFound(code: string | undefined, text: string, context: FailureContext): Explanation {
	if (context.resource === 'remotePairing') {
		return {
			message: 'The remote pairing token is invalid or has expired (404)',
			description:
				'Pairing links live 24 hours. Create a new one with Number → Create Remote Pairing Link and send it to the customer.',
		};
	}
	if (code === 'WEBHOOK_NOT_FOUND') {
		return {
			message: `Webhook ${context.subject ?? ''} was not found (404 WEBHOOK_NOT_FOUND)`.replace(
				'  ',
				' ',
			),
			description: 'It was deleted, or it belongs to a number this key cannot see.',
		};
	}
	if (
		code === 'NUMBER_NOT_FOUND' ||
		context.resource === 'number' ||
		context.resource === 'apiKey'
	) {
		const which = context.subject ? ` with ID "${context.subject}"` : '';
		return {
			message: `There is no number${which} in this Pilot Status account (404)`,
			description:
				'Pick the number from the list, or check the ID you mapped into the field. Deleted numbers cannot be brought back.',
		};
	}
	return {
		message: `Pilot Status could not find what this operation asked for (404)${text ? `: ${text}` : ''}`,
		description: `Check the Base URL in the credential; it should be ${DEFAULT_BASE_URL}.`,
	};
}

/** Turns a non-2xx answer into words a workflow builder can act on. */
export function explainApiFailure(
	statusCode: number,
	body: unknown,
	headers: IDataObject | undefined,
	context: FailureContext,
): Explanation {
	const code = errorCode(body);
	const text = serverText(body);
	const said = text ? ` The service said: "${text}".` : '';

	if (statusCode === 400) {
		return {
			message: `Pilot Status rejected the input (400${code ? ` ${code}` : ''})${text ? `: ${text}` : ''}`,
			description:
				'Check the fields of this node. Phone numbers need country and area code, e.g. +5511999999999; names cannot be empty.',
		};
	}
	if (statusCode === 401) {
		return {
			message: 'Pilot Status did not accept the API key (401 Unauthorized)',
			description:
				'Open the Pilot Status credential and check the key and the "Authenticate With" choice. A key stops working as soon as it is regenerated or rotated; paste the new one.',
		};
	}
	if (statusCode === 403 && code === 'NUMBER_SCOPE_NOT_ALLOWED') {
		return {
			message:
				'This operation needs the tenant API key, but the credential holds a number-scoped key (403)',
			description:
				'Number-scoped keys (dashboard → API Keys) only work for one number’s messages. Put the tenant key from the Pilot Status dashboard → Profile → API tab into the credential.',
		};
	}
	if (statusCode === 403 && code === 'TENANT_SCOPE_NOT_ALLOWED') {
		return {
			message:
				'This endpoint needs a number-scoped API key, but the credential holds the tenant key (403)',
			description:
				'Use a credential with the key of that number, from the Pilot Status dashboard → API Keys (one key per number).',
		};
	}
	if (statusCode === 403) {
		return {
			message: `Pilot Status refused this operation (403${code ? ` ${code}` : ''})`,
			description: `The key in the credential is valid but not allowed to do this.${said} Management operations need the tenant key from dashboard → Profile → API tab.`,
		};
	}
	if (statusCode === 404) return notFound(code, text, context);
	if (statusCode === 409 && !code) {
		return {
			message: 'The number is already connected (409): there is nothing to pair',
			description:
				'A QR code is only issued while the number is disconnected. Get Status shows the current state; when it is CLOSED, Connect gives a fresh QR code.',
		};
	}
	if (statusCode === 409) {
		return {
			message: `Pilot Status refused the operation (409 ${code})${text ? `: ${text}` : ''}`,
			description: 'The account is not in a state that allows this operation yet.',
		};
	}
	if (statusCode === 429) {
		const wait = retryAfterSeconds(headers);
		return {
			message: 'Pilot Status is rate limiting requests (429 Too Many Requests)',
			description: `${wait !== undefined ? `The service asks to wait ${wait} s. ` : ''}The request was not carried out. Turn on Retry On Fail in the node settings (wait 5000 ms or more), or send fewer items at a time with Settings → Batching.`,
		};
	}
	if (statusCode >= 500) {
		return {
			message: `Pilot Status had a server error (${statusCode})`,
			description: `Usually temporary; try again in a few minutes.${said} After Create, Connect, Regenerate or Rotate Own Key, check the result (Get Many) before retrying: the service may have done the work.`,
		};
	}
	return {
		message: `Pilot Status answered with HTTP ${statusCode}${code ? ` ${code}` : ''}`,
		description: text || 'No details were given.',
	};
}

export function apiError(
	node: INode,
	statusCode: number,
	body: unknown,
	headers: IDataObject | undefined,
	context: FailureContext,
): NodeApiError {
	const { message, description } = explainApiFailure(statusCode, body, headers, context);
	const response: JsonObject = {
		statusCode,
		code: errorCode(body) ?? null,
		error: serverText(body),
	};
	return new NodeApiError(node, response, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex: context.itemIndex,
	});
}

/**
 * The error for an answer the caller cannot use (non-2xx, or a body that is not JSON), or
 * undefined when it is fine. Declarative operations and programmatic calls both use it.
 */
export function failedResponseError(
	node: INode,
	response: { statusCode: number; body: unknown; headers?: IDataObject },
	context: FailureContext,
): NodeApiError | undefined {
	if (response.statusCode >= 400) {
		return apiError(node, response.statusCode, response.body, response.headers, context);
	}
	if (typeof response.body !== 'object' || response.body === null) {
		return unreadableResponseError(node, response.body, context.itemIndex);
	}
	return undefined;
}

/** Input checks give a value or a problem; a problem fails the item before anything is sent. */
export function checkedValue<T>(node: INode, itemIndex: number, checked: Checked<T>): T {
	if (checked.problem !== undefined) {
		throw new NodeOperationError(node, checked.problem, { itemIndex });
	}
	return checked.value;
}

/** A 2xx answer whose body is not the JSON the operation reads: a proxy page, a cut-off body... */
export function unreadableResponseError(
	node: INode,
	body: unknown,
	itemIndex?: number,
): NodeApiError {
	const kind =
		body === undefined || body === null || body === ''
			? 'an empty body'
			: typeof body === 'string' && /<html|<!doctype/i.test(body)
				? 'an HTML page'
				: 'malformed JSON';
	return new NodeApiError(
		node,
		{ error: kind },
		{
			message: 'Pilot Status sent a response the node cannot read',
			description: `Expected JSON but received ${kind}. A proxy or a wrong Base URL in the credential usually causes this; it should be ${DEFAULT_BASE_URL}.`,
			httpCode: 'none',
			itemIndex,
		},
	);
}

const TRANSPORT_FAILURES: Array<{ codes: string[]; explain: (origin: string) => Explanation }> = [
	{
		codes: [
			'ECONNREFUSED',
			'ENOTFOUND',
			'EAI_AGAIN',
			'EHOSTUNREACH',
			'ENETUNREACH',
			'ERR_INVALID_URL',
		],
		explain: (origin) => ({
			message: `Could not reach Pilot Status at ${origin}`,
			description: `Check the Base URL in the credential (normally ${DEFAULT_BASE_URL}) and that this n8n instance can reach the internet.`,
		}),
	},
	{
		codes: ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'TIMEOUT'],
		explain: () => ({
			message: 'Pilot Status did not answer in time',
			description:
				'Try again later, or raise Settings → Timeout. After Create, Connect, Regenerate or Rotate Own Key, check the result before retrying: the service may have done the work.',
		}),
	},
	{
		codes: ['ECONNRESET', 'EPIPE', 'SOCKET HANG UP'],
		explain: () => ({
			message: 'The connection to Pilot Status closed before it answered',
			description:
				'Usually temporary: try again. After Create, Connect, Regenerate or Rotate Own Key, check the result before retrying: the service may have done the work.',
		}),
	},
];

function transportCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const { code, message } = current as { code?: unknown; message?: unknown };
		const candidates = [code, message].filter(
			(value): value is string => typeof value === 'string',
		);
		for (const candidate of candidates) {
			const upper = candidate.toUpperCase();
			const known = TRANSPORT_FAILURES.flatMap((failure) => failure.codes).find((name) =>
				upper.includes(name),
			);
			if (known) return known;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * A request that never got an HTTP answer. Returns a fresh error without the original as its
 * cause: the underlying HTTP error carries the request headers, and with them the API key.
 */
export function transportError(
	node: INode,
	error: unknown,
	origin: string,
	itemIndex?: number,
): NodeApiError | undefined {
	const code = transportCode(error);
	if (!code) return undefined;
	const failure = TRANSPORT_FAILURES.find((candidate) => candidate.codes.includes(code))!;
	const { message, description } = failure.explain(origin);
	return new NodeApiError(node, { code }, { message, description, httpCode: 'none', itemIndex });
}

/** The credential is optional at node level (remote pairing runs without one), so say so early. */
export function noCredentialError(node: INode, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, 'No Pilot Status credential is selected', {
		itemIndex,
		description:
			'Choose or create a "Pilot Status API" credential in this node. It needs the tenant key from the Pilot Status dashboard → Profile → API tab.',
	});
}

/** For catch blocks that re-throw: n8n errors pass through as they are, anything else is wrapped. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
