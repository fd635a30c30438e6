'use strict';
// Run by n8n-env.js recordCommunityPackage on the Node that runs n8n (its sqlite3 is built for it):
//   node record-community-package.js <n8n folder> <package folder> <SQLite database file>
// Writes the rows n8n's Community Nodes screen reads (installed_packages, installed_nodes) for a
// package already in <n8n folder>/.n8n/nodes/node_modules, as n8n writes them when it installs one
// from npm (InstalledPackagesRepository.persistPackageWithNodes): one package row with the version
// and author, one node row per loaded node with its display name, `<package>.<node>` type and
// latest version. The nodes are read by n8n's own loader (n8n-core's PackageDirectoryLoader), so
// the rows name exactly what n8n loads. Prints the package row as JSON.
const { createRequire } = require('node:module');
const path = require('node:path');

const [n8nFolder, packageDir, databaseFile] = process.argv.slice(2);

async function loadPackage() {
	// The package's nodes import n8n-workflow, a peer n8n provides; n8n makes it resolvable the
	// same way (NODE_PATH with its own module paths) before it loads community packages.
	const fromN8n = createRequire(path.join(n8nFolder, 'node_modules', 'n8n', 'package.json'));
	process.env.NODE_PATH = [
		path.join(n8nFolder, 'node_modules', 'n8n', 'node_modules'),
		path.join(n8nFolder, 'node_modules'),
	].join(path.delimiter);
	require('node:module').Module._initPaths();
	const { PackageDirectoryLoader } = fromN8n('n8n-core');
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	return { loader, sqlite3: fromN8n('sqlite3') };
}

function rowsOf(loader) {
	const { name, version, author } = loader.packageJson;
	return {
		packageRow: {
			packageName: name,
			installedVersion: version,
			authorName: author?.name ?? null,
			authorEmail: author?.email ?? null,
		},
		nodeRows: loader.loadedNodes.map((node) => ({
			name: loader.nodeTypes[node.name].type.description.displayName,
			type: `${name}.${node.name}`,
			latestVersion: node.version,
			package: name,
		})),
	};
}

function run(database, sql, params = []) {
	return new Promise((resolve, reject) =>
		database.run(sql, params, (error) => (error ? reject(error) : resolve())),
	);
}

/** Replaces the package's rows in one transaction, as an update from the screen does. */
async function writeRows(sqlite3, { packageRow, nodeRows }) {
	const database = new sqlite3.Database(databaseFile);
	// n8n writes in WAL mode; waiting on its lock beats failing if it is running.
	database.configure('busyTimeout', 10_000);
	const now = "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')";
	try {
		await run(database, 'BEGIN IMMEDIATE');
		await run(database, 'DELETE FROM installed_nodes WHERE package = ?', [packageRow.packageName]);
		await run(database, 'DELETE FROM installed_packages WHERE packageName = ?', [
			packageRow.packageName,
		]);
		await run(
			database,
			`INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ${now}, ${now})`,
			[
				packageRow.packageName,
				packageRow.installedVersion,
				packageRow.authorName,
				packageRow.authorEmail,
			],
		);
		for (const row of nodeRows)
			await run(
				database,
				'INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)',
				[row.name, row.type, row.latestVersion, row.package],
			);
		await run(database, 'COMMIT');
	} catch (error) {
		await run(database, 'ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		await new Promise((resolve) => database.close(resolve));
	}
}

(async () => {
	const { loader, sqlite3 } = await loadPackage();
	const rows = rowsOf(loader);
	if (rows.nodeRows.length === 0) throw new Error(`${packageDir} has no nodes n8n can load`);
	await writeRows(sqlite3, rows);
	process.stdout.write(`${JSON.stringify(rows)}\n`);
})().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
