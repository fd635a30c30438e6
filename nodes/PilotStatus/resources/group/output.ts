import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, optionalText, toE164, unwrappedObject } from '../../output/normalize';

// One shape per group answer. Only the list, create and info answers are documented; the
// participant changes, invite link and pin answers are read in every plausible shape (a wrapper
// object, per-participant results or none, a link or only its code), null where nothing came.

/** A participant as a JID (5511…@s.whatsapp.net), digits, or an object with id/phone. */
function phoneOf(entry: unknown): string | null {
	const raw = isPlainObject(entry) ? (entry.phone ?? entry.number ?? entry.id ?? entry.jid) : entry;
	const value = optionalText(raw);
	return value === null ? null : toE164(value.replace(/@s\.whatsapp\.net$|@c\.us$/, ''));
}

function roleOf(entry: unknown): string {
	if (!isPlainObject(entry)) return 'member';
	const admin = entry.admin ?? entry.role;
	if (admin === 'superadmin' || entry.isSuperAdmin === true) return 'superadmin';
	if (admin === 'admin' || admin === true || entry.isAdmin === true) return 'admin';
	return 'member';
}

export function groupSummaryOutput(raw: IDataObject): IDataObject {
	return {
		id: optionalText(raw.id ?? raw.jid ?? raw.groupId),
		name: optionalText(raw.name ?? raw.subject),
	};
}

function participantList(value: unknown): IDataObject[] {
	return (Array.isArray(value) ? value : []).map((entry) => ({
		phone: phoneOf(entry),
		role: roleOf(entry),
	}));
}

export function groupOutput(answer: unknown): IDataObject {
	const raw = unwrappedObject(answer);
	const participants = participantList(raw.participants);
	return {
		id: optionalText(raw.id ?? raw.jid ?? raw.groupId),
		subject: optionalText(raw.subject ?? raw.name),
		description: optionalText(raw.desc ?? raw.description),
		owner: phoneOf(raw.owner),
		createdAt:
			typeof raw.creation === 'number'
				? new Date(raw.creation * 1000).toISOString()
				: optionalText(raw.createdAt ?? raw.creation),
		size: typeof raw.size === 'number' ? raw.size : participants.length,
		participants,
	};
}

/** Per-participant outcomes when the service gives them; otherwise the phones that were sent. */
export function participantsChangeOutput(
	answer: unknown,
	groupId: string,
	action: string,
	sent: string[],
): IDataObject {
	const raw = unwrappedObject(answer);
	const listed = Array.isArray(raw.participants) ? raw.participants : undefined;
	const results = listed
		? listed.map((entry) => ({
				phone: phoneOf(entry),
				status: isPlainObject(entry) ? optionalText(entry.status ?? entry.result) : null,
			}))
		: sent.map((digits) => ({ phone: `+${digits}`, status: null }));
	return { groupId: optionalText(raw.groupId) ?? groupId, action, participants: results };
}

const INVITE_PREFIX = 'https://chat.whatsapp.com/';

export function inviteOutput(answer: unknown, groupId: string): IDataObject {
	const raw = unwrappedObject(answer);
	const link = optionalText(raw.inviteLink ?? raw.inviteUrl ?? raw.link ?? raw.url);
	const rawCode = optionalText(raw.inviteCode ?? raw.code ?? raw.invite);
	const code = rawCode?.startsWith(INVITE_PREFIX) ? rawCode.slice(INVITE_PREFIX.length) : rawCode;
	return {
		groupId: optionalText(raw.groupId) ?? groupId,
		inviteLink: link ?? (code ? `${INVITE_PREFIX}${code}` : null),
		inviteCode: code ?? (link?.startsWith(INVITE_PREFIX) ? link.slice(INVITE_PREFIX.length) : null),
	};
}

export function pinOutput(
	answer: unknown,
	groupId: string,
	messageId: string,
	duration: number,
): IDataObject {
	const raw = unwrappedObject(answer);
	return {
		groupId: optionalText(raw.groupId) ?? groupId,
		messageId: optionalText(raw.messageId) ?? messageId,
		pinned: typeof raw.pinned === 'boolean' ? raw.pinned : true,
		durationSeconds: typeof raw.duration === 'number' ? raw.duration : duration,
	};
}
