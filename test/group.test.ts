import type { IDataObject } from 'n8n-workflow';

import { listSearch, runNode } from './helpers/n8n';
import type { Fault } from './helpers/sandbox';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Group → Get Many, Create, Get, Add / Remove / Promote / Demote Participants, Get Invite Link and
// Pin Message against the sandbox, in n8n's engine: both key readings, the documented refusals,
// input refused before sending, and changes sent once (also under Retry On Fail).
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const CUSTOMER = '+5511977776666';
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id });
const retries = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };

const numberKey = () => sandbox.credential({ apiKey: NUMBER_KEY });

async function run(
	parameters: IDataObject,
	options: { credential?: IDataObject; settings?: IDataObject } = {},
) {
	return runNode({
		parameters: { resource: 'group', ...parameters },
		credential: (options.credential ?? numberKey()) as never,
		settings: options.settings,
	});
}

async function seededGroup() {
	const [group] = await sandbox.groups(suporte.id);
	return group;
}

const groupRequests = async () =>
	(await sandbox.requests()).filter((request) => request.path.startsWith('/v1/groups'));

describe('Group → reading', () => {
	test('Get Many: the number’s groups (ID and name), and Limit', async () => {
		const group = await seededGroup();
		await run({ operation: 'create', groupSubject: 'Equipe' });
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(all.items.map((item) => item.json)).toEqual([
			{ id: group.id, name: 'Clientes VIP' },
			{ id: expect.stringMatching(/@g\.us$/), name: 'Equipe' },
		]);
		const one = await run({ operation: 'getAll', returnAll: false, limit: 1 });
		expect(one.items).toHaveLength(1);
	});

	test('Get: subject, owner and participants with their roles', async () => {
		const group = await seededGroup();
		const { items, error } = await run({ operation: 'get', group: fromList(group.id) });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			id: group.id,
			subject: 'Clientes VIP',
			owner: '+5511999999999',
			size: 2,
			participants: [
				{ phone: '+5511999999999', role: 'superadmin' },
				{ phone: CUSTOMER, role: 'member' },
			],
		});
		expect(items[0].json.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	});

	test('Get Invite Link: the link and its code', async () => {
		const group = await seededGroup();
		const { items } = await run({ operation: 'getInviteLink', group: byId(group.id) });
		expect(items[0].json).toEqual({
			groupId: group.id,
			inviteLink: expect.stringMatching(/^https:\/\/chat\.whatsapp\.com\/\w/),
			inviteCode: expect.any(String),
		});
		expect(items[0].json.inviteLink).toBe(`https://chat.whatsapp.com/${items[0].json.inviteCode}`);
	});

	test('the Group picker lists the sending number’s groups, by name', async () => {
		const group = await seededGroup();
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const { results } = await listSearch({
			method: 'searchGroups',
			filter: 'vip',
			credential: sandbox.credential(),
			parameters: { resource: 'group', operation: 'get', sendingNumberId: fromList(suporte.id) },
		});
		expect(results).toEqual([{ name: `Clientes VIP (${group.id})`, value: group.id }]);
	});

	test('a group the number is not in: the 404 says to pick it from the list', async () => {
		const { error } = await run({ operation: 'get', group: byId('120363999999999999@g.us') });
		expect(error?.message).toMatch(/The number is in no such group \(404 GROUP_NOT_FOUND\)/);
		expect(error?.description).toMatch(/Pick the group From List/);
	});
});

describe('Group → documented refusals', () => {
	test('a number that is not connected: 409 WHATSAPP_INSTANCE_NOT_CONNECTED with the fix', async () => {
		await sandbox.variants({ messageKeyScope: 'tenantWithHeader' });
		const { error } = await run(
			{ operation: 'getAll', sendingNumberId: byId(vendas.id) },
			{ credential: sandbox.credential() },
		);
		expect(error?.message).toMatch(
			/not connected to WhatsApp \(409 WHATSAPP_INSTANCE_NOT_CONNECTED\)/,
		);
		expect(error?.description).toMatch(/Number → Connect/);
	});

	test.each([
		['notSupported', /Meta \(WhatsApp Cloud API\) number.*\(400 NOT_SUPPORTED_FOR_META\)/],
		['obaEligible', /\(400 META_GROUPS_NOT_ELIGIBLE\): only approved Official Business Accounts/],
	] as const)('a Meta number (%s): the refusal is explained', async (metaGroups, message) => {
		await sandbox.variants({ metaGroups });
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const { error } = await run({ operation: 'create', groupSubject: 'Equipe' });
		expect(error?.message).toMatch(message);
		expect((await sandbox.groups(suporte.id)).map((group) => group.subject)).toEqual([
			'Clientes VIP',
		]);
	});
});

describe('Group → changes', () => {
	test('Create: subject and participants (local numbers read in Brazil), the number as admin', async () => {
		const { items, error } = await run({
			operation: 'create',
			groupSubject: 'Equipe de vendas',
			participants: '11 96666-5555, +5511977776666',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			id: expect.stringMatching(/@g\.us$/),
			subject: 'Equipe de vendas',
			participants: [
				{ phone: '+5511999999999', role: 'member' },
				{ phone: '+5511966665555', role: 'member' },
				{ phone: CUSTOMER, role: 'member' },
			],
		});
		const [request] = await groupRequests();
		expect(request.body).toEqual({
			subject: 'Equipe de vendas',
			participants: ['5511966665555', '5511977776666'],
		});
	});

	test('Add, Promote, Demote and Remove Participants change the group, each participant reported', async () => {
		const group = await seededGroup();
		const change = (operation: string, participants: string) =>
			run({ operation, group: fromList(group.id), participants });
		const added = await change('addParticipants', '+5511966665555, +5511977776666');
		expect(added.items[0].json).toEqual({
			groupId: group.id,
			action: 'add',
			participants: [
				{ phone: '+5511966665555', status: 'added' },
				{ phone: CUSTOMER, status: 'already_participant' },
			],
		});
		await change('promoteParticipants', '+5511966665555');
		const roles = async () =>
			Object.fromEntries(
				(await seededGroup()).participants.map((entry) => [entry.phone, entry.admin]),
			);
		expect((await roles())['+5511966665555']).toBe('admin');
		await change('demoteParticipants', '+5511966665555');
		expect((await roles())['+5511966665555']).toBeNull();
		const removed = await change('removeParticipants', '+5511966665555');
		expect(removed.items[0].json.participants).toEqual([
			{ phone: '+5511966665555', status: 'removed' },
		]);
		expect(Object.keys(await roles())).toEqual(['+5511999999999', CUSTOMER]);
		expect((await groupRequests()).map((request) => `${request.method} ${request.path}`)).toEqual([
			`POST /v1/groups/${encodeURIComponent(group.id)}/participants`,
			`POST /v1/groups/${encodeURIComponent(group.id)}/participants/promote`,
			`POST /v1/groups/${encodeURIComponent(group.id)}/participants/demote`,
			`DELETE /v1/groups/${encodeURIComponent(group.id)}/participants`,
		]);
	});

	test('Pin Message: a message of the group, for the chosen length', async () => {
		const group = await seededGroup();
		const { event } = await sandbox.inbound(suporte.id, {
			from: CUSTOMER,
			text: 'Promoção até domingo',
			event: 'message.group',
			extra: { groupId: group.id, groupName: group.subject },
		});
		const messageId = String(event.data.messageId);
		const { items, error } = await run({
			operation: 'pin',
			group: fromList(group.id),
			pinMessageId: messageId,
			pinDuration: 604800,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			groupId: group.id,
			messageId,
			pinned: true,
			durationSeconds: 604800,
		});
		expect((await seededGroup()).pinned).toEqual([
			expect.objectContaining({ messageId, duration: 604800 }),
		]);
	});

	test('Pin Message of a message the group does not have: explained', async () => {
		const group = await seededGroup();
		const { error } = await run({
			operation: 'pin',
			group: fromList(group.id),
			pinMessageId: '3EB0000000000000',
		});
		expect(error?.message).toMatch(/no such message to pin \(404 MESSAGE_NOT_FOUND\)/);
	});

	test.each([
		[{ operation: 'create', groupSubject: '  ' }, /Subject is empty\. Enter the group’s name/],
		[
			{ operation: 'create', groupSubject: 'Equipe', participants: '12345, +5511977776666' },
			/Participants "12345" is not a phone number/,
		],
		[
			// Mapped: the editor's own check of By ID sees only typed values.
			{
				operation: 'addParticipants',
				group: byId('={{ "equipe-vendas" }}'),
				participants: CUSTOMER,
			},
			/Group "equipe-vendas" is not a WhatsApp group ID\. It ends with @g\.us/,
		],
		[
			{ operation: 'removeParticipants', group: byId('1203630@g.us'), participants: '' },
			/Participants is empty/,
		],
		[
			{ operation: 'pin', group: byId('1203630@g.us'), pinMessageId: 'ps_example_key_123456789' },
			/Message ID holds what looks like an API key/,
		],
	])('bad input is refused before anything is sent: %j', async (parameters, message) => {
		const { error } = await run(parameters);
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(await sandbox.requests()).toEqual([]);
	});

	test.each<[string, IDataObject, Fault]>([
		['Create', { operation: 'create', groupSubject: 'Equipe' }, { type: 'status', status: 503 }],
		['Create', { operation: 'create', groupSubject: 'Equipe' }, { type: 'reset' }],
		[
			'Add Participants',
			{ operation: 'addParticipants', participants: '+5511966665555' },
			{ type: 'status', status: 502 },
		],
		['Pin Message', { operation: 'pin', pinMessageId: 'PINNED_ID' }, { type: 'html', status: 200 }],
	])(
		'%s whose answer is lost is sent once under Retry On Fail, and says the change may have been made',
		async (_name, parameters, fault) => {
			const group = await seededGroup();
			if (parameters.operation === 'pin') {
				await sandbox.inbound(suporte.id, {
					from: CUSTOMER,
					text: 'fixar',
					event: 'message.group',
					messageId: 'PINNED_ID',
					extra: { groupId: group.id },
				});
			}
			await sandbox.fault({ ...fault, afterHandling: true, count: 1, path: '/v1/groups' });
			const { error } = await run(
				{ ...parameters, group: fromList(group.id) },
				{ settings: retries },
			);
			record('sideEffects');
			expect(error?.message).toMatch(/The change may or may not have been made/);
			const changes = (await groupRequests()).filter((request) => request.method !== 'GET');
			expect(changes).toHaveLength(1);
		},
	);

	test('a 429 is a refusal: Retry On Fail sends Create again, and one group is made', async () => {
		await sandbox.fault({
			type: 'status',
			status: 429,
			method: 'POST',
			path: '/v1/groups',
			count: 1,
		});
		// A Timeout shorter than the node's own wait after a 429 (rateLimits.test.ts): the first try fails.
		const { items, error } = await run(
			{ operation: 'create', groupSubject: 'Equipe', requestOptions: { timeout: 800 } },
			{ settings: { ...retries, maxTries: 2 } },
		);
		record('sideEffects');
		expect(error).toBeUndefined();
		expect(items[0].json.subject).toBe('Equipe');
		expect((await sandbox.groups(suporte.id)).map((group) => group.subject)).toEqual([
			'Clientes VIP',
			'Equipe',
		]);
	});
});
