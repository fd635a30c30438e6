'use strict';
// The tenant's account endpoints (../shared/pilot-status-api.md #22–#27), all tenant-only (a
// number's key gets 403 NUMBER_SCOPE_NOT_ALLOWED from the server's scope check):
// - GET/PUT /v1/branding: the hosted pairing page's branding, `{ branding: {...} }`; PUT changes
//   only the fields sent, null clears one; https URLs, #RRGGBB colors, companyName ≤ 60,
//   subtitle ≤ 120.
// - GET/POST/DELETE /v1/subscription/extra-numbers: the cost preview, the purchase (a Free account
//   converts to On Demand only with confirm: true, else 409 CONFIRMATION_REQUIRED with the preview;
//   with a saved card it is charged, else it answers a checkoutUrl), and giving slots back (409
//   NUMBER_LIMIT_EXCEEDED below the numbers in use).
// - POST /v1/billing/checkout: a Stripe checkout link (`url`, as the playground shows) for
//   wallet_topup (amount > 0) or add_card.
// Controls: GET /__sandbox/account (state, purchases, checkouts), PUT /__sandbox/account (plan,
// hasSavedCard, unitPriceBRL).
const { ApiError } = require('./store');

const PLANS = ['FREE', 'ON_DEMAND'];
const BRANDING_FIELDS = {
	logoUrl: 'url',
	primaryColor: 'color',
	backgroundColor: 'color',
	companyName: 60,
	subtitle: 120,
	supportUrl: 'url',
	defaultRedirectUrl: 'url',
	hidePilotStatusBranding: 'boolean',
};

const invalid = (message) => new ApiError(400, `Validation error: ${message}`, 'VALIDATION_ERROR');

/** Kept with the messaging state, so that a reset drops it. */
const accounts = new WeakMap();

function accountOf(store) {
	let account = accounts.get(store.messaging);
	if (!account) {
		account = {
			plan: 'FREE',
			hasSavedCard: false,
			unitPriceBRL: 29.9,
			paidExtraNumbers: 0,
			branding: {
				logoUrl: null,
				primaryColor: '#1fd286',
				backgroundColor: null,
				companyName: null,
				subtitle: null,
				supportUrl: null,
				defaultRedirectUrl: null,
				hidePilotStatusBranding: false,
			},
			purchases: [],
			removals: [],
			checkouts: [],
		};
		accounts.set(store.messaging, account);
	}
	return account;
}

function checkBrandingValue(name, value) {
	const rule = BRANDING_FIELDS[name];
	if (value === null) {
		if (rule === 'boolean') throw invalid(`${name} must be true or false`);
		return;
	}
	if (rule === 'boolean') {
		if (typeof value !== 'boolean') throw invalid(`${name} must be true or false`);
	} else if (rule === 'url') {
		if (typeof value !== 'string' || !/^https:\/\/[^\s]+$/.test(value))
			throw invalid(`${name} must be an https URL`);
	} else if (rule === 'color') {
		if (typeof value !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(value))
			throw invalid(`${name} must be a hex color #RRGGBB`);
	} else if (typeof value !== 'string' || value.length > rule) {
		throw invalid(`${name} must be text of at most ${rule} characters`);
	}
}

function updateBranding(account, body) {
	const unknown = Object.keys(body).filter((name) => !(name in BRANDING_FIELDS));
	if (unknown.length) throw invalid(`unknown field(s): ${unknown.join(', ')}`);
	for (const [name, value] of Object.entries(body)) checkBrandingValue(name, value);
	Object.assign(account.branding, body);
	return { branding: { ...account.branding } };
}

function quantityOf(value) {
	const quantity = value === undefined || value === null || value === '' ? 1 : Number(value);
	if (!Number.isInteger(quantity) || quantity < 1)
		throw invalid('quantity must be an integer >= 1');
	return quantity;
}

function numbersInUse(store) {
	return store.numbers.size;
}

function preview(store, account, quantity) {
	const requiresConversion = account.plan === 'FREE';
	const currentNumbers = numbersInUse(store);
	const billedQuantity = requiresConversion
		? currentNumbers + quantity
		: account.paidExtraNumbers + quantity;
	const monthlyTotalBRL = Math.round(billedQuantity * account.unitPriceBRL * 100) / 100;
	return {
		requiresConversion,
		fromPlan: account.plan,
		toPlan: 'ON_DEMAND',
		currentNumbers,
		requested: quantity,
		billedQuantity,
		unitPriceBRL: account.unitPriceBRL,
		monthlyTotalBRL,
		messagesBecomeUnlimited: requiresConversion,
		hasSavedCard: account.hasSavedCard,
		explanation: {
			pt: `Comprar ${quantity} número(s) custa R$ ${monthlyTotalBRL} por mês.`,
			en: `Buying ${quantity} number(s) costs R$ ${monthlyTotalBRL} a month.`,
		},
	};
}

function buy(store, account, body) {
	const quantity = quantityOf(body.quantity);
	const cost = preview(store, account, quantity);
	if (cost.requiresConversion && body.confirm !== true) {
		const error = new ApiError(
			409,
			'Buying converts the Free plan to On Demand; send confirm: true',
			'CONFIRMATION_REQUIRED',
		);
		error.body.preview = cost;
		throw error;
	}
	const purchase = { quantity, confirm: body.confirm === true, charged: account.hasSavedCard };
	account.purchases.push(purchase);
	if (!account.hasSavedCard) {
		return {
			success: true,
			charged: false,
			checkoutUrl: `https://checkout.stripe.com/c/pay/cs_test_sbx${account.purchases.length}`,
		};
	}
	account.plan = 'ON_DEMAND';
	account.paidExtraNumbers += quantity;
	return {
		success: true,
		charged: true,
		plan: account.plan,
		paidExtraNumbers: account.paidExtraNumbers,
		monthlyTotalBRL: cost.monthlyTotalBRL,
	};
}

function giveBack(store, account, body) {
	const quantity = quantityOf(body.quantity);
	if (quantity > account.paidExtraNumbers)
		throw invalid(`only ${account.paidExtraNumbers} paid extra number(s) to remove`);
	const maxNumbers = 1 + account.paidExtraNumbers - quantity;
	if (maxNumbers < numbersInUse(store))
		throw new ApiError(
			409,
			'The reduction would drop the limit below the connected numbers',
			'NUMBER_LIMIT_EXCEEDED',
		);
	account.paidExtraNumbers -= quantity;
	account.removals.push({ quantity });
	return {
		success: true,
		charged: true,
		plan: account.plan,
		paidExtraNumbers: account.paidExtraNumbers,
		maxNumbers,
		proratedTotal: 0,
	};
}

function checkout(account, body) {
	if (!['wallet_topup', 'add_card'].includes(body.purpose))
		throw invalid('purpose must be wallet_topup or add_card');
	const amount = body.amount === undefined ? undefined : Number(body.amount);
	if (body.purpose === 'wallet_topup' && !(amount > 0))
		throw invalid('amount must be > 0 for wallet_topup');
	for (const name of ['successUrl', 'cancelUrl']) {
		if (body[name] !== undefined && !/^https?:\/\/\S+$/.test(String(body[name])))
			throw invalid(`${name} must be a URL`);
	}
	const orderId = `cto_sbx${String(account.checkouts.length + 1).padStart(4, '0')}`;
	account.checkouts.push({ ...body, orderId });
	return {
		url: `https://checkout.stripe.com/c/pay/cs_test_${orderId}`,
		purpose: body.purpose,
		orderId,
		...(amount !== undefined ? { amount } : {}),
		currency: 'BRL',
	};
}

const accountRoutes = [
	[
		'GET',
		'/v1/branding',
		'tenant',
		({ store }) => ({ body: { branding: { ...accountOf(store).branding } } }),
	],
	[
		'PUT',
		'/v1/branding',
		'tenant',
		({ store, body }) => ({ body: updateBranding(accountOf(store), body ?? {}) }),
	],
	[
		'GET',
		'/v1/subscription/extra-numbers',
		'tenant',
		({ store, query }) => ({
			body: preview(store, accountOf(store), quantityOf(query.get('quantity'))),
		}),
	],
	[
		'POST',
		'/v1/subscription/extra-numbers',
		'tenant',
		({ store, body }) => ({ body: buy(store, accountOf(store), body ?? {}) }),
	],
	[
		'DELETE',
		'/v1/subscription/extra-numbers',
		'tenant',
		({ store, body }) => ({ body: giveBack(store, accountOf(store), body ?? {}) }),
	],
	[
		'POST',
		'/v1/billing/checkout',
		'tenant',
		({ store, body }) => ({ body: checkout(accountOf(store), body ?? {}) }),
	],
];

function configureAccount(account, body) {
	if (body.plan !== undefined && !PLANS.includes(body.plan))
		throw new ApiError(400, `plan must be one of ${PLANS.join(', ')}`);
	for (const name of Object.keys(body)) {
		if (!['plan', 'hasSavedCard', 'unitPriceBRL', 'paidExtraNumbers'].includes(name))
			throw new ApiError(400, `Unknown account setting: ${name}`);
	}
	Object.assign(account, body);
	return account;
}

const accountControlRoutes = [
	['GET', '/__sandbox/account', ({ store }) => ({ body: accountOf(store) })],
	[
		'PUT',
		'/__sandbox/account',
		({ store, body }) => ({ body: configureAccount(accountOf(store), body ?? {}) }),
	],
];

module.exports = { accountRoutes, accountControlRoutes };
