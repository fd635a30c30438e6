'use strict';
// Reads the node's folders for test/layout.test.ts: each folder's README (what it owns, which folders
// it must not import) and every relative import of its TypeScript files.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const NODE_DIR = resolve(__dirname, '../../nodes/PilotStatus');

function filesUnder(dir, ext) {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return filesUnder(path, ext);
		return path.endsWith(ext) ? [path] : [];
	});
}

/** The folders named in backquotes after "Must not import:", up to the first parenthesis or full stop. */
function forbiddenIn(text) {
	const line = /Must not import:([^(]*?)(?:\.\s|\(|\n\n|$)/.exec(text);
	return line ? [...line[1].matchAll(/`([a-zA-Z/]+)\/`/g)].map((match) => match[1]) : [];
}

/** Imports of a file as paths relative to the node folder (`transport/request`). */
function importsOf(file) {
	return [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)]
		.map((match) => relative(NODE_DIR, resolve(dirname(file), match[1])))
		.filter((target) => !target.startsWith('..'));
}

function readLayout() {
	const readmes = filesUnder(NODE_DIR, 'README.md');
	const folders = readmes.map((readme) => {
		const dir = dirname(readme);
		const text = readFileSync(readme, 'utf8');
		return {
			folder: relative(NODE_DIR, dir),
			text,
			forbidden: forbiddenIn(text),
			imports: filesUnder(dir, '.ts').flatMap((file) =>
				importsOf(file).map((target) => ({ file: relative(NODE_DIR, file), target })),
			),
		};
	});
	const codeFolders = [...new Set(filesUnder(NODE_DIR, '.ts').map((file) => dirname(file)))]
		.map((dir) => relative(NODE_DIR, dir))
		.filter((dir) => dir !== '' && !dir.startsWith('resources/'));
	return { folders, codeFolders };
}

module.exports = { readLayout, forbiddenIn };
