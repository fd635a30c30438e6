#!/usr/bin/env node
'use strict';
// Fails unless `npm pack` would ship exactly what n8n needs: dist/, README, LICENSE, package.json.
// Also checks the package.json rules n8n's verification applies.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const problems = [];

const [packed] = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	}),
);
const allowed = (file) =>
	file.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE.md', 'LICENSE'].includes(file);
for (const { path: file } of packed.files)
	if (!allowed(file)) problems.push(`unexpected file in the package: ${file}`);
for (const required of [
	'package.json',
	'README.md',
	'LICENSE.md',
	...pkg.n8n.nodes,
	...pkg.n8n.credentials,
	'dist/icons/pilotStatus.svg',
	'dist/icons/pilotStatus.dark.svg',
]) {
	if (!packed.files.some((file) => file.path === required))
		problems.push(`missing from the package: ${required}`);
}
if (pkg.dependencies && Object.keys(pkg.dependencies).length)
	problems.push('runtime dependencies are not allowed');
if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' }))
	problems.push('peerDependencies must be {"n8n-workflow": "*"}');
if (!pkg.keywords.includes('n8n-community-node-package'))
	problems.push('keyword n8n-community-node-package is missing');
if (pkg.license !== 'MIT') problems.push('license must be MIT');
if (pkg.n8n.n8nNodesApiVersion !== 1) problems.push('n8n.n8nNodesApiVersion must be 1');

if (problems.length) {
	process.stderr.write(`Package check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
	process.exit(1);
}
process.stdout.write(
	`Package check passed: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} kB packed, 0 runtime dependencies.\n`,
);
