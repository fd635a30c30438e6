import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { sendingNumberLocator } from '../../descriptions/fields';
import { acceptChecks } from '../../errors/nodeErrors';
import { hookParameters } from '../../input/parameters';
import { quote } from '../../input/validation';
import type { Checked } from '../../input/validation';
import { isPlainObject } from '../../output/normalize';
import { withSendingNumber } from '../../routing/hooks';
import type { OperationDefinition } from '../../routing/operations';

type Hook = IExecuteSingleFunctions;

const PERIODS = ['7d', '30d', '90d'];

const periodField: INodeProperties = {
	displayName: 'Period',
	name: 'analyticsPeriod',
	type: 'options',
	options: [
		{ name: 'Last 7 Days', value: '7d' },
		{ name: 'Last 30 Days', value: '30d' },
		{ name: 'Last 90 Days', value: '90d' },
	],
	default: '7d',
};

const timeZoneField: INodeProperties = {
	displayName: 'Time Zone',
	name: 'analyticsTimeZone',
	type: 'string',
	default: '',
	placeholder: 'e.g. America/Sao_Paulo',
	description:
		'The time zone whose days the daily counts follow (IANA name). Empty: the workflow’s time zone (Settings → Timezone).',
};

/** What a request asked for, from its preSend to its postReceive (n8n passes both the same context). */
const asked = new WeakMap<object, { period: string; timeZone: string }>();

function checkTimeZone(value: string): Checked<string> {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: value });
		return { value };
	} catch {
		return {
			problem: `Time Zone ${quote(value)} is not a time zone. Use an IANA name such as America/Sao_Paulo or UTC, or leave it empty for the workflow’s.`,
		};
	}
}

async function periodAndTimeZone(
	this: Hook,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const read = hookParameters(this);
	const period = String(read('analyticsPeriod', '7d'));
	const typed = String(read('analyticsTimeZone', '') ?? '').trim();
	const [checkedPeriod, timeZone] = acceptChecks(
		this.getNode(),
		this.getItemIndex(),
		PERIODS.includes(period)
			? { value: period }
			: { problem: `Period ${quote(period)} is not one of 7d, 30d, 90d.` },
		checkTimeZone(typed || this.getTimezone()),
	);
	asked.set(this, { period: checkedPeriod, timeZone });
	return { ...requestOptions, qs: { ...requestOptions.qs, period: checkedPeriod, tz: timeZone } };
}

const numberOr0 = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) ? value : 0;

/** The documented dashboard, with every figure present (0 when the answer left it out). */
function dashboardOutput(
	raw: IDataObject,
	request: { period: string; timeZone: string } | undefined,
): IDataObject {
	const distribution = isPlainObject(raw.statusDistribution) ? raw.statusDistribution : {};
	const daily = Array.isArray(raw.dailyMessages) ? raw.dailyMessages : [];
	return {
		period: request?.period ?? null,
		timeZone: request?.timeZone ?? null,
		totalSent: numberOr0(raw.totalSent),
		totalFailed: numberOr0(raw.totalFailed),
		failureRate: numberOr0(raw.failureRate),
		sentPercentChange: numberOr0(raw.sentPercentChange),
		failedPercentChange: numberOr0(raw.failedPercentChange),
		dailyMessages: daily
			.filter(isPlainObject)
			.map((day) => ({ date: day.date ?? null, count: numberOr0(day.count) })),
		statusDistribution: {
			queued: numberOr0(distribution.queued),
			sent: numberOr0(distribution.sent),
			failed: numberOr0(distribution.failed),
			read: numberOr0(distribution.read),
		},
	};
}

async function outputDashboard(
	this: Hook,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const raw = isPlainObject(response.body) ? response.body : {};
	return [
		{ json: dashboardOutput(raw, asked.get(this)), pairedItem: { item: this.getItemIndex() } },
	];
}

export const getDashboard: OperationDefinition = {
	option: {
		name: 'Get Dashboard',
		value: 'getDashboard',
		action: 'Get the dashboard',
		description:
			'Messages sent and failed by the number over the last 7, 30 or 90 days, per day and by status',
		routing: {
			request: { method: 'GET', url: '/v1/analytics/dashboard' },
			send: { preSend: [withSendingNumber, periodAndTimeZone] },
			output: { postReceive: [outputDashboard] },
		},
	},
	fields: [sendingNumberLocator, periodField, timeZoneField],
};
