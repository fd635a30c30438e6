'use strict';
// A running n8n (`n8n start`, `n8n worker`, `n8n webhook`) driven the way a user drives it: over
// its REST API with a login cookie. The e2e suites need this where `n8n execute` cannot go:
// published triggers, webhooks, waiting executions and queue mode. Every process started here is
// stopped when the caller stops it, and killed when this Node process ends for any reason.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const env = require('./n8n-env');

const OWNER = {
	email: 'owner@pilot-status.local',
	password: 'Pilot-Status-test-1',
	firstName: 'Test',
	lastName: 'Owner',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Processes

/** Children still running; killed on exit so a failed or interrupted test leaves nothing behind. */
const owned = new Set();
/** Temp folders to delete if we exit before their owner cleaned up (Ctrl-C, a crash). */
const foldersToRemove = new Set();
let exitHooksInstalled = false;

function killOwnedNow() {
	for (const child of owned) {
		if (child.exitCode === null && child.signalCode === null) {
			try {
				child.kill('SIGKILL');
			} catch {
				// already gone
			}
		}
	}
	for (const folder of foldersToRemove) {
		try {
			fs.rmSync(folder, { recursive: true, force: true });
		} catch {
			// best effort: we are exiting
		}
	}
}

/** Kills `child` (started elsewhere, e.g. the sandbox) when this process exits, like our own. */
function own(child) {
	installExitHooks();
	owned.add(child);
	child.once('exit', () => owned.delete(child));
	return child;
}

/** Deletes `folder` when this process exits, unless `forget(folder)` was called first. */
function removeOnExit(folder) {
	installExitHooks();
	foldersToRemove.add(folder);
	return { forget: () => foldersToRemove.delete(folder) };
}

function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.once('exit', killOwnedNow);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(signal, () => {
			killOwnedNow();
			process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
		});
	}
}

/**
 * util-linux's setpriv can ask the kernel to kill the child when we die, even by SIGKILL, where no
 * exit handler runs. Debian always has it; elsewhere the exit handlers have to do.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => {
	if (process.platform !== 'linux' || !fs.existsSync(candidate)) return false;
	return spawnSync(candidate, ['--pdeathsig', 'SIGKILL', 'true']).status === 0;
});

/**
 * Spawns a long-running process owned by this module: its output goes to `logFile`, it is killed
 * when we exit, and `setprivArgs` (e.g. a user to run as) are added when setpriv is there.
 */
function spawnOwned(command, args, { logFile, env: childEnv, cwd, setprivArgs = [] }) {
	installExitHooks();
	const out = fs.openSync(logFile, 'a');
	const prefix = SETPRIV ? [SETPRIV, '--pdeathsig', 'SIGKILL', ...setprivArgs, '--'] : [];
	if (!SETPRIV && setprivArgs.length > 0)
		throw new Error('setpriv (Debian package util-linux) is needed to run this as another user');
	const [file, ...rest] = [...prefix, command, ...args];
	const child = spawn(file, rest, { env: childEnv, cwd, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	return own(child);
}

/** Asks a child to stop, waits up to `graceMs`, then kills it. */
function stopChild(child, { signal = 'SIGTERM', graceMs = 20_000 } = {}) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

function readLog(logFile) {
	try {
		return fs.readFileSync(logFile, 'utf8');
	} catch {
		return '';
	}
}

async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250, child, logFile } = {}) {
	const started = Date.now();
	for (;;) {
		if (child && (child.exitCode !== null || child.signalCode !== null)) {
			throw new Error(
				`${what}: the process exited (code ${child.exitCode}, signal ${child.signalCode})` +
					(logFile ? `\n--- ${logFile} (end) ---\n${readLog(logFile).slice(-4000)}` : ''),
			);
		}
		const result = await check();
		if (result) return result;
		if (Date.now() - started > timeoutMs) {
			throw new Error(
				`${what}: not within ${timeoutMs / 1000} s` +
					(logFile ? `\n--- ${logFile} (end) ---\n${readLog(logFile).slice(-4000)}` : ''),
			);
		}
		await sleep(intervalMs);
	}
}

async function answers(url) {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
		await response.arrayBuffer();
		return response.ok;
	} catch {
		return false;
	}
}

/**
 * Starts one n8n process and resolves when it serves: `command` is 'start' (main), 'webhook' or
 * 'worker'. `port` is its HTTP port (for a worker: the health check server). Every process gets
 * its own task broker port, since each one starts a broker.
 */
async function startN8n({
	name,
	command = 'start',
	userFolder,
	port,
	args = [],
	env: extra = {},
	logLevel = 'info',
	logFile = path.join(userFolder, `${name ?? command}.log`),
	readyTimeoutMs = 180_000,
}) {
	await env.ensureN8n();
	port ??= await env.freePort();
	const processEnv = env.n8nEnv(userFolder, {
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await env.freePort()),
		N8N_LOG_LEVEL: logLevel,
		// A worker waits this long for running jobs when stopped; tests should not wait 30 s.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		...(command === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) }
			: {}),
		...extra,
	});
	fs.mkdirSync(userFolder, { recursive: true });
	const started = Date.now();
	const child = spawnOwned(env.NODE_BIN, [env.N8N_BIN, command, ...args], {
		logFile,
		env: processEnv,
	});
	const url = `http://127.0.0.1:${port}`;
	const server = {
		name: name ?? command,
		command,
		child,
		pid: child.pid,
		port,
		url,
		userFolder,
		logFile,
		log: () => readLog(logFile),
		stop: () => stopChild(child),
		/**
		 * Stops this process and starts it again with the same settings, port and user folder (its
		 * log continues in the same file); resolves with the new server.
		 */
		restart: async () => {
			await stopChild(child);
			return startN8n({
				name,
				command,
				userFolder,
				port,
				args,
				env: extra,
				logLevel,
				logFile,
				readyTimeoutMs,
			});
		},
		startupMs: 0,
	};
	try {
		const options = { timeoutMs: readyTimeoutMs, child, logFile };
		await waitFor(
			`n8n ${command} readiness at ${url}`,
			() => answers(`${url}/healthz/readiness`),
			options,
		);
		// n8n 1.x answers readiness before its /rest routes exist; 2.x has them by then.
		if (command === 'start')
			await waitFor(`n8n ${command} REST API`, () => answers(`${url}/rest/settings`), options);
		if (command === 'worker')
			await waitFor(
				'n8n worker taking jobs',
				() => /worker is now ready/.test(server.log()),
				options,
			);
	} catch (error) {
		await stopChild(child, { graceMs: 2000 });
		throw error;
	}
	server.startupMs = Date.now() - started;
	return server;
}

/** Peak resident memory of a running process (VmHWM), in MiB; undefined where /proc is missing. */
function peakMemoryMiB(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /VmHWM:\s+(\d+) kB/.exec(status);
		return match ? Math.round(Number(match[1]) / 1024) : undefined;
	} catch {
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// Run data

let flatted;
/**
 * The REST API sends execution data serialized with 'flatted' (shared references become indexes);
 * n8n's own copy decodes it, so the test needs no dependency of its own.
 */
function unflatten(text) {
	flatted ??= createRequire(env.N8N_BIN)('flatted');
	return flatted.parse(text);
}

/** Output items of a node's first run (first output unless `output` says otherwise). */
function outputOf(execution, nodeName, output = 0) {
	return execution.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[output] ?? [];
}

// ---------------------------------------------------------------------------------------------
// REST client

class N8nClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = undefined;
		// n8n binds the login cookie to this header (its browser id check).
		this.browserId = 'pilot-status-e2e';
	}

	async request(method, route, { body, query, raw = false, ok = true, timeoutMs = 60_000 } = {}) {
		const url = new URL(`${this.baseUrl}/rest${route}`);
		for (const [key, value] of Object.entries(query ?? {}))
			if (value !== undefined)
				url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
		const response = await fetch(url, {
			method,
			headers: {
				'browser-id': this.browserId,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((value) => value.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		if (raw) return response;
		const text = await response.text();
		if (ok && !response.ok)
			throw new Error(
				`${method} /rest${route} answered ${response.status}: ${text.slice(0, 2000)}`,
			);
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = text;
		}
		return ok ? (parsed?.data ?? parsed) : { status: response.status, body: parsed };
	}

	/** Creates the owner account on a fresh instance; false if there already is one. */
	async setupOwner(owner = OWNER) {
		const { status } = await this.request('POST', '/owner/setup', { body: owner, ok: false });
		return status === 200;
	}

	async login(owner = OWNER) {
		await this.request('POST', '/login', {
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
		if (!this.cookie) throw new Error('n8n answered the login without a session cookie');
		return this;
	}

	/** Owner set up (if needed) and logged in. */
	async signIn(owner = OWNER) {
		await this.setupOwner(owner);
		return this.login(owner);
	}

	/** Creates a credential; n8n picks its id, which is returned. */
	async createCredential({ name, type, data }) {
		return this.request('POST', '/credentials', { body: { name, type, data } });
	}

	/** Creates a workflow (keeping its id when given); the answer has id and versionId. */
	async createWorkflow(workflow) {
		const { id, name, nodes, connections, settings, pinData, meta } = workflow;
		return this.request('POST', '/workflows', {
			// n8n 1.x needs `active` (2.x drops it: publishing is a separate step there).
			body: { id, name, nodes, connections, settings, pinData, meta, active: false },
		});
	}

	async getWorkflow(id) {
		return this.request('GET', `/workflows/${encodeURIComponent(id)}`);
	}

	/**
	 * Publishes (n8n 2.x; "activates" in 1.x) the workflow's current version: triggers register,
	 * webhooks go live. n8n 2.41 answers at once and publishes in the background (an outbox), so
	 * this waits until its publication status says every trigger is live, and fails with n8n's
	 * message when one could not be.
	 */
	async publish(id, { timeoutMs = 60_000 } = {}) {
		const { versionId } = await this.getWorkflow(id);
		const workflow = await this.request('POST', `/workflows/${encodeURIComponent(id)}/activate`, {
			body: { versionId },
		});
		const settled = await this.waitForPublication(
			id,
			(status) => status.status !== 'in_progress' && status.pendingVersionId === null,
			timeoutMs,
		);
		if (settled && settled.status !== 'published') {
			const reasons = settled.triggers.map((trigger) => trigger.errorMessage).filter(Boolean);
			throw new Error(`Publishing workflow ${id} ended "${settled.status}": ${reasons.join('; ')}`);
		}
		return { ...workflow, publication: settled };
	}

	/** Unpublishes: triggers deregister, webhooks stop answering (waits for the background work). */
	async unpublish(id, { timeoutMs = 60_000 } = {}) {
		const workflow = await this.request('POST', `/workflows/${encodeURIComponent(id)}/deactivate`, {
			body: {},
		});
		const settled = await this.waitForPublication(
			id,
			(status) => status.status === 'not_published',
			timeoutMs,
		);
		return { ...workflow, publication: settled };
	}

	/** n8n 2.x's publication status; undefined where there is none (1.x activates synchronously). */
	async publicationStatus(id) {
		const { status, body } = await this.request(
			'GET',
			`/workflows/${encodeURIComponent(id)}/publication-status`,
			{ ok: false },
		);
		if (status === 404) return undefined;
		if (status !== 200)
			throw new Error(`publication-status answered ${status}: ${JSON.stringify(body)}`);
		return body.data;
	}

	async waitForPublication(id, done, timeoutMs) {
		let last;
		const found = await waitFor(
			`publication of workflow ${id}`,
			async () => {
				last = await this.publicationStatus(id);
				return last === undefined || done(last) ? { status: last } : undefined;
			},
			{ timeoutMs, intervalMs: 200 },
		).catch((error) => {
			error.message += ` (last status: ${JSON.stringify(last)})`;
			throw error;
		});
		return found.status;
	}

	/**
	 * Executions, newest first, as the executions list shows them (id, status, mode, workflowId,
	 * startedAt, stoppedAt). `filter`: workflowId, status (array), mode...; follows pages up to `limit`.
	 */
	async listExecutions(filter = {}, { limit = 500 } = {}) {
		const results = [];
		let cursor;
		do {
			const page = await this.request('GET', '/executions', {
				query: { filter, limit: String(Math.min(100, limit - results.length)), cursor },
			});
			results.push(...(page.results ?? []));
			cursor = page.nextCursor ?? undefined;
		} while (cursor && results.length < limit);
		return results;
	}

	/** One execution with its run data decoded (`execution.data.resultData.runData`). */
	async getExecution(id) {
		const execution = await this.request('GET', `/executions/${encodeURIComponent(id)}`);
		if (typeof execution?.data === 'string') execution.data = unflatten(execution.data);
		return execution;
	}

	/** Waits until the execution has one of `statuses`; returns it with its run data. */
	async waitForExecution(id, statuses = ['success', 'error', 'crashed', 'canceled'], options = {}) {
		const wanted = [statuses].flat();
		return waitFor(
			`execution ${id} to reach ${wanted.join('/')}`,
			async () => {
				const { status, body } = await this.request(
					'GET',
					`/executions/${encodeURIComponent(id)}`,
					{
						ok: false,
					},
				);
				return status === 200 && wanted.includes(body?.data?.status)
					? this.getExecution(id)
					: undefined;
			},
			{ timeoutMs: 120_000, intervalMs: 300, ...options },
		);
	}

	/** Waits until `count` executions match `filter`; returns them (newest first). */
	async waitForExecutions(filter, count, options = {}) {
		return waitFor(
			`${count} execution(s) matching ${JSON.stringify(filter)}`,
			async () => {
				const found = await this.listExecutions(filter);
				return found.length >= count ? found : undefined;
			},
			{ timeoutMs: 120_000, intervalMs: 300, ...options },
		);
	}

	/**
	 * Runs a workflow as the editor's Execute Workflow button does, from the trigger named
	 * `triggerName` (e.g. a Manual Trigger); resolves with n8n's answer ({ executionId }).
	 */
	async runManually(workflowId, triggerName) {
		return this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/run`, {
			body: { triggerToStartFrom: { name: triggerName } },
		});
	}

	/**
	 * The credential dialog's Test: `credentials` is { id, name, type, data } as the dialog sends it.
	 * Resolves with n8n's verdict, { status: 'OK' | 'Error', message }.
	 */
	async testCredential(credentials) {
		return this.request('POST', '/credentials/test', { body: { credentials } });
	}

	/** The bytes of a binary data id (e.g. `database:...`) as the editor downloads them. */
	async binaryData(id, { fileName, mimeType } = {}) {
		const response = await this.request('GET', '/binary-data', {
			query: { id, action: 'download', fileName, mimeType },
			raw: true,
		});
		if (!response.ok)
			throw new Error(
				`GET /rest/binary-data answered ${response.status}: ${await response.text()}`,
			);
		return {
			bytes: Buffer.from(await response.arrayBuffer()),
			contentType: response.headers.get('content-type'),
		};
	}
}

module.exports = {
	N8nClient,
	OWNER,
	killOwnedNow,
	outputOf,
	own,
	peakMemoryMiB,
	readLog,
	removeOnExit,
	sleep,
	spawnOwned,
	startN8n,
	stopChild,
	unflatten,
	waitFor,
};
