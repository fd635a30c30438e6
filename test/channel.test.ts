import { runNode } from './helpers/n8n';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';

// Channel → Get Many against the sandbox, in n8n's engine.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;

const getMany = (parameters = {}) =>
	runNode({
		parameters: { resource: 'channel', operation: 'getAll', ...parameters },
		credential: sandbox.credential({ apiKey: NUMBER_KEY }),
	});

test('Get Many: the number’s channels with the IDs Send takes; Limit cuts', async () => {
	const { items, error } = await getMany({ returnAll: true });
	expect(error).toBeUndefined();
	expect(items.map((item) => [item.json.id, item.json.name])).toEqual([
		['120363012345678901@newsletter', 'Novidades'],
		['120363098765432109@newsletter', 'Ofertas'],
	]);
	expect((await getMany({ limit: 1 })).items).toHaveLength(1);
});

test('a bare list answer gives the same items', async () => {
	await sandbox.fault({
		type: 'status',
		status: 200,
		body: [{ jid: '120363012345678901@newsletter', subject: 'Novidades' }],
		path: '/v1/newsletters',
		count: 1,
	});
	const { items } = await getMany({ returnAll: true });
	expect(items.map((item) => item.json)).toEqual([
		{ id: '120363012345678901@newsletter', name: 'Novidades' },
	]);
});

test('a Meta number has no channels: explained', async () => {
	await sandbox.configureNumber(suporte.id, { provider: 'META' });
	const { error } = await getMany();
	expect(error?.message).toMatch(/cannot have WhatsApp channels \(400 NOT_SUPPORTED_FOR_META\)/);
});

test('a Limit of 0 from an expression is refused before anything is sent', async () => {
	const { error } = await getMany({ limit: '={{ 0 }}' });
	expect(error?.message).toMatch(/Limit "?0"? is not a whole number of 1 or more/);
	expect((await sandbox.requests()).filter((r) => r.path === '/v1/newsletters')).toHaveLength(0);
});
