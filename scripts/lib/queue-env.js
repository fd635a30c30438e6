'use strict';
// n8n's queue mode on one machine, for tests and measurements: a real Redis and a real PostgreSQL
// (Debian's packages, run unprivileged from a temp folder on free loopback ports), then n8n 2.41
// with EXECUTIONS_MODE=queue as a team that outgrew one process runs it: one main, webhook
// processes, workers. Each n8n process has its own user folder with this package installed, as
// the Community Nodes screen leaves it, so a missing package on a worker would show. Everything
// started here is stopped by stop(), and killed if the test process dies (see n8n-server.js).
const { execFile, execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const env = require('./n8n-env');
const {
	N8nClient,
	removeOnExit,
	spawnOwned,
	startN8n,
	stopChild,
	waitFor,
} = require('./n8n-server');

const APT_PACKAGES = ['redis-server', 'postgresql'];
const APT_HINT =
	`Queue mode needs Redis and PostgreSQL from Debian: ` +
	`apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`;
const DATABASE = { name: 'n8n', user: 'n8n', password: 'n8n' };

function which(command) {
	const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The binaries, or an error that says which Debian packages to install. */
function findServers() {
	const redis = which('redis-server') ?? ['/usr/bin/redis-server'].find((p) => fs.existsSync(p));
	// Debian keeps PostgreSQL's server binaries out of PATH, one folder per major version.
	const pgRoot = '/usr/lib/postgresql';
	const pgVersions = fs.existsSync(pgRoot)
		? fs
				.readdirSync(pgRoot)
				.filter((version) => fs.existsSync(path.join(pgRoot, version, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	const pgBin =
		process.env.PG_BIN ??
		(pgVersions.length > 0 ? path.join(pgRoot, pgVersions[0], 'bin') : undefined) ??
		(which('pg_ctl') ? path.dirname(which('pg_ctl')) : undefined);
	const missing = [];
	if (!redis) missing.push('redis-server (Debian package redis-server)');
	if (!pgBin || !fs.existsSync(path.join(pgBin, 'initdb')))
		missing.push('PostgreSQL server binaries (Debian package postgresql)');
	if (missing.length > 0) throw new Error(`Missing ${missing.join(' and ')}. ${APT_HINT}`);
	return { redis, pgBin };
}

/**
 * PostgreSQL refuses to run as root, so as root both servers run as a service account (Debian's
 * postgresql package creates `postgres`); otherwise as ourselves.
 */
function serviceAccount() {
	if (process.getuid?.() !== 0) return undefined;
	for (const name of ['postgres', 'nobody']) {
		const found = spawnSync('id', ['-u', name], { encoding: 'utf8' });
		if (found.status === 0) {
			const uid = Number(found.stdout.trim());
			const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
			return { name, uid, gid };
		}
	}
	throw new Error('Running as root, but there is no postgres or nobody account to run PostgreSQL');
}

function ownedDir(dir, account) {
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	if (account) fs.chownSync(dir, account.uid, account.gid);
	return dir;
}

function asAccount(account) {
	return account
		? ['--reuid', String(account.uid), '--regid', String(account.gid), '--clear-groups']
		: [];
}

/** Runs a short command as the service account (initdb); throws with its output on failure. */
function runAs(account, command, args, options = {}) {
	const [file, ...rest] = account
		? ['setpriv', ...asAccount(account), '--', command, ...args]
		: [command, ...args];
	return execFileSync(file, rest, {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		...options,
	});
}

/** One Redis command over RESP; resolves with the reply (string, number, array or null). */
function redisCommand(port, ...args) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let buffer = Buffer.alloc(0);
		socket.setTimeout(5000, () => socket.destroy(new Error('Redis did not answer')));
		socket.on('error', reject);
		socket.on('connect', () =>
			socket.write(
				`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(String(arg))}\r\n${arg}\r\n`).join('')}`,
			),
		);
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			const parsed = parseResp(buffer, 0);
			if (!parsed) return;
			socket.end();
			if (parsed.value instanceof Error) reject(parsed.value);
			else resolve(parsed.value);
		});
	});
}

/** Minimal RESP2 reader: returns { value, next } or undefined while the reply is incomplete. */
function parseResp(buffer, offset) {
	const lineEnd = buffer.indexOf('\r\n', offset);
	if (lineEnd === -1) return undefined;
	const type = String.fromCharCode(buffer[offset]);
	const line = buffer.toString('utf8', offset + 1, lineEnd);
	const next = lineEnd + 2;
	if (type === '+') return { value: line, next };
	if (type === '-') return { value: new Error(line), next };
	if (type === ':') return { value: Number(line), next };
	if (type === '$') {
		const length = Number(line);
		if (length === -1) return { value: null, next };
		if (buffer.length < next + length + 2) return undefined;
		return { value: buffer.toString('utf8', next, next + length), next: next + length + 2 };
	}
	if (type === '*') {
		const count = Number(line);
		if (count === -1) return { value: null, next };
		const values = [];
		let cursor = next;
		for (let index = 0; index < count; index++) {
			const item = parseResp(buffer, cursor);
			if (!item) return undefined;
			values.push(item.value);
			cursor = item.next;
		}
		return { value: values, next: cursor };
	}
	throw new Error(`Unexpected Redis reply type "${type}"`);
}

async function startRedis({ root, account, redisBin }) {
	const dir = ownedDir(path.join(root, 'redis'), account);
	const port = await env.freePort();
	const logFile = path.join(root, 'redis.log');
	const child = spawnOwned(
		redisBin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			// A throw-away queue: no snapshots, no append-only file.
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ logFile, cwd: dir, setprivArgs: asAccount(account) },
	);
	await waitFor(
		'Redis answering PING',
		() =>
			redisCommand(port, 'PING').then(
				(reply) => reply === 'PONG',
				() => false,
			),
		{ timeoutMs: 20_000, child, logFile },
	);
	return { port, child, logFile, command: (...args) => redisCommand(port, ...args) };
}

async function startPostgres({ root, account, pgBin }) {
	const home = ownedDir(path.join(root, 'postgres'), account);
	const data = ownedDir(path.join(home, 'data'), account);
	const sockets = ownedDir(path.join(home, 'sockets'), account);
	const passwordFile = path.join(home, 'password');
	fs.writeFileSync(passwordFile, DATABASE.password, { mode: 0o600 });
	if (account) fs.chownSync(passwordFile, account.uid, account.gid);
	runAs(account, path.join(pgBin, 'initdb'), [
		'-D',
		data,
		'-U',
		DATABASE.user,
		`--pwfile=${passwordFile}`,
		'--auth=scram-sha-256',
		'-E',
		'UTF8',
		'--no-locale',
		'--no-sync',
	]);
	const port = await env.freePort();
	const logFile = path.join(root, 'postgres.log');
	const child = spawnOwned(
		path.join(pgBin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(port),
			'-k',
			sockets,
			'-c',
			'listen_addresses=127.0.0.1',
			// Durability is pointless for a test database that is deleted afterwards.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{ logFile, cwd: data, setprivArgs: asAccount(account) },
	);
	const psqlEnv = { ...process.env, PGPASSWORD: DATABASE.password };
	const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', DATABASE.user];
	await waitFor(
		'PostgreSQL accepting connections',
		() =>
			spawnSync(path.join(pgBin, 'pg_isready'), [...connection, '-d', 'postgres'], {
				env: psqlEnv,
			}).status === 0,
		{ timeoutMs: 30_000, child, logFile },
	);
	execFileSync(path.join(pgBin, 'createdb'), [...connection, DATABASE.name], { env: psqlEnv });
	const psqlArgs = (sql) => [
		...connection,
		'-d',
		DATABASE.name,
		'-X',
		'-A',
		'-t',
		'-F',
		'\t',
		'-v',
		'ON_ERROR_STOP=1',
		'-c',
		sql,
	];
	const rows = (out) =>
		out
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	const psqlOptions = { env: psqlEnv, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 };
	return {
		port,
		child,
		logFile,
		/** Runs SQL with psql; returns rows as arrays of text fields. */
		query(sql) {
			return rows(execFileSync(path.join(pgBin, 'psql'), psqlArgs(sql), psqlOptions));
		},
		/** The same without blocking the event loop (for samplers that run beside a measurement). */
		queryAsync(sql) {
			return new Promise((resolve, reject) =>
				execFile(path.join(pgBin, 'psql'), psqlArgs(sql), psqlOptions, (error, out, err) =>
					error ? reject(new Error(`${error.message}\n${err}`)) : resolve(rows(out)),
				),
			);
		},
		/** The whole database as pg_dump writes it (to prove what is and is not stored). */
		dump() {
			return execFileSync(path.join(pgBin, 'pg_dump'), [...connection, '-d', DATABASE.name], {
				env: psqlEnv,
				maxBuffer: 1024 * 1024 * 1024,
			});
		},
	};
}

/**
 * Starts Redis, PostgreSQL and n8n in queue mode. `webhooks`: webhook processes, `workers`:
 * worker processes, each with `concurrency` job slots (given explicitly; n8n's default is 10).
 * Resolves with the running setup and a signed-in REST client for the main process.
 */
async function startQueueEnv({
	workers = 2,
	webhooks = 1,
	concurrency = 5,
	logLevel = 'info',
	extraEnv = {},
	keep = Boolean(process.env.KEEP_E2E),
	say = () => {},
} = {}) {
	const { redis: redisBin, pgBin } = findServers();
	await env.ensureN8n();
	const account = serviceAccount();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-queue-'));
	// The service account must reach its folders inside; nothing else in here is secret.
	fs.chmodSync(root, 0o755);
	const cleanup = keep ? { forget() {} } : removeOnExit(root);

	const timings = {};
	const setup = {
		root,
		account: account?.name ?? os.userInfo().username,
		redis: undefined,
		postgres: undefined,
		main: undefined,
		webhooks: [],
		workers: [],
		client: undefined,
		timings,
		concurrency,
		sharedEnv: undefined,
		/** main, webhook processes and workers, as started. */
		processes: () => [setup.main, ...setup.webhooks, ...setup.workers].filter(Boolean),
		/** Starts one more webhook process (same settings); resolves with it. */
		addWebhookProcess: undefined,
		stop: undefined,
	};
	let stopped = false;
	setup.stop = async () => {
		if (stopped) return;
		stopped = true;
		// Webhook processes and main first, so nothing new is queued; then workers, then servers.
		await Promise.all([setup.main, ...setup.webhooks].filter(Boolean).map((p) => p.stop()));
		await Promise.all(setup.workers.map((p) => p.stop()));
		// PostgreSQL's "fast" shutdown is SIGINT; SIGTERM would wait for clients.
		await stopChild(setup.postgres?.child, { signal: 'SIGINT', graceMs: 10_000 });
		await stopChild(setup.redis?.child, { signal: 'SIGTERM', graceMs: 5_000 });
		if (!keep) fs.rmSync(root, { recursive: true, force: true });
		cleanup.forget();
	};

	try {
		let started = Date.now();
		const [redis, postgres] = await Promise.all([
			startRedis({ root, account, redisBin }),
			startPostgres({ root, account, pgBin }),
		]);
		Object.assign(setup, { redis, postgres });
		timings.serversMs = Date.now() - started;
		say(`  Redis on ${redis.port}, PostgreSQL on ${postgres.port} (${timings.serversMs} ms)`);

		// Install the package once, then give every process the same installed folder.
		started = Date.now();
		const folders = {
			main: path.join(root, 'main'),
			webhooks: Array.from({ length: Math.max(webhooks, 1) }, (_, i) =>
				path.join(root, `webhook${i + 1}`),
			),
			workers: Array.from({ length: workers }, (_, i) => path.join(root, `worker${i + 1}`)),
		};
		await env.installThisPackage(folders.main);
		const installedNodes = path.join(folders.main, '.n8n', 'nodes');
		for (const folder of [...folders.webhooks, ...folders.workers])
			fs.cpSync(installedNodes, path.join(folder, '.n8n', 'nodes'), { recursive: true });
		timings.installMs = Date.now() - started;

		const webhookPorts = await Promise.all(folders.webhooks.map(() => env.freePort()));
		const sharedEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: DATABASE.name,
			DB_POSTGRESDB_USER: DATABASE.user,
			DB_POSTGRESDB_PASSWORD: DATABASE.password,
			// Every process must decrypt what another one encrypted (credentials).
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			// Binary data made on a worker must be readable by main and the other workers. n8n 2.41
			// defaults to 'database' in queue mode; said explicitly, as a setup guide would.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Registered trigger URLs (and $execution.resumeUrl) point at the webhook process.
			N8N_WEBHOOK_URL: `http://127.0.0.1:${webhookPorts[0]}/`,
			// Production webhooks are served by the webhook processes only, as recommended.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			...extraEnv,
		};
		setup.sharedEnv = sharedEnv;

		// Main first: it runs the database migrations the others expect.
		started = Date.now();
		setup.main = await startN8n({
			name: 'main',
			command: 'start',
			userFolder: folders.main,
			env: sharedEnv,
			logLevel,
		});
		timings.mainMs = Date.now() - started;
		say(`  n8n main on ${setup.main.url} (${timings.mainMs} ms)`);

		started = Date.now();
		let nextWebhook = 0;
		setup.addWebhookProcess = async () => {
			const index = nextWebhook++;
			if (index >= folders.webhooks.length) {
				folders.webhooks.push(path.join(root, `webhook${index + 1}`));
				webhookPorts.push(await env.freePort());
				fs.cpSync(installedNodes, path.join(folders.webhooks[index], '.n8n', 'nodes'), {
					recursive: true,
				});
			}
			const webhook = await startN8n({
				name: `webhook${index + 1}`,
				command: 'webhook',
				userFolder: folders.webhooks[index],
				port: webhookPorts[index],
				env: sharedEnv,
				logLevel,
			});
			setup.webhooks.push(webhook);
			return webhook;
		};
		const starting = [
			...Array.from({ length: webhooks }, () => setup.addWebhookProcess()),
			...folders.workers.map((folder, index) =>
				startN8n({
					name: `worker${index + 1}`,
					command: 'worker',
					args: [`--concurrency=${concurrency}`],
					userFolder: folder,
					env: sharedEnv,
					logLevel,
				}).then((worker) => {
					setup.workers.push(worker);
					return worker;
				}),
			),
		];
		// Wait for all, even after a failure, so stop() sees every process that did start.
		const results = await Promise.allSettled(starting);
		const failure = results.find((result) => result.status === 'rejected');
		if (failure) throw failure.reason;
		// webhook1 first: N8N_WEBHOOK_URL, and so every registered trigger URL, points at it.
		for (const list of [setup.webhooks, setup.workers])
			list.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
		timings.othersMs = Date.now() - started;
		say(
			`  ${setup.webhooks.length} webhook process(es), ${setup.workers.length} worker(s) ready (${timings.othersMs} ms)`,
		);

		setup.client = await new N8nClient(setup.main.url).signIn();
		return setup;
	} catch (error) {
		await setup.stop();
		throw error;
	}
}

/**
 * Which worker ran each execution: workers log "Worker started execution <id> (job <n>)" (info
 * level); n8n stores no worker id with the execution. Returns Map(executionId → worker name).
 */
function executionsByWorker(workers) {
	const ranOn = new Map();
	for (const worker of workers) {
		for (const match of worker.log().matchAll(/Worker started execution (\S+) \(job [^)]+\)/g))
			ranOn.set(match[1], worker.name);
	}
	return ranOn;
}

/**
 * Bull's job counts for n8n's queue (`jobs`, key prefix `bull`, QUEUE_BULL_PREFIX): `active` is
 * jobs a worker has taken and not finished, i.e. worker slots held; `waiting` is jobs queued for a
 * free slot; `delayed` is jobs scheduled for later.
 */
async function queueCounts(redis, { prefix = 'bull', queue = 'jobs' } = {}) {
	const key = (name) => `${prefix}:${queue}:${name}`;
	const [active, waiting, delayed] = await Promise.all([
		redis.command('LLEN', key('active')),
		redis.command('LLEN', key('wait')),
		redis.command('ZCARD', key('delayed')),
	]);
	return { active, waiting, delayed };
}

/**
 * Samples, every `intervalMs`, Bull's counts and the statuses of the workflow's executions as
 * n8n stored them (execution_entity), without blocking the caller. stop() resolves with the
 * samples: { t (ms since start), active, waiting, delayed, executions: { status: count } }.
 */
function startSampler(setup, { workflowId, intervalMs = 1000 } = {}) {
	const samples = [];
	const started = Date.now();
	let running = true;
	let errors = 0;
	const statusSql = `select status, count(*) from execution_entity where "workflowId" = '${String(workflowId).replace(/'/g, "''")}' and "deletedAt" is null group by status`;
	const loop = (async () => {
		while (running) {
			const tick = Date.now();
			try {
				const [counts, statuses] = await Promise.all([
					queueCounts(setup.redis),
					workflowId === undefined ? [] : setup.postgres.queryAsync(statusSql),
				]);
				samples.push({
					t: tick - started,
					...counts,
					executions: Object.fromEntries(
						statuses.map(([status, count]) => [status, Number(count)]),
					),
				});
			} catch {
				errors += 1;
			}
			await new Promise((resolve) =>
				setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - tick))),
			);
		}
	})();
	return {
		started,
		samples,
		/** The latest sample, if any. */
		last: () => samples.at(-1),
		async stop() {
			running = false;
			await loop;
			return { samples, errors };
		},
	};
}

module.exports = {
	APT_HINT,
	APT_PACKAGES,
	DATABASE,
	executionsByWorker,
	findServers,
	queueCounts,
	redisCommand,
	startQueueEnv,
	startSampler,
};
