import type { IDataObject } from 'n8n-workflow';

import { listSearch, runNode } from './helpers/n8n';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Conversation → Get Many, Get Unread, Get History, Get Group Messages against the sandbox, in
// n8n's engine: the documented paging behind Return All / Limit, both key readings, the dates,
// the privacy notice PII_RELAY_ONLY, and the documented refusals.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

const numberKey = () => sandbox.credential({ apiKey: NUMBER_KEY });

async function run(parameters: IDataObject, credential: IDataObject = numberKey()) {
	return runNode({
		parameters: { resource: 'conversation', ...parameters },
		credential: credential as never,
	});
}

const reads = async (path: string) =>
	(await sandbox.requests()).filter((request) => request.path.startsWith(path));

async function customerWrites(count: number, from = CUSTOMER) {
	for (let n = 1; n <= count; n++)
		await sandbox.inbound(suporte.id, { from, text: `Mensagem ${n}` });
}

/** The customer writes "Bom dia, grupo" in Suporte's first group; that group. */
async function customerWritesInGroup() {
	const [group] = await sandbox.groups(suporte.id);
	await sandbox.inbound(suporte.id, {
		from: CUSTOMER,
		text: 'Bom dia, grupo',
		event: 'message.group',
		extra: { groupId: group.id, groupName: group.subject },
	});
	return group;
}

const MESSAGE_KEYS = [
	'conversationId',
	'conversationUnreadCount',
	'createdAt',
	'deliveredAt',
	'direction',
	'externalMessageId',
	'from',
	'fromName',
	'groupId',
	'groupName',
	'id',
	'media',
	'readAt',
	'repliedToExternalId',
	'sentAt',
	'status',
	'text',
	'type',
];

describe('Conversation → Get Unread', () => {
	test('the unread messages, newest first, each in one shape', async () => {
		await customerWrites(2);
		const { items, error } = await run({ operation: 'getUnread', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.text)).toEqual(['Mensagem 2', 'Mensagem 1']);
		for (const item of items) expect(Object.keys(item.json).sort()).toEqual(MESSAGE_KEYS);
		expect(items[0].json).toMatchObject({
			direction: 'INBOUND',
			from: CUSTOMER,
			fromName: 'Cliente Sandbox',
			type: 'text',
			conversationUnreadCount: 2,
		});
	});

	test('Return All reads every page (page, pageSize 100) and stops at the last', async () => {
		await customerWrites(105);
		const { items } = await run({ operation: 'getUnread', returnAll: true });
		expect(items).toHaveLength(105);
		const pages = (await reads('/v1/messages/unread')).map((request) => request.query);
		expect(pages).toEqual([
			expect.objectContaining({ page: '1', pageSize: '100' }),
			expect.objectContaining({ page: '2', pageSize: '100' }),
		]);
	});

	test('Limit asks for a page of that size and stops when it has enough', async () => {
		await customerWrites(5);
		const { items } = await run({ operation: 'getUnread', returnAll: false, limit: 3 });
		expect(items.map((item) => item.json.text)).toEqual(['Mensagem 5', 'Mensagem 4', 'Mensagem 3']);
		expect((await reads('/v1/messages/unread')).map((request) => request.query)).toEqual([
			expect.objectContaining({ page: '1', pageSize: '3' }),
		]);
	});

	test('with the tenant key, the Sending Number goes as x-whatsapp-number-id', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		await customerWrites(1);
		const { items, error } = await run(
			{ operation: 'getUnread', sendingNumberId: byId(suporte.id) },
			sandbox.credential(),
		);
		expect(error).toBeUndefined();
		// The sandbox answers a tenant key only when the header names a number.
		expect(items.map((item) => item.json.text)).toEqual(['Mensagem 1']);
		expect((await reads('/v1/messages/unread'))[0].scope).toBe('tenant');
	});

	test('the tenant key without a Sending Number: the 403 says to pick one or use the number’s key', async () => {
		const { error } = await run({ operation: 'getUnread' }, sandbox.credential());
		expect(error?.message).toMatch(/TENANT_SCOPE_NOT_ALLOWED/);
		expect(error?.description).toMatch(/Pick the Sending Number/);
	});

	test('a number in Relay Only mode: one item with the notice PII_RELAY_ONLY and what it means', async () => {
		await customerWrites(1);
		await sandbox.privacy(suporte.id, { piiMode: 'RELAY_ONLY' });
		const { items, error } = await run({ operation: 'getUnread', returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ notice: 'PII_RELAY_ONLY', items: 0 });
		expect(String(items[0].json.noticeExplanation)).toMatch(/Relay Only.*Pilot Status Trigger/);
	});

	test('a Limit that is not a whole number is refused before anything is sent', async () => {
		const { error } = await run({
			operation: 'getUnread',
			returnAll: false,
			limit: '={{ "ten" }}',
		});
		record('badInputs');
		expect(error?.message).toMatch(/Limit "ten" is not a whole number/);
		expect(await sandbox.requests()).toEqual([]);
	});
});

describe('Conversation → Get History', () => {
	async function sendOne() {
		const { status } = await sandbox.api('POST', '/v1/messages/send', {
			key: NUMBER_KEY,
			body: { destinationNumber: CUSTOMER, text: 'Olá, tudo bem?' },
		});
		expect(status).toBe(202);
	}

	test('both directions, and Direction keeps one of them', async () => {
		await customerWrites(1);
		await sendOne();
		const both = await run({ operation: 'getHistory', returnAll: true });
		expect(both.items.map((item) => item.json.direction).sort()).toEqual(['INBOUND', 'OUTBOUND']);
		for (const item of both.items) expect(Object.keys(item.json).sort()).toEqual(MESSAGE_KEYS);
		const sent = await run({
			operation: 'getHistory',
			returnAll: true,
			historyFilters: { direction: 'OUTBOUND' },
		});
		expect(sent.items.map((item) => [item.json.direction, item.json.text])).toEqual([
			['OUTBOUND', 'Olá, tudo bem?'],
		]);
	});

	test('From and To go to the service as ISO times', async () => {
		await customerWrites(1);
		const { items } = await run({
			operation: 'getHistory',
			returnAll: true,
			historyFilters: { startDate: '2020-01-01T00:00:00Z', endDate: '2020-02-01T00:00:00Z' },
		});
		expect(items).toEqual([]);
		const [request] = await reads('/v1/messages/history');
		expect(request.query).toMatchObject({
			startDate: '2020-01-01T00:00:00.000Z',
			endDate: '2020-02-01T00:00:00.000Z',
		});
	});

	test.each([
		[{ startDate: '2026-02-01T00:00:00Z', endDate: '2026-01-01T00:00:00Z' }, /From .* is after To/],
		[{ startDate: 'last tuesday' }, /Filters → From "last tuesday" is not a date and time/],
	])('bad dates are refused before anything is sent (%j)', async (historyFilters, message) => {
		const { error } = await run({ operation: 'getHistory', historyFilters });
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(await sandbox.requests()).toEqual([]);
	});

	test('the service’s INVALID_DATE_RANGE is explained with the fix', async () => {
		await sandbox.fault({
			type: 'status',
			status: 400,
			body: { error: 'Invalid date range', code: 'INVALID_DATE_RANGE' },
			path: '/v1/messages/history',
			count: 1,
		});
		const { error } = await run({ operation: 'getHistory' });
		expect(error?.message).toMatch(/did not accept the dates \(400 INVALID_DATE_RANGE\)/);
		expect(error?.description).toMatch(/From must be before To/);
	});
});

describe('Conversation → Get Many and Get Group Messages', () => {
	test('conversations in one shape, with their unread counts', async () => {
		await customerWrites(2);
		await customerWrites(1, '+5511966665555');
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect(items.map((item) => [item.json.from, item.json.type, item.json.unreadCount])).toEqual([
			['+5511966665555', 'DIRECT', 1],
			[CUSTOMER, 'DIRECT', 2],
		]);
		expect(Object.keys(items[0].json).sort()).toEqual([
			'createdAt',
			'from',
			'fromName',
			'id',
			'lastMessageAt',
			'lastMessagePreview',
			'type',
			'unreadCount',
			'userId',
			'username',
		]);
	});

	test('group messages carry the group’s ID and name', async () => {
		const group = await customerWritesInGroup();
		await customerWrites(1);
		const { items } = await run({ operation: 'getGroupMessages', returnAll: true });
		expect(items.map((item) => [item.json.groupId, item.json.groupName, item.json.text])).toEqual([
			[group.id, 'Clientes VIP', 'Bom dia, grupo'],
		]);
	});

	test.each([
		['notSupported', false, /Meta \(WhatsApp Cloud API\) number.*NOT_SUPPORTED_FOR_META/],
		['obaEligible', false, /META_GROUPS_NOT_ELIGIBLE\): only approved Official Business Accounts/],
	] as const)(
		'a Meta number (%s, eligible %s): the refusal is explained',
		async (metaGroups, metaGroupsEligible, message) => {
			await sandbox.variants({ metaGroups });
			await sandbox.configureNumber(suporte.id, { provider: 'META', metaGroupsEligible });
			const { error } = await run({ operation: 'getGroupMessages' });
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/Pilot Status \(QR code\) number/);
		},
	);

	test('an eligible Meta Official Business Account reads its group messages', async () => {
		await sandbox.variants({ metaGroups: 'obaEligible' });
		await sandbox.configureNumber(suporte.id, { provider: 'META', metaGroupsEligible: true });
		const { items, error } = await run({ operation: 'getGroupMessages' });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});
});

// Issue 22: "searchable pickers where a user would otherwise paste IDs". No field of the
// Conversation resource took a conversation ID before: Get History gains Filters → Conversation
// (the history endpoint has no such parameter, so the node keeps that conversation's rows), picked
// from the sending number's conversations. Each test failed before (no searchConversations, no
// filter).
describe('Conversation picker (Get History → Filters → Conversation)', () => {
	const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id });
	const OTHER = '+5511966665555';

	async function conversationsOfSuporte() {
		const { body } = await sandbox.api('GET', '/v1/conversations?page=1&pageSize=100', {
			key: NUMBER_KEY,
		});
		return body.conversations as IDataObject[];
	}

	const idOf = (conversations: IDataObject[], from: string) =>
		String(conversations.find((conversation) => conversation.from === from)?.id);

	test('lists the sending number’s conversations, newest first, by name and phone; typing filters', async () => {
		await sandbox.inbound(suporte.id, { from: CUSTOMER, text: 'Oi', participantName: 'Ana' });
		await sandbox.inbound(suporte.id, { from: OTHER, text: 'Olá', participantName: 'Bruno' });
		await customerWritesInGroup();
		const conversations = await conversationsOfSuporte();
		const groupConversation = conversations.find((conversation) => conversation.type === 'GROUP');
		const all = await listSearch({ method: 'searchConversations', credential: numberKey() });
		expect(all.results).toEqual([
			{ name: 'Clientes VIP (group)', value: String(groupConversation?.id) },
			{ name: `Bruno (${OTHER})`, value: idOf(conversations, OTHER) },
			{ name: `Ana (${CUSTOMER})`, value: idOf(conversations, CUSTOMER) },
		]);
		expect(all.paginationToken).toBeUndefined();
		const typed = await listSearch({
			method: 'searchConversations',
			filter: '96666',
			credential: numberKey(),
		});
		expect(typed.results.map((result) => result.value)).toEqual([idOf(conversations, OTHER)]);
		for (const request of await reads('/v1/conversations'))
			expect(request.query).toMatchObject({ page: '1', pageSize: '100' });
	});

	test('with the tenant key it lists the picked Sending Number’s conversations', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		await customerWrites(1);
		const { results } = await listSearch({
			method: 'searchConversations',
			credential: sandbox.credential(),
			parameters: {
				resource: 'conversation',
				operation: 'getHistory',
				sendingNumberId: fromList(suporte.id),
			},
		});
		// The sandbox names a contact who gave no name "Cliente Sandbox".
		expect(results.map((result) => result.name)).toEqual([`Cliente Sandbox (${CUSTOMER})`]);
		expect((await reads('/v1/conversations'))[0].scope).toBe('tenant');
	});

	test('more than a page: the first page of 100 says there is more (paginationToken)', async () => {
		for (let n = 0; n < 101; n++)
			await sandbox.inbound(suporte.id, { from: `+55119555${String(n).padStart(5, '0')}` });
		const first = await listSearch({ method: 'searchConversations', credential: numberKey() });
		expect(first.results).toHaveLength(100);
		expect(new Set(first.results.map((result) => result.value)).size).toBe(100);
		expect(first.paginationToken).toBe('2');
	});

	test('Get History keeps the picked conversation’s messages, both directions', async () => {
		await customerWrites(2);
		await customerWrites(1, OTHER);
		await sandbox.api('POST', '/v1/messages/send', {
			key: NUMBER_KEY,
			body: { destinationNumber: CUSTOMER, text: 'Olá, Ana' },
		});
		const id = idOf(await conversationsOfSuporte(), CUSTOMER);
		const { items, error } = await run({
			operation: 'getHistory',
			returnAll: true,
			historyFilters: { conversation: fromList(id) },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.direction, item.json.text])).toEqual([
			['OUTBOUND', 'Olá, Ana'],
			['INBOUND', 'Mensagem 2'],
			['INBOUND', 'Mensagem 1'],
		]);
		for (const item of items) expect(item.json.conversationId).toBe(id);
		const received = await run({
			operation: 'getHistory',
			returnAll: true,
			historyFilters: { conversation: byId(id), direction: 'INBOUND' },
		});
		expect(received.items.map((item) => item.json.text)).toEqual(['Mensagem 2', 'Mensagem 1']);
	});

	test('a phone number in the Conversation filter is refused before anything is sent', async () => {
		const { error } = await run({
			operation: 'getHistory',
			historyFilters: { conversation: byId('+55 11 97777-6666') },
		});
		record('badInputs');
		expect(error?.message).toBe(
			'Filters → Conversation "+55 11 97777-6666" looks like a phone number, not a conversation ID. Pick the conversation From List, or map the id Conversation → Get Many gives it (like conv_01HZX9K3). Nothing was sent.',
		);
		expect(await sandbox.requests()).toEqual([]);
	});
});
