'use strict';
// The sandbox: an HTTP stand-in for the Pilot Status API on 127.0.0.1 that tests, demos and
// benchmarks run against. It follows ../shared/pilot-status-api.md and logs every API request
// (key values redacted) so tests can prove what reached the "service" and what never did.
// The messaging side (send, status, cancel, templates, media, message events, scripted customers)
// follows ../shared/messaging-api.md; see messages.js.
const http = require('node:http');
const { Store, ApiError } = require('./store');
const { routes } = require('./api');
const { controlRoutes } = require('./control');
const { SEED } = require('./seed');
const { renderConnectPage } = require('./connect-page');
const { resetMessaging } = require('./messaging-state');

const KEY_HEADERS = ['x-api-key', 'x-api-key-id', 'authorization'];
const HTML_ERROR = (status) =>
	`<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><h1>${status} Bad Gateway</h1><p>nginx</p></body></html>`;

function compile(table) {
	return table.map(([method, pattern, ...rest]) => {
		const names = [];
		const source = pattern.replace(/:(\w+)/g, (_, name) => {
			names.push(name);
			return '([^/]+)';
		});
		return { method, pattern, regex: new RegExp(`^${source}/?$`), names, rest };
	});
}

function match(table, method, pathname) {
	for (const route of table) {
		if (route.method !== method) continue;
		const found = route.regex.exec(pathname);
		if (!found) continue;
		const params = {};
		route.names.forEach((name, index) => {
			try {
				params[name] = decodeURIComponent(found[index + 1]);
			} catch {
				throw new ApiError(400, 'Validation error: malformed path parameter');
			}
		});
		return { route, params };
	}
	return null;
}

async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	const text = Buffer.concat(chunks).toString('utf8');
	if (!text) return {};
	try {
		return JSON.parse(text);
	} catch {
		throw new ApiError(400, 'Validation error: body is not valid JSON');
	}
}

function send(res, status, body, headers = {}) {
	if (res.destroyed || res.headersSent) return;
	const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
	res.end(payload);
}

/** A file the sandbox serves itself (inbound media links). */
function sendRaw(res, { contentType, bytes }) {
	res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
	res.end(bytes);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Sandbox {
	constructor({ host = '127.0.0.1', port = 0, publicUrl } = {}) {
		this.host = host;
		this.port = port;
		this.publicUrlOverride = publicUrl;
		this.store = new Store();
		// Inbound media links point back at this sandbox.
		this.store.publicUrl = () => this.url;
		resetMessaging(this.store);
		this.faults = [];
		this.requestLog = [];
		this.seq = 0;
		this.apiTable = compile(routes);
		this.controlTable = compile(controlRoutes);
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((error) => send(res, 500, { error: String(error.message) }));
		});
		this.server.keepAliveTimeout = 5000;
	}

	get url() {
		return this.publicUrlOverride ?? `http://${this.host}:${this.server.address().port}`;
	}

	async start() {
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.port, this.host, resolve);
		});
		return this;
	}

	async stop() {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(() => resolve()));
	}

	reset() {
		this.store.reset();
		resetMessaging(this.store);
		this.faults.length = 0;
		this.requestLog.length = 0;
	}

	describe() {
		return {
			baseUrl: this.url,
			tenantKey: SEED.tenantKey,
			numbers: SEED.numbers.map(({ id, name, number, state, key }) => ({
				id,
				name,
				number,
				state,
				key: { id: key.id, value: key.value },
			})),
			control: `${this.url}/__sandbox`,
		};
	}

	takeFault(method, pathname) {
		const index = this.faults.findIndex(
			(fault) =>
				fault.count > 0 &&
				(!fault.method || fault.method.toUpperCase() === method) &&
				(!fault.path || pathname.startsWith(fault.path)),
		);
		if (index === -1) return null;
		const fault = this.faults[index];
		// `skip`: that many matching requests go through untouched before the fault applies, so a
		// test can fail the second of two identical calls (a wait's cleanup listing, not its sweep).
		if (fault.skip > 0) {
			fault.skip -= 1;
			return null;
		}
		// `share`: that fraction of matching requests, spread evenly and deterministically (0.5 hits
		// every second one), so a burst of 429s can be replayed exactly.
		if (fault.share !== undefined) {
			fault.seen += 1;
			if (Math.floor(fault.seen * fault.share) === Math.floor((fault.seen - 1) * fault.share))
				return null;
		}
		fault.count -= 1;
		if (fault.count === 0) this.faults.splice(index, 1);
		return fault;
	}

	async handle(req, res) {
		const url = new URL(req.url, 'http://sandbox.local');
		const method = req.method.toUpperCase();
		if (url.pathname.startsWith('/__sandbox')) return this.handleControl(req, res, url, method);
		if (url.pathname.startsWith('/connect/')) return renderConnectPage(this, req, res, url);
		return this.handleApi(req, res, url, method);
	}

	async handleControl(req, res, url, method) {
		try {
			const found = match(this.controlTable, method, url.pathname);
			if (!found) throw new ApiError(404, 'Unknown sandbox control');
			const body = await readBody(req);
			const [handler] = found.route.rest;
			const result = await handler({
				sandbox: this,
				store: this.store,
				params: found.params,
				body,
				query: url.searchParams,
			});
			if (result.raw) return sendRaw(res, result.raw);
			send(res, result.status ?? 200, result.body);
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			send(res, error.status, error.body);
		}
	}

	async handleApi(req, res, url, method) {
		const headers = req.headers;
		const entry = {
			seq: ++this.seq,
			at: new Date().toISOString(),
			method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			authHeaders: KEY_HEADERS.filter((name) => name in headers),
			emptyAuthHeader: KEY_HEADERS.some(
				(name) => name in headers && String(headers[name]).trim() === '',
			),
			keyId: null,
			scope: null,
			body: null,
			status: null,
			fault: null,
		};
		this.requestLog.push(entry);
		// A client that gives up (timeout, cancelled execution) closes before the answer is sent.
		res.on('close', () => {
			if (!res.writableFinished) entry.clientClosedEarly = true;
		});

		const fault = this.takeFault(method, url.pathname);
		if (fault) entry.fault = fault.type;
		// afterHandling: the request does its work first and only its answer goes wrong, as when a
		// server fails after committing or a connection drops on the way back.
		if (fault && !fault.afterHandling) {
			const handled = await this.applyFault(fault, req, res, entry);
			if (handled) return;
		}

		let result;
		try {
			entry.body = await readBody(req);
			const found = match(this.apiTable, method, url.pathname);
			if (!found) throw new ApiError(404, 'Not found');
			const [scope, handler] = found.route.rest;
			const caller = this.store.resolveKey(headers);
			if (caller) {
				entry.keyId = caller.id;
				entry.scope = caller.scope;
			}
			if (scope !== 'public') {
				if (!caller) throw new ApiError(401, 'Unauthorized');
				if (scope === 'tenant' && caller.scope !== 'tenant') {
					throw new ApiError(
						403,
						'Number-scoped keys cannot call tenant endpoints',
						'NUMBER_SCOPE_NOT_ALLOWED',
					);
				}
			}
			result = await handler({
				store: this.store,
				params: found.params,
				body: entry.body,
				headers,
				query: url.searchParams,
				caller,
				publicUrl: this.url,
			});
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			result = { status: error.status, body: error.body };
		}
		if (fault?.type === 'badQr' && result.body && 'qrcodeBase64' in result.body) {
			result.body = {
				...result.body,
				qrcodeBase64: fault.value ?? 'data:image/png;base64,bm90IGEgcG5nIGF0IGFsbA==',
			};
		}
		if (fault?.afterHandling) {
			entry.handledBeforeFault = true;
			const handled = await this.applyFault(fault, req, res, entry);
			if (handled) return;
		}
		entry.status = result.status ?? 200;
		send(res, entry.status, result.body);
	}

	/** Returns true when the fault produced the whole answer; false lets the real handler run. */
	async applyFault(fault, req, res, entry) {
		const retryAfter =
			fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
		switch (fault.type) {
			case 'slow':
				await sleep(fault.delayMs ?? 5000);
				return false;
			case 'badQr':
				return false;
			case 'reset':
				entry.status = 0;
				req.socket.destroy();
				return true;
			case 'html':
				entry.status = fault.status ?? 502;
				res.writeHead(entry.status, { 'content-type': 'text/html; charset=utf-8', ...retryAfter });
				res.end(HTML_ERROR(entry.status));
				return true;
			case 'empty':
				entry.status = fault.status ?? 200;
				res.writeHead(entry.status, { 'content-type': 'application/json', ...retryAfter });
				res.end();
				return true;
			case 'malformedJson':
				entry.status = fault.status ?? 200;
				send(res, entry.status, '{"qrcodeBase64": "data:image/png;base64,iVBORw0KGgo', retryAfter);
				return true;
			default:
				entry.status = fault.status ?? 500;
				send(
					res,
					entry.status,
					fault.body ?? { error: http.STATUS_CODES[entry.status] ?? 'Error' },
					retryAfter,
				);
				return true;
		}
	}
}

async function startSandbox(options) {
	return new Sandbox(options).start();
}

module.exports = { Sandbox, startSandbox, SEED };
