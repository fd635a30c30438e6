'use strict';
// The sandbox's account: numbers, keys, pairing tokens and webhooks of one tenant, with the
// documented rules (scopes, one-time key reveal, instant invalidation, state machine).
const crypto = require('node:crypto');
const { SEED, DEFAULT_VARIANTS } = require('./seed');
const { qrCodeDataUri, pairingCode } = require('./qr');
const { deliverEvent } = require('./webhooks');

const TENANT_ID = 'tenant_sandbox';
const PAIRING_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest connectAfterSeconds delay: a day, as long as a pairing link lives. */
const MAX_CONNECT_AFTER_SECONDS = 24 * 60 * 60;

const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');
const now = () => new Date().toISOString();

class ApiError extends Error {
	constructor(status, error, code) {
		super(error);
		this.status = status;
		this.body = code ? { error, code } : { error };
	}
}

class Store {
	constructor() {
		this.reset();
	}

	reset() {
		this.cancelScheduledConnects();
		this.variants = { ...DEFAULT_VARIANTS };
		this.settings = { autoConnectAfterPolls: 0, connectAfterSeconds: null };
		/** numberId → the pending entry of `connectLog` (connectAfterSeconds). */
		this.scheduledConnects = new Map();
		/** Every connect connectAfterSeconds scheduled since the last reset, due or done. */
		this.connectLog = [];
		this.keys = new Map();
		this.numbers = new Map();
		this.tokens = new Map();
		this.webhooks = new Map();
		this.sequence = 0;

		this.addKey({ ...SEED.tenantKey, scope: 'tenant', numberId: null, revealable: false });
		for (const seeded of SEED.numbers) {
			const stamp = '2026-06-28T12:00:00.000Z';
			this.numbers.set(seeded.id, {
				id: seeded.id,
				name: seeded.name,
				number: seeded.number,
				provider: 'PILOT_STATUS',
				state: seeded.state,
				createdAt: stamp,
				updatedAt: stamp,
				statusPolls: 0,
			});
			this.addKey({ ...seeded.key, scope: 'number', numberId: seeded.id });
		}
	}

	// --- settings -----------------------------------------------------------------------------

	/** Applies PUT /__sandbox/settings after checking every value; unknown names are refused. */
	updateSettings(body) {
		if (!body || typeof body !== 'object' || Array.isArray(body))
			throw new ApiError(400, 'Settings must be a JSON object');
		const unknown = Object.keys(body).filter((key) => !(key in this.settings));
		if (unknown.length) throw new ApiError(400, `Unknown setting(s): ${unknown.join(', ')}`);
		const next = { ...body };
		if ('connectAfterSeconds' in next)
			next.connectAfterSeconds = connectRange(next.connectAfterSeconds);
		Object.assign(this.settings, next);
		// Off cancels what is pending: nobody will scan those QR codes any more.
		if ('connectAfterSeconds' in next && next.connectAfterSeconds === null)
			this.cancelScheduledConnects();
		return this.settings;
	}

	nextId(prefix) {
		this.sequence += 1;
		return `${prefix}_${String(this.sequence).padStart(4, '0')}${hex(4)}`;
	}

	// --- keys ---------------------------------------------------------------------------------

	addKey({ id, value, scope, numberId, revealable }) {
		const key = { id, value, scope, numberId, revealable, valid: true, createdAt: now() };
		this.keys.set(id, key);
		return key;
	}

	/** Resolves the caller from `x-api-key` or `x-api-key-id`; null when neither names a valid key. */
	resolveKey(headers) {
		const raw = headers['x-api-key'];
		const id = headers['x-api-key-id'];
		const key = raw
			? [...this.keys.values()].find((candidate) => candidate.value === raw)
			: id
				? this.keys.get(id)
				: undefined;
		return key && key.valid ? key : null;
	}

	activeKeyOf(numberId) {
		return [...this.keys.values()].find(
			(key) => key.valid && key.scope === 'number' && key.numberId === numberId,
		);
	}

	/** Invalidates `oldKey` at once and returns the replacement, shown to the caller this one time. */
	rotate(oldKey) {
		oldKey.valid = false;
		return this.addKey({
			id: this.nextId('key'),
			value: `ps_sbx_${hex(16)}`,
			scope: oldKey.scope,
			numberId: oldKey.numberId,
			revealable: true,
		});
	}

	// --- numbers ------------------------------------------------------------------------------

	getNumber(id) {
		const number = this.numbers.get(id);
		if (!number) throw new ApiError(404, 'Number not found');
		return number;
	}

	stateName(state) {
		return state === 'CLOSE' ? this.variants.closedState : state;
	}

	async createNumber({ name, number }) {
		const id = this.nextId('num');
		const record = {
			id,
			name,
			number: number.replace(/^\+/, ''),
			provider: 'PILOT_STATUS',
			state: 'CONNECTING',
			createdAt: now(),
			updatedAt: now(),
			statusPolls: 0,
		};
		this.numbers.set(id, record);
		this.addKey({
			id: this.nextId('key'),
			value: `ps_sbx_${hex(16)}`,
			scope: 'number',
			numberId: id,
			revealable: true,
		});
		return record;
	}

	async startPairing(record) {
		if (record.state === 'OPEN') {
			throw new ApiError(409, 'Number is already connected (OPEN); there is nothing to pair');
		}
		record.state = 'CONNECTING';
		record.statusPolls = 0;
		record.updatedAt = now();
		const answer = { qrcodeBase64: await qrCodeDataUri(), pairingCode: pairingCode() };
		this.scheduleConnect(record);
		return answer;
	}

	/** Pairing: the number shows a QR code, or has a remote pairing link nobody opened yet. */
	isPairing(record) {
		const hasLink = [...this.tokens.values()].some((pairing) => pairing.numberId === record.id);
		return record.state === 'CONNECTING' || (record.state === 'CLOSE' && hasLink);
	}

	/**
	 * With connectAfterSeconds set, the customer of a number that starts pairing scans its QR code
	 * after a random delay in the range: the number turns OPEN and number.connected goes to its
	 * webhooks, as POST /__sandbox/numbers/:id/scan does. Starting again (Connect) reschedules.
	 */
	scheduleConnect(record) {
		const range = this.settings.connectAfterSeconds;
		if (!range) return;
		this.cancelScheduledConnect(record.id);
		const [min, max] = range;
		const delayMs = Math.round((min + Math.random() * (max - min)) * 1000);
		const entry = {
			numberId: record.id,
			delayMs,
			scheduledAt: now(),
			dueAt: new Date(Date.now() + delayMs).toISOString(),
			connectedAt: null,
			outcome: 'pending',
			deliveries: [],
		};
		const timer = setTimeout(() => {
			this.scheduledConnects.delete(record.id);
			this.runScheduledConnect(entry).catch((error) => {
				entry.outcome = `failed: ${error.message}`;
			});
		}, delayMs);
		// A pending scan must not keep a stopping sandbox alive.
		timer.unref?.();
		Object.defineProperty(entry, 'timer', { value: timer, enumerable: false });
		this.scheduledConnects.set(record.id, entry);
		this.connectLog.push(entry);
	}

	async runScheduledConnect(entry) {
		const record = this.numbers.get(entry.numberId);
		if (!record) {
			entry.outcome = 'skipped: number removed';
			return;
		}
		if (!this.isPairing(record)) {
			entry.outcome = `skipped: state ${this.stateName(record.state)}`;
			return;
		}
		this.setState(record, 'OPEN');
		entry.connectedAt = record.updatedAt;
		entry.outcome = 'delivering';
		const { deliveries } = await deliverEvent(this, record, 'number.connected');
		entry.deliveries = deliveries.map(({ webhookId, statusCode, durationMs }) => ({
			webhookId,
			statusCode,
			durationMs,
		}));
		entry.outcome = 'connected';
	}

	cancelScheduledConnect(numberId) {
		const entry = this.scheduledConnects?.get(numberId);
		if (!entry) return;
		clearTimeout(entry.timer);
		entry.outcome = 'cancelled';
		this.scheduledConnects.delete(numberId);
	}

	cancelScheduledConnects() {
		for (const numberId of [...(this.scheduledConnects?.keys() ?? [])])
			this.cancelScheduledConnect(numberId);
	}

	setState(record, state) {
		record.state = state;
		record.updatedAt = now();
		if (state === 'OPEN' && this.variants.pairingTokenAfterConnect === 'cleared') {
			for (const [token, pairing] of this.tokens)
				if (pairing.numberId === record.id) this.tokens.delete(token);
		}
	}

	/**
	 * Counts a live status check. With auto-connect on, the Nth poll of a number that is pairing, or
	 * that has a remote pairing link nobody opened yet, plays the customer: it "scans" the QR code.
	 */
	pollStatus(record) {
		record.statusPolls += 1;
		const threshold = this.settings.autoConnectAfterPolls;
		return threshold > 0 && this.isPairing(record) && record.statusPolls >= threshold;
	}

	removeNumber(record) {
		this.cancelScheduledConnect(record.id);
		this.numbers.delete(record.id);
		for (const key of this.keys.values()) if (key.numberId === record.id) key.valid = false;
		for (const [token, pairing] of this.tokens)
			if (pairing.numberId === record.id) this.tokens.delete(token);
	}

	// --- remote pairing -----------------------------------------------------------------------

	createPairingToken(numberId) {
		const token =
			this.variants.remotePairingShape === 'embed' ? crypto.randomUUID() : `rp_${hex(12)}`;
		this.tokens.set(token, { token, numberId, expiresAt: Date.now() + PAIRING_TTL_MS });
		// The customer opens the link and scans: pairing has started as far as the sandbox goes.
		const record = this.numbers.get(numberId);
		if (record) this.scheduleConnect(record);
		return token;
	}

	numberForToken(token) {
		const pairing = this.tokens.get(token);
		if (!pairing || pairing.expiresAt < Date.now() || !this.numbers.has(pairing.numberId)) {
			throw new ApiError(404, 'Invalid or expired remote pairing token');
		}
		return this.numbers.get(pairing.numberId);
	}

	// --- webhooks -----------------------------------------------------------------------------

	createWebhook({ url, name, events, numberId }) {
		const stamp = now();
		const webhook = {
			id: this.nextId('wh'),
			tenantId: TENANT_ID,
			name: name || new URL(url).hostname,
			url,
			environment: 'LIVE',
			active: true,
			events: events ?? [],
			apiKeys: [],
			lastTriggered: null,
			whatsappNumberIds: [numberId],
			whatsappInstanceIds: [],
			createdAt: stamp,
			updatedAt: stamp,
			logs: [],
		};
		this.webhooks.set(webhook.id, webhook);
		return webhook;
	}

	getWebhook(id, caller) {
		const webhook = this.webhooks.get(id);
		if (!webhook || !this.callerSeesWebhook(caller, webhook)) {
			throw new ApiError(404, 'Webhook not found', 'WEBHOOK_NOT_FOUND');
		}
		return webhook;
	}

	callerSeesWebhook(caller, webhook) {
		return caller.scope === 'tenant' || webhook.whatsappNumberIds.includes(caller.numberId);
	}
}

/**
 * connectAfterSeconds: null (off), seconds (that delay), or [min, max] seconds; returns the range
 * or null, or throws a 400 that says what is accepted.
 */
function connectRange(value) {
	if (value === null || value === false || value === 0) return null;
	const range = typeof value === 'number' ? [value, value] : value;
	const valid =
		Array.isArray(range) &&
		range.length === 2 &&
		range.every(
			(seconds) =>
				typeof seconds === 'number' &&
				Number.isFinite(seconds) &&
				seconds >= 0 &&
				seconds <= MAX_CONNECT_AFTER_SECONDS,
		) &&
		range[0] <= range[1] &&
		range[1] > 0;
	if (!valid)
		throw new ApiError(
			400,
			`connectAfterSeconds must be null (off), a number of seconds or [min, max] with 0 <= min <= max <= ${MAX_CONNECT_AFTER_SECONDS}`,
		);
	return [range[0], range[1]];
}

module.exports = { Store, ApiError, TENANT_ID };
