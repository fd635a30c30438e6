import { runNode } from './helpers/n8n';
import { NUMBER_KEY, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Analytics → Get Dashboard against the sandbox, in n8n's engine.
const sandbox = useSandbox();

const dashboard = (parameters = {}) =>
	runNode({
		parameters: { resource: 'analytics', operation: 'getDashboard', ...parameters },
		credential: sandbox.credential({ apiKey: NUMBER_KEY }),
	});

const dashboardRequests = async () =>
	(await sandbox.requests()).filter((request) => request.path === '/v1/analytics/dashboard');

test('the number’s figures over the period, in the documented shape, with period and time zone sent', async () => {
	for (const text of ['Olá', 'Tudo bem?'])
		await sandbox.api('POST', '/v1/messages/send', {
			key: NUMBER_KEY,
			body: { destinationNumber: '+5511977776666', text },
		});
	const { items, error } = await dashboard({
		analyticsPeriod: '30d',
		analyticsTimeZone: 'America/Sao_Paulo',
	});
	expect(error).toBeUndefined();
	const [request] = await dashboardRequests();
	expect(request.query).toEqual({ period: '30d', tz: 'America/Sao_Paulo' });
	expect(Object.keys(items[0].json).sort()).toEqual([
		'dailyMessages',
		'failedPercentChange',
		'failureRate',
		'period',
		'sentPercentChange',
		'statusDistribution',
		'timeZone',
		'totalFailed',
		'totalSent',
	]);
	expect(items[0].json).toMatchObject({ period: '30d', timeZone: 'America/Sao_Paulo' });
	expect(items[0].json.dailyMessages).toEqual([{ date: expect.any(String), count: 2 }]);
});

test('an empty Time Zone sends the workflow’s', async () => {
	const { items } = await dashboard();
	const [request] = await dashboardRequests();
	expect(request.query.period).toBe('7d');
	expect(request.query.tz).toBeTruthy();
	expect(items[0].json.timeZone).toBe(request.query.tz);
});

test('a time zone that does not exist is refused before anything is sent', async () => {
	const { error } = await dashboard({ analyticsTimeZone: 'Brasil/Recife' });
	record('badInputs');
	expect(error?.message).toMatch(/Time Zone "Brasil\/Recife" is not a time zone/);
	expect(await dashboardRequests()).toHaveLength(0);
});

test('a key not linked to a number (409) and the tenant key without Sending Number (403): explained', async () => {
	await sandbox.fault({
		type: 'status',
		status: 409,
		body: { error: 'API key is not linked to a number' },
		path: '/v1/analytics/dashboard',
		count: 1,
	});
	const notLinked = await dashboard();
	expect(notLinked.error?.message).toMatch(/The key is not linked to a WhatsApp number/);
	const tenant = await runNode({
		parameters: { resource: 'analytics', operation: 'getDashboard' },
		credential: sandbox.credential(),
	});
	expect(tenant.error?.message).toMatch(/403 TENANT_SCOPE_NOT_ALLOWED/);
});
