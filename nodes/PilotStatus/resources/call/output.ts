import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, toE164 } from '../../output/normalize';

// One shape per answer, whatever documented variant arrives; SDP offers and answers are left out
// (they only serve a live audio session, which the node does not hold).

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const count = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) ? value : null;

export function callOutput(raw: IDataObject): IDataObject {
	return {
		id: text(raw.id),
		externalCallId: text(raw.externalCallId),
		direction: text(raw.direction),
		status: text(raw.status),
		peerNumber: toE164(raw.peerNumber),
		durationSeconds: count(raw.durationSeconds),
		startedAt: text(raw.startedAt),
		connectedAt: text(raw.connectedAt),
		endedAt: text(raw.endedAt),
		createdAt: text(raw.createdAt),
		updatedAt: text(raw.updatedAt),
	};
}

/** The calling settings as Meta exposes them: `{ calling: {...} }`, or the object itself. */
export function settingsOutput(answer: IDataObject): IDataObject {
	const calling = isPlainObject(answer.calling) ? answer.calling : answer;
	const settings = calling;
	return {
		status: text(settings.status),
		callIconVisibility: text(settings.call_icon_visibility),
		callbackPermissionStatus: text(settings.callback_permission_status),
		callHours: isPlainObject(settings.call_hours) ? settings.call_hours : null,
		voicemail: isPlainObject(settings.voicemail) ? settings.voicemail : null,
	};
}

interface ActionLimits {
	allowed: boolean | null;
	limits: IDataObject[];
}

function actionOf(actions: unknown, name: string): ActionLimits {
	const found = (Array.isArray(actions) ? actions : []).find(
		(action) => isPlainObject(action) && action.action_name === name,
	) as IDataObject | undefined;
	return {
		allowed: typeof found?.can_perform_action === 'boolean' ? found.can_perform_action : null,
		limits: Array.isArray(found?.limits) ? (found.limits as IDataObject[]) : [],
	};
}

/**
 * The permission probe. The playground writes statuses in lower case (temporary), the webhook
 * event in upper case (TEMPORARY): the output uses the event's.
 */
export function permissionOutput(answer: IDataObject, phoneNumber: string): IDataObject {
	const permission = isPlainObject(answer.permission) ? answer.permission : {};
	const status = text(permission.status);
	const expires = count(permission.expiration_time);
	const call = actionOf(answer.actions, 'start_call');
	const ask = actionOf(answer.actions, 'send_call_permission_request');
	return {
		phoneNumber,
		status: status ? status.toUpperCase() : null,
		expiresAt: expires === null ? null : new Date(expires * 1000).toISOString(),
		canCall: call.allowed,
		canRequestPermission: ask.allowed,
		callLimits: call.limits,
		requestLimits: ask.limits,
	};
}
