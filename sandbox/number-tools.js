'use strict';
// A number's other reads (../shared/messaging-api.md §5, §7, §9; pilot-status-api.md #9), all
// number-scoped like messaging (the messageKeyScope variant decides whether the tenant key may name
// the number in x-whatsapp-number-id):
// - POST /v1/numbers/check: 1 to 20 phones (`numbers`, or one `number`), Evolution (unofficial)
//   numbers only (400 NOT_SUPPORTED_FOR_META), connected ones only (409
//   WHATSAPP_INSTANCE_NOT_CONNECTED). Brazilian mobiles are checked with and without the ninth
//   digit: an account registered before the ninth digit exists as 55 DD 8 digits, and `number`
//   says so. Phones in the notOnWhatsApp setting are not on WhatsApp.
// - GET /v1/newsletters: the channels the number administers (path inferred, [I]); not on Meta.
// - GET /v1/analytics/dashboard: the number's messages of the last 7, 30 or 90 days.
const { ApiError } = require('./store');
const { forNumber } = require('./messages');

const MAX_CHECK = 20;
/** WhatsApp accounts registered before Brazil's ninth digit (55 + area code + 8 digits). */
const LEGACY_BRAZIL_ACCOUNTS = new Set(['553188887777']);
const NAMES = { 5511977776666: 'Ana Souza', 553188887777: 'Carlos Lima' };
const PERIODS = { '7d': 7, '30d': 30, '90d': 90 };
const CHANNELS = [
	{ id: '120363012345678901@newsletter', name: 'Novidades', role: 'OWNER', subscribers: 1280 },
	{ id: '120363098765432109@newsletter', name: 'Ofertas', role: 'ADMIN', subscribers: 312 },
];

const invalid = (message) => new ApiError(400, `Validation error: ${message}`, 'VALIDATION_ERROR');

function requireConnected(number) {
	if (number.state !== 'OPEN')
		throw new ApiError(
			409,
			'The WhatsApp instance is not connected',
			'WHATSAPP_INSTANCE_NOT_CONNECTED',
		);
}

function refuseMeta(number, what) {
	if (number.provider === 'META')
		throw new ApiError(400, `${what} is not supported for Meta numbers`, 'NOT_SUPPORTED_FOR_META');
}

function phonesToCheck(body) {
	const list = body.numbers !== undefined ? body.numbers : body.number;
	const phones = Array.isArray(list) ? list : typeof list === 'string' ? [list] : [];
	if (phones.length < 1 || phones.length > MAX_CHECK)
		throw invalid(`numbers must hold 1 to ${MAX_CHECK} phone numbers`);
	for (const phone of phones) {
		if (typeof phone !== 'string' || !/^\+?\d{8,15}$/.test(phone.replace(/[\s()-]/g, '')))
			throw invalid('each number must be a phone number with country code');
	}
	return phones;
}

/** The account a phone reaches: itself, or the same Brazilian mobile without its ninth digit. */
function accountOf(store, digits) {
	if (store.settings.notOnWhatsApp.includes(digits)) return undefined;
	const withoutNinth = /^55\d{2}9\d{8}$/.test(digits) ? digits.slice(0, 4) + digits.slice(5) : '';
	return LEGACY_BRAZIL_ACCOUNTS.has(withoutNinth) ? withoutNinth : digits;
}

function checkPhones(store, number, body) {
	refuseMeta(number, 'Checking numbers');
	const phones = phonesToCheck(body);
	requireConnected(number);
	return {
		results: phones.map((input) => {
			const account = accountOf(store, input.replace(/\D/g, ''));
			return {
				input,
				exists: account !== undefined,
				number: account ?? null,
				name: (account && NAMES[account]) ?? null,
			};
		}),
	};
}

function dayOf(iso, timeZone) {
	return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));
}

const round = (value) => Math.round(value * 100) / 100;

function dashboard(store, number, query) {
	const period = query.get('period') ?? '7d';
	if (!(period in PERIODS)) throw invalid('period must be 7d, 30d or 90d');
	const timeZone = query.get('tz') ?? query.get('timezone') ?? 'UTC';
	try {
		dayOf(new Date().toISOString(), timeZone);
	} catch {
		throw invalid('tz must be an IANA time zone, e.g. America/Sao_Paulo');
	}
	const since = Date.now() - PERIODS[period] * 86_400_000;
	const messages = [...store.messaging.messages.values()].filter(
		(message) => message.numberId === number.id && Date.parse(message.createdAt) >= since,
	);
	const count = (status) => messages.filter((message) => message.status === status).length;
	const sent = messages.filter((message) => message.status !== 'QUEUED').length;
	const failed = count('FAILED');
	const share = (n) => (messages.length ? round((n / messages.length) * 100) : 0);
	const days = new Map();
	for (const message of messages) {
		const day = dayOf(message.createdAt, timeZone);
		days.set(day, (days.get(day) ?? 0) + 1);
	}
	return {
		totalSent: sent,
		totalFailed: failed,
		sentPercentChange: 0,
		failedPercentChange: 0,
		failureRate: sent ? round((failed / sent) * 100) : 0,
		dailyMessages: [...days].sort().map(([date, n]) => ({ date, count: n })),
		statusDistribution: {
			queued: share(count('QUEUED')),
			sent: share(count('SENT') + count('DELIVERED')),
			failed: share(failed),
			read: share(count('READ')),
		},
	};
}

const numberToolRoutes = [
	[
		'POST',
		'/v1/numbers/check',
		'any',
		forNumber(({ store, number, body }) => ({ body: checkPhones(store, number, body) })),
	],
	[
		'GET',
		'/v1/newsletters',
		'any',
		forNumber(({ number }) => {
			refuseMeta(number, 'Channels');
			requireConnected(number);
			return { body: { newsletters: CHANNELS.map((channel) => ({ ...channel })) } };
		}),
	],
	[
		'GET',
		'/v1/analytics/dashboard',
		'any',
		forNumber(({ store, number, query }) => ({ body: dashboard(store, number, query) })),
	],
];

module.exports = { numberToolRoutes, MAX_CHECK, LEGACY_BRAZIL_ACCOUNTS };
