'use strict';
// Reading messages and groups (../shared/messaging-api.md §2.6, §4), all number-scoped: the
// conversations, unread, history and group-message reads over what the sandbox sent and received
// (with page/pageSize, date filters and the number's PII mode), and the group endpoints. The docs
// name only some group paths (list, create, info, add participants); the others (remove, promote,
// demote, invite link, pin) follow the MCP tool names and are inferred: the alternative shapes a
// service could plausibly take (PATCH/PUT participants with an action) are accepted too.
const crypto = require('node:crypto');
const { ApiError } = require('./store');

const PII_MODES = ['STORE_INDEFINITE', 'STORE_X_DAYS', 'RELAY_ONLY'];
const DAY_MS = 24 * 60 * 60 * 1000;
const PARTICIPANT_ACTIONS = ['add', 'remove', 'promote', 'demote'];
const PIN_SECONDS = [86_400, 604_800, 2_592_000];

const invalid = (message, code) => new ApiError(400, `Validation error: ${message}`, code);

// --- paging, dates, privacy -------------------------------------------------------------------------

function pageOf(query) {
	const page = query.has('page') ? Number(query.get('page')) : 1;
	const pageSize = query.has('pageSize') ? Number(query.get('pageSize')) : 30;
	if (!Number.isInteger(page) || page < 1) throw invalid('page must be an integer >= 1');
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
		throw invalid('pageSize must be an integer from 1 to 100');
	return { page, pageSize };
}

/** startDate/endDate (ISO-8601); 400 INVALID_DATE_RANGE when unreadable or start after end. */
function rangeOf(query) {
	const read = (name) => {
		if (!query.has(name) || query.get(name) === '') return undefined;
		const time = Date.parse(query.get(name));
		if (!Number.isFinite(time))
			throw new ApiError(400, `${name} is not an ISO-8601 date`, 'INVALID_DATE_RANGE');
		return time;
	};
	const start = read('startDate');
	const end = read('endDate');
	if (start !== undefined && end !== undefined && start > end)
		throw new ApiError(400, 'startDate must be before endDate', 'INVALID_DATE_RANGE');
	return { start, end };
}

/** STORE_X_DAYS clamps the window to the retention (the rendered history page's reading). */
function clampToRetention(number, range) {
	if (number.piiMode !== 'STORE_X_DAYS') return range;
	const oldest = Date.now() - (number.retentionDays ?? 30) * DAY_MS;
	return { ...range, start: Math.max(range.start ?? oldest, oldest) };
}

function inRange(range, iso) {
	const time = Date.parse(iso);
	return (
		(range.start === undefined || time >= range.start) &&
		(range.end === undefined || time <= range.end)
	);
}

function paged(listName, rows, { page, pageSize }, total = rows.length) {
	const start = (page - 1) * pageSize;
	return {
		[listName]: rows.slice(start, start + pageSize),
		total,
		page,
		pageSize,
		totalPages: Math.max(1, Math.ceil(rows.length / pageSize)),
	};
}

function relayOnly(listName, paging) {
	return { ...paged(listName, [], paging, 0), notice: 'PII_RELAY_ONLY' };
}

// --- stored messages, one shape -------------------------------------------------------------------

function conversationIdOf(numberId, key) {
	return `conv_${crypto.createHash('sha256').update(`${numberId}|${key}`).digest('hex').slice(0, 12)}`;
}

/** Every stored message of `number` (inbound and sent), newest first, as the history DTO. */
function storedMessages(store, number) {
	const inbound = store.messaging.inbound
		.filter(({ data }) => data.numberId === number.id)
		.map(({ event, data }) => {
			const group = event === 'message.group' ? data.groupId : undefined;
			const key = group ?? data.from;
			return {
				id: data.id,
				conversationId: conversationIdOf(number.id, key),
				conversationKey: key,
				kind: group ? 'GROUP' : event === 'message.newsletter' ? 'NEWSLETTER' : 'DIRECT',
				direction: 'INBOUND',
				providerKind: number.provider === 'META' ? 'META' : 'EVO',
				externalMessageId: data.messageId,
				status: 'RECEIVED',
				messageType: data.type,
				origin: 'WHATSAPP',
				text: data.content || null,
				participantName: data.participantName ?? null,
				participantPhone: data.from,
				repliedToExternalId: data.quotedMessageId ?? null,
				media: data.mediaType
					? {
							provider: number.provider === 'META' ? 'META' : 'EVO',
							id: data.mediaId ?? null,
							url: data.mediaLink ?? null,
							mimeType: null,
							fileName: data.mediaFilename ?? null,
						}
					: null,
				groupId: group ?? null,
				groupName: group ? (data.groupName ?? null) : null,
				sentAt: null,
				deliveredAt: null,
				readAt: null,
				providerTimestamp: data.createdAt,
				createdAt: data.createdAt,
			};
		});
	const sent = [...store.messaging.messages.values()]
		.filter((message) => message.numberId === number.id && message.destinationKind !== 'channel')
		.map((message) => ({
			id: message.id,
			conversationId: conversationIdOf(number.id, message.to),
			conversationKey: message.to,
			kind: message.destinationKind === 'group' ? 'GROUP' : 'DIRECT',
			direction: 'OUTBOUND',
			providerKind: number.provider === 'META' ? 'META' : 'EVO',
			externalMessageId: message.externalMessageId,
			status: message.status,
			messageType: message.mode === 'media' ? message.mediaType : 'text',
			origin: 'API',
			text: message.text ?? message.caption ?? null,
			participantName: null,
			participantPhone: message.destinationKind === 'group' ? null : message.to,
			repliedToExternalId: null,
			media: null,
			groupId: message.destinationKind === 'group' ? message.to : null,
			groupName: null,
			sentAt: message.sentAt,
			deliveredAt: message.deliveredAt,
			readAt: message.readAt,
			providerTimestamp: message.sentAt ?? message.createdAt,
			createdAt: message.createdAt,
		}));
	// Stable sort over the reversed arrival order: rows of the same millisecond stay newest first.
	return [...inbound, ...sent]
		.reverse()
		.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

const withoutInternals = ({ conversationKey, kind, ...row }) => row;

function conversations(store, number) {
	const byKey = new Map();
	for (const row of storedMessages(store, number)) {
		const entry = byKey.get(row.conversationKey) ?? {
			id: row.conversationId,
			from: row.kind === 'DIRECT' ? row.conversationKey : null,
			fromName: null,
			userId: null,
			username: null,
			type: row.kind,
			unreadCount: 0,
			lastMessageAt: row.createdAt,
			lastMessagePreview: row.text,
			createdAt: row.createdAt,
		};
		if (row.direction === 'INBOUND') {
			entry.unreadCount += 1;
			entry.fromName ??= row.kind === 'DIRECT' ? row.participantName : row.groupName;
		}
		entry.createdAt = row.createdAt;
		byKey.set(row.conversationKey, entry);
	}
	return [...byKey.values()];
}

/** Groups on Meta numbers (§4 [C]): NOT_SUPPORTED_FOR_META, or eligible OBAs only. */
function refuseMetaGroups(store, number) {
	if (number.provider !== 'META') return;
	if (store.variants.metaGroups === 'notSupported')
		throw new ApiError(400, 'Groups are not supported for Meta numbers', 'NOT_SUPPORTED_FOR_META');
	if (!number.metaGroupsEligible)
		throw new ApiError(
			400,
			'Groups need an approved Official Business Account with groups enabled',
			'META_GROUPS_NOT_ELIGIBLE',
		);
}

function messageRead(listName, select, dateField) {
	return ({ store, number, query }) => {
		const paging = pageOf(query);
		const range = clampToRetention(number, rangeOf(query));
		if (number.piiMode === 'RELAY_ONLY') return { body: relayOnly(listName, paging) };
		const rows = select(store, number).filter((row) => inRange(range, row[dateField]));
		return { body: paged(listName, rows, paging) };
	};
}

function unread(store, number) {
	const counts = new Map(
		conversations(store, number).map((entry) => [entry.id, entry.unreadCount]),
	);
	return storedMessages(store, number)
		.filter((row) => row.direction === 'INBOUND')
		.map((row) => ({
			...withoutInternals(row),
			type: row.messageType,
			from: row.participantPhone,
			fromName: row.participantName,
			conversationUnreadCount: counts.get(row.conversationId) ?? 0,
		}));
}

// --- groups ---------------------------------------------------------------------------------------

/** The groups of each number, kept with the messaging state (a reset drops them). */
const groupTables = new WeakMap();

function groupsOf(store, number) {
	let table = groupTables.get(store.messaging);
	if (!table) {
		table = new Map();
		groupTables.set(store.messaging, table);
	}
	if (!table.has(number.id)) {
		const seeded = newGroup(number, 'Clientes VIP', ['5511977776666']);
		table.set(number.id, new Map([[seeded.id, seeded]]));
	}
	return table.get(number.id);
}

const jidOf = (digits) => `${digits}@s.whatsapp.net`;

function newGroup(number, subject, participants) {
	const id = `1203630${crypto.randomInt(10 ** 9, 10 ** 10)}${crypto.randomInt(1000, 9999)}@g.us`;
	return {
		id,
		subject,
		owner: jidOf(number.number),
		creation: Math.floor(Date.now() / 1000),
		participants: [
			{ id: jidOf(number.number), phone: `+${number.number}`, admin: 'superadmin' },
			...participants.map((digits) => ({ id: jidOf(digits), phone: `+${digits}`, admin: null })),
		],
		inviteCode: crypto.randomBytes(16).toString('base64url').slice(0, 22),
		pinned: [],
	};
}

/** Groups work only while the session is OPEN (§4), and on Meta only for eligible OBAs. */
function groupNumber(store, number) {
	refuseMetaGroups(store, number);
	if (number.state !== 'OPEN')
		throw new ApiError(
			409,
			'WhatsApp instance is not connected',
			'WHATSAPP_INSTANCE_NOT_CONNECTED',
		);
	return number;
}

function findGroup(store, number, id) {
	const group = groupsOf(store, groupNumber(store, number)).get(id);
	if (!group) throw new ApiError(404, 'Group not found', 'GROUP_NOT_FOUND');
	return group;
}

/** Participants as E.164 digits (with or without +, or a JID); 400 for anything else. */
function participantsOf(body, required) {
	const list = body?.participants;
	if (list === undefined && !required) return [];
	if (!Array.isArray(list) || (required && list.length === 0))
		throw invalid('participants must be a non-empty array of phone numbers');
	return list.map((entry) => {
		const digits = String(entry)
			.replace(/@s\.whatsapp\.net$/, '')
			.replace(/^\+/, '');
		if (!/^\d{10,15}$/.test(digits))
			throw invalid('each participant must be a phone number in E.164 (5511999999999)');
		return digits;
	});
}

function changeParticipants(group, action, digitsList) {
	const results = digitsList.map((digits) => {
		const member = group.participants.find((entry) => entry.id === jidOf(digits));
		const phone = `+${digits}`;
		if (action === 'add') {
			if (member) return { phone, status: 'already_participant' };
			group.participants.push({ id: jidOf(digits), phone, admin: null });
			return { phone, status: 'added' };
		}
		if (!member) return { phone, status: 'not_participant' };
		if (member.admin === 'superadmin') return { phone, status: 'not_allowed' };
		if (action === 'remove') {
			group.participants = group.participants.filter((entry) => entry !== member);
			return { phone, status: 'removed' };
		}
		member.admin = action === 'promote' ? 'admin' : null;
		return { phone, status: action === 'promote' ? 'promoted' : 'demoted' };
	});
	return { groupId: group.id, action, participants: results };
}

function groupInfo(group) {
	const { pinned, inviteCode, ...info } = group;
	return { ...info, size: group.participants.length };
}

function participantsRoute(actionOf) {
	return ({ store, number, params, body }) => {
		const action = actionOf(body);
		if (!PARTICIPANT_ACTIONS.includes(action))
			throw invalid(`action must be one of ${PARTICIPANT_ACTIONS.join(', ')}`);
		const group = findGroup(store, number, params.id);
		return { body: changeParticipants(group, action, participantsOf(body, true)) };
	};
}

function pinMessage(store, number, group, body) {
	const messageId = typeof body?.messageId === 'string' ? body.messageId.trim() : '';
	if (!messageId) throw invalid('messageId is required');
	const duration = body.duration ?? PIN_SECONDS[0];
	if (!PIN_SECONDS.includes(duration))
		throw invalid(`duration must be one of ${PIN_SECONDS.join(', ')} seconds`);
	const known = storedMessages(store, number).some(
		(row) =>
			row.groupId === group.id && (row.id === messageId || row.externalMessageId === messageId),
	);
	if (!known) throw new ApiError(404, 'Message not found in this group', 'MESSAGE_NOT_FOUND');
	group.pinned.push({ messageId, duration, pinnedAt: new Date().toISOString() });
	return { groupId: group.id, messageId, pinned: true, duration };
}

function chatRoutes(forNumber) {
	const participants = (action) => forNumber(participantsRoute(() => action));
	return [
		[
			'GET',
			'/v1/conversations',
			'any',
			forNumber(messageRead('conversations', conversations, 'lastMessageAt')),
		],
		['GET', '/v1/messages/unread', 'any', forNumber(messageRead('messages', unread, 'createdAt'))],
		[
			'GET',
			'/v1/messages/history',
			'any',
			forNumber(
				messageRead(
					'messages',
					(store, number) => storedMessages(store, number).map(withoutInternals),
					'providerTimestamp',
				),
			),
		],
		[
			'GET',
			'/v1/messages/group',
			'any',
			forNumber((context) => {
				refuseMetaGroups(context.store, context.number);
				return messageRead(
					'messages',
					(store, number) =>
						storedMessages(store, number)
							.filter((row) => row.kind === 'GROUP')
							.map(withoutInternals),
					'createdAt',
				)(context);
			}),
		],
		[
			'GET',
			'/v1/groups',
			'any',
			forNumber(({ store, number }) => ({
				body: {
					groups: [...groupsOf(store, groupNumber(store, number)).values()].map((group) => ({
						id: group.id,
						name: group.subject,
					})),
				},
			})),
		],
		[
			'POST',
			'/v1/groups',
			'any',
			forNumber(({ store, number, body }) => {
				groupNumber(store, number);
				const subject = typeof body?.subject === 'string' ? body.subject.trim() : '';
				if (!subject) throw invalid('subject is required');
				if (subject.length > 100) throw invalid('subject must be at most 100 characters');
				const group = newGroup(number, subject, participantsOf(body, false));
				groupsOf(store, number).set(group.id, group);
				return {
					status: 201,
					body: {
						id: group.id,
						subject: group.subject,
						participants: group.participants.map((entry) => entry.phone.slice(1)),
					},
				};
			}),
		],
		[
			'GET',
			'/v1/groups/:id',
			'any',
			forNumber(({ store, number, params }) => ({
				body: groupInfo(findGroup(store, number, params.id)),
			})),
		],
		['POST', '/v1/groups/:id/participants', 'any', participants('add')],
		['DELETE', '/v1/groups/:id/participants', 'any', participants('remove')],
		['POST', '/v1/groups/:id/participants/promote', 'any', participants('promote')],
		['POST', '/v1/groups/:id/participants/demote', 'any', participants('demote')],
		['PATCH', '/v1/groups/:id/participants', 'any', forNumber(participantsRoute((b) => b?.action))],
		['PUT', '/v1/groups/:id/participants', 'any', forNumber(participantsRoute((b) => b?.action))],
		[
			'GET',
			'/v1/groups/:id/invite',
			'any',
			forNumber(({ store, number, params }) => {
				const group = findGroup(store, number, params.id);
				return {
					body: {
						groupId: group.id,
						inviteCode: group.inviteCode,
						inviteLink: `https://chat.whatsapp.com/${group.inviteCode}`,
					},
				};
			}),
		],
		[
			'POST',
			'/v1/groups/:id/pin',
			'any',
			forNumber(({ store, number, params, body }) => ({
				body: pinMessage(store, number, findGroup(store, number, params.id), body),
			})),
		],
	];
}

/** PUT /__sandbox/numbers/:id/privacy: the number's PII mode (set on the dashboard in the service). */
function setPrivacy(store, number, body) {
	const piiMode = body?.piiMode ?? 'STORE_INDEFINITE';
	if (!PII_MODES.includes(piiMode)) throw new ApiError(400, `piiMode must be one of ${PII_MODES}`);
	const retentionDays = body?.retentionDays ?? 30;
	if (!Number.isInteger(retentionDays) || retentionDays < 1)
		throw new ApiError(400, 'retentionDays must be a positive integer');
	Object.assign(number, { piiMode, retentionDays });
	return { id: number.id, piiMode, retentionDays };
}

/** The groups of a number as they are now, for tests (GET /__sandbox/numbers/:id/groups). */
function groupsState(store, number) {
	return [...groupsOf(store, number).values()];
}

const chatControlRoutes = [
	[
		'PUT',
		'/__sandbox/numbers/:id/privacy',
		({ store, params, body }) => ({ body: setPrivacy(store, store.getNumber(params.id), body) }),
	],
	[
		'GET',
		'/__sandbox/numbers/:id/groups',
		({ store, params }) => ({ body: groupsState(store, store.getNumber(params.id)) }),
	],
];

module.exports = { chatRoutes, chatControlRoutes };
