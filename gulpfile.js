'use strict';
// Build pipeline: clean dist/, compile TypeScript, then copy what tsc does not emit
// (icons and the codex .node.json files n8n reads next to each node).
const { execFile } = require('node:child_process');
const fs = require('node:fs/promises');
const path = require('node:path');
const { src, dest, series, parallel } = require('gulp');

const root = __dirname;
const dist = path.join(root, 'dist');

function clean() {
	return fs.rm(dist, { recursive: true, force: true });
}

function compile(done) {
	const tsc = require.resolve('typescript/bin/tsc');
	execFile(
		process.execPath,
		[tsc, '-p', path.join(root, 'tsconfig.json')],
		(error, stdout, stderr) => {
			if (stdout) process.stdout.write(stdout);
			if (stderr) process.stderr.write(stderr);
			done(error ? new Error('TypeScript compilation failed') : undefined);
		},
	);
}

function copyIcons() {
	return src(['icons/**/*.{svg,png}', 'nodes/**/*.{svg,png}', 'credentials/**/*.{svg,png}'], {
		base: root,
		encoding: false,
		allowEmpty: true,
	}).pipe(dest(dist));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: root, allowEmpty: true }).pipe(dest(dist));
}

const build = series(clean, compile, parallel(copyIcons, copyCodex));

exports.clean = clean;
exports.build = build;
exports.default = build;
