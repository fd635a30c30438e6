import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';

// The sandbox's conversation reads and groups (shared/messaging-api.md §2.6, §4), over HTTP on
// their own: paging, dates, PII modes, the key rule, and the documented group refusals.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const CUSTOMER = '+5511977776666';

const get = (path: string, key = NUMBER_KEY, headers: Record<string, string> = {}) =>
	sandbox.api('GET', path, { key, headers });
const call = (method: string, path: string, body?: unknown) =>
	sandbox.api(method, path, { key: NUMBER_KEY, body });
const groupPath = (id: string, suffix = '') => `/v1/groups/${encodeURIComponent(id)}${suffix}`;

async function writes(count: number) {
	for (let n = 1; n <= count; n++)
		await sandbox.inbound(suporte.id, { from: CUSTOMER, text: `Mensagem ${n}` });
}

describe('conversation reads', () => {
	test('unread: newest first, paged with total, page, pageSize, totalPages', async () => {
		await writes(3);
		const { status, body } = await get('/v1/messages/unread?page=2&pageSize=2');
		expect(status).toBe(200);
		expect(body).toMatchObject({ total: 3, page: 2, pageSize: 2, totalPages: 2 });
		expect((body.messages as Array<{ text: string }>).map((row) => row.text)).toEqual([
			'Mensagem 1',
		]);
	});

	test('conversations: one per contact with unreadCount and E.164 from', async () => {
		await writes(2);
		const { body } = await get('/v1/conversations');
		expect(body.conversations).toEqual([
			expect.objectContaining({ from: CUSTOMER, type: 'DIRECT', unreadCount: 2 }),
		]);
	});

	test('history: both directions', async () => {
		await writes(1);
		await call('POST', '/v1/messages/send', { destinationNumber: CUSTOMER, text: 'Olá' });
		const { body } = await get('/v1/messages/history');
		expect(
			(body.messages as Array<{ direction: string }>).map((row) => row.direction).sort(),
		).toEqual(['INBOUND', 'OUTBOUND']);
	});

	test.each([
		['/v1/conversations?startDate=2026-02-01&endDate=2026-01-01', 400, 'INVALID_DATE_RANGE'],
		['/v1/messages/history?startDate=yesterday', 400, 'INVALID_DATE_RANGE'],
		['/v1/messages/unread?pageSize=101', 400, undefined],
		['/v1/messages/unread?page=0', 400, undefined],
	])('%s → %i %s', async (path, status, code) => {
		const answer = await get(path);
		expect(answer.status).toBe(status);
		expect(answer.body.code).toBe(code);
	});

	test('dates filter the rows', async () => {
		await writes(1);
		const { body } = await get('/v1/messages/history?endDate=2020-01-01T00:00:00Z');
		expect(body).toMatchObject({ messages: [], total: 0 });
	});

	test('RELAY_ONLY: an empty list and notice PII_RELAY_ONLY on all four reads', async () => {
		await writes(1);
		await sandbox.privacy(suporte.id, { piiMode: 'RELAY_ONLY' });
		for (const path of [
			'/v1/conversations',
			'/v1/messages/unread',
			'/v1/messages/history',
			'/v1/messages/group',
		]) {
			const { body } = await get(path);
			expect([path, body.notice, body.total]).toEqual([path, 'PII_RELAY_ONLY', 0]);
		}
	});

	test('STORE_X_DAYS clamps the window to the retention', async () => {
		await writes(1);
		await sandbox.privacy(suporte.id, { piiMode: 'STORE_X_DAYS', retentionDays: 1 });
		const { body } = await get('/v1/messages/history?startDate=2020-01-01T00:00:00Z');
		expect(body.total).toBe(1);
		await expect(sandbox.privacy(suporte.id, { piiMode: 'FOREVER' as never })).rejects.toThrow(
			/piiMode/,
		);
	});

	test('key rule: a tenant key is refused, or names the number in x-whatsapp-number-id', async () => {
		expect((await get('/v1/messages/unread', TENANT_KEY)).body.code).toBe(
			'TENANT_SCOPE_NOT_ALLOWED',
		);
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const answer = await get('/v1/messages/unread', TENANT_KEY, {
			'x-whatsapp-number-id': suporte.id,
		});
		expect(answer.status).toBe(200);
	});

	test('group messages on Meta: NOT_SUPPORTED_FOR_META, or META_GROUPS_NOT_ELIGIBLE', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		expect((await get('/v1/messages/group')).body.code).toBe('NOT_SUPPORTED_FOR_META');
		await sandbox.variants({ metaGroups: 'obaEligible' });
		expect((await get('/v1/messages/group')).body.code).toBe('META_GROUPS_NOT_ELIGIBLE');
		await sandbox.configureNumber(suporte.id, { metaGroupsEligible: true });
		expect((await get('/v1/messages/group')).status).toBe(200);
	});
});

describe('groups', () => {
	test('list, create, info, participants, invite, pin', async () => {
		const list = await get('/v1/groups');
		expect(list.body.groups).toEqual([
			{ id: expect.stringMatching(/@g\.us$/), name: 'Clientes VIP' },
		]);
		const created = await call('POST', '/v1/groups', {
			subject: 'Equipe',
			participants: ['+5511966665555'],
		});
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			id: expect.stringMatching(/@g\.us$/),
			subject: 'Equipe',
			participants: [suporte.number, '5511966665555'],
		});
		const id = String(created.body.id);
		expect((await get(groupPath(id))).body.participants).toHaveLength(2);
		const add = await call('POST', groupPath(id, '/participants'), { participants: [CUSTOMER] });
		expect(add.body.participants).toEqual([{ phone: CUSTOMER, status: 'added' }]);
		const promote = await call('POST', groupPath(id, '/participants/promote'), {
			participants: [CUSTOMER],
		});
		expect(promote.body.participants).toEqual([{ phone: CUSTOMER, status: 'promoted' }]);
		const patch = await call('PATCH', groupPath(id, '/participants'), {
			action: 'demote',
			participants: [CUSTOMER],
		});
		expect(patch.body.participants).toEqual([{ phone: CUSTOMER, status: 'demoted' }]);
		const remove = await call('DELETE', groupPath(id, '/participants'), {
			participants: [CUSTOMER, '+5511900000001'],
		});
		expect(remove.body.participants).toEqual([
			{ phone: CUSTOMER, status: 'removed' },
			{ phone: '+5511900000001', status: 'not_participant' },
		]);
		const invite = await get(groupPath(id, '/invite'));
		expect(invite.body.inviteLink).toBe(`https://chat.whatsapp.com/${invite.body.inviteCode}`);
		const { event } = await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			text: 'fixar',
			event: 'message.group',
			extra: { groupId: id },
		});
		const pin = await call('POST', groupPath(id, '/pin'), {
			messageId: event.data.messageId,
			duration: 604800,
		});
		expect(pin.body).toEqual({
			groupId: id,
			messageId: event.data.messageId,
			pinned: true,
			duration: 604800,
		});
	});

	test.each([
		['POST', '/v1/groups', { subject: '' }, 400, undefined],
		['POST', '/v1/groups', { subject: 'X', participants: ['12'] }, 400, undefined],
		['GET', groupPath('120363999@g.us'), undefined, 404, 'GROUP_NOT_FOUND'],
		['POST', groupPath('120363999@g.us', '/pin'), { messageId: 'x' }, 404, 'GROUP_NOT_FOUND'],
	])('%s %s → %i %s', async (method, path, body, status, code) => {
		const answer = await call(method, path, body);
		expect([answer.status, answer.body.code]).toEqual([status, code]);
	});

	test('pin: unknown message 404 MESSAGE_NOT_FOUND, a duration WhatsApp does not offer 400', async () => {
		const [group] = await sandbox.groups(suporte.id);
		const unknown = await call('POST', groupPath(group.id, '/pin'), { messageId: 'nope' });
		expect(unknown.body.code).toBe('MESSAGE_NOT_FOUND');
		const badDuration = await call('POST', groupPath(group.id, '/pin'), {
			messageId: 'nope',
			duration: 5,
		});
		expect(badDuration.status).toBe(400);
	});

	test('a number that is not OPEN: 409 WHATSAPP_INSTANCE_NOT_CONNECTED', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const answer = await get('/v1/groups', TENANT_KEY, { 'x-whatsapp-number-id': vendas.id });
		expect([answer.status, answer.body.code]).toEqual([409, 'WHATSAPP_INSTANCE_NOT_CONNECTED']);
	});

	test('Meta numbers: NOT_SUPPORTED_FOR_META, or META_GROUPS_NOT_ELIGIBLE unless eligible', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		expect((await get('/v1/groups')).body.code).toBe('NOT_SUPPORTED_FOR_META');
		await sandbox.variants({ metaGroups: 'obaEligible' });
		expect((await get('/v1/groups')).body.code).toBe('META_GROUPS_NOT_ELIGIBLE');
		await sandbox.configureNumber(suporte.id, { metaGroupsEligible: true });
		expect((await get('/v1/groups')).status).toBe(200);
	});
});
