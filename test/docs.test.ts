// This suite reads files and nothing else, so it imports Node's fs and path directly instead of
// through a JavaScript helper: the n8n lint rules these lines silence are aimed at node code.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { dirname, join, relative, resolve, sep } from 'path';

// The documentation is split for two readers: README.md (users; also the npm page and what n8n's
// Community Nodes screen links to), docs/*.md (one guide per topic) and CONTRIBUTING.md
// (maintainers). This suite keeps the split honest: every link and anchor resolves on GitHub (and on
// npm, which rewrites the README's relative links to GitHub), every path and command the docs name
// exists, and the README stays short. No n8n and no sandbox needed.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
const ROOT = resolve(__dirname, '..');
const NODE_DIR = join(ROOT, 'nodes/PilotStatus');

const DOC_FILES = [
	'README.md',
	'CONTRIBUTING.md',
	...readdirSync(join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
];
const SCRIPTS: Record<string, string> = JSON.parse(
	readFileSync(join(ROOT, 'package.json'), 'utf8'),
).scripts;
// npm's own commands the docs may name (every other `npm X` must be a script of package.json).
const NPM_BUILTINS = ['install', 'ci', 'publish', 'pack'];

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The text with fenced code blocks blanked out (line numbers kept). */
function withoutFences(text: string): string {
	let inFence = false;
	return text
		.split('\n')
		.map((line) => {
			if (/^\s*```/.test(line)) {
				inFence = !inFence;
				return '';
			}
			return inFence ? '' : line;
		})
		.join('\n');
}

/** Fenced blocks and inline code spans: where commands and paths are written. */
function codeOf(text: string): string[] {
	const fenced = [...text.matchAll(/^\s*```[^\n]*\n([\s\S]*?)^\s*```/gm)].map((match) => match[1]);
	const inline = [...withoutFences(text).matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
	return [...fenced, ...inline];
}

interface Link {
	file: string;
	target: string;
	image: boolean;
}

function linksIn(file: string): Link[] {
	const text = withoutFences(read(file));
	const markdown = [
		...text.matchAll(/(!?)\[((?:[^[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
	].map((match) => ({ file, target: match[3], image: match[1] === '!' }));
	const html = [...text.matchAll(/<(img|a)\s[^>]*?(?:src|href)="([^"]+)"/g)].map((match) => ({
		file,
		target: match[2],
		image: match[1] === 'img',
	}));
	return [...markdown, ...html];
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** GitHub's heading ids: lowercase, punctuation dropped except '-' and '_', each space a '-'. */
function githubSlug(heading: string): string {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	for (const match of withoutFences(read(file)).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const base = githubSlug(match[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

const allLinks = DOC_FILES.flatMap(linksIn);
const relativeLinks = allLinks.filter((link) => !isExternal(link.target));

/** Where a relative link lands, as a path from the repo root ('' for an in-page anchor). */
function landing(link: Link): { path: string; anchor: string | undefined } {
	const [path, anchor] = link.target.split('#', 2);
	if (path === '') return { path: link.file, anchor };
	return { path: relative(ROOT, resolve(ROOT, dirname(link.file), decodeURI(path))), anchor };
}

function npmCommandsIn(file: string): string[] {
	const text = read(file);
	const commands = new Set<string>();
	// `npm run X` anywhere, prose included; `npm X` only where commands are written (code).
	for (const match of text.matchAll(/\bnpm run ([\w:.-]+)/g)) {
		commands.add(`npm run ${match[1].replace(/[.:]+$/, '')}`);
	}
	for (const code of codeOf(text)) {
		for (const match of code.matchAll(/(?:^|[\s;&|(])npm\s+([a-z][\w:.-]*)/g)) {
			if (match[1] !== 'run') commands.add(`npm ${match[1]}`);
		}
	}
	return [...commands];
}

function commandExists(command: string): boolean {
	const [, first, second] = command.split(' ');
	if (first === 'run') return second in SCRIPTS;
	return NPM_BUILTINS.includes(first) || first in SCRIPTS;
}

const rootEntries = new Set(readdirSync(ROOT));
const nodeFolders = new Set(
	readdirSync(NODE_DIR).filter((name) => statSync(join(NODE_DIR, name)).isDirectory()),
);

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}
const sourceBasenames = new Set(
	filesUnder(ROOT)
		.filter((path) => path.endsWith('.ts'))
		.map((path) => path.split(sep).pop()),
);

/**
 * Problems with the repository paths a doc writes in code: a path that starts at the repo root or in
 * the node's folder must exist there, and every TypeScript file named must exist.
 */
function badPathsIn(file: string): string[] {
	const tokens = codeOf(read(file))
		.flatMap((code) => code.split(/[\s=,;()]+/))
		.map((token) => token.replace(/[.:]+$/, ''))
		.filter((token) => token !== '' && !/[<>*…{}$~]/.test(token) && !token.includes('://'));
	const problems: string[] = [];
	for (const token of tokens) {
		const first = token.split('/')[0];
		const startsInRepo = token.includes('/') && (rootEntries.has(first) || nodeFolders.has(first));
		const isTsFile = token.endsWith('.ts');
		if (!startsInRepo && !isTsFile) continue;
		const found =
			existsSync(join(ROOT, token)) ||
			existsSync(join(NODE_DIR, token)) ||
			(!token.includes('/') && sourceBasenames.has(token));
		if (!found) problems.push(`${file}: \`${token}\``);
	}
	return problems;
}

/** The folders named in the tables of one section of a doc: cells that are one `folder/` alone (or its link). */
function tableFoldersIn(file: string, heading: string): string[] {
	const text = withoutFences(read(file));
	const start = text.search(new RegExp(`^#{1,6} ${heading}\\s*$`, 'm'));
	expect(start).toBeGreaterThanOrEqual(0);
	const rest = text.slice(start);
	const level = /^#+/.exec(rest)![0].length;
	const body = rest.slice(rest.indexOf('\n') + 1);
	const end = body.search(new RegExp(`^#{1,${level}} `, 'm'));
	const section = end < 0 ? body : body.slice(0, end);
	return section
		.split('\n')
		.filter((line) => line.startsWith('|'))
		.flatMap((line) => line.split('|').map((cell) => cell.trim()))
		.flatMap((cell) => /^\[?`([^`]+\/)`(?:\]\([^)]*\))?$/.exec(cell)?.[1] ?? []);
}

const foldersWithReadme = filesUnder(NODE_DIR)
	.filter((path) => path.endsWith(`${sep}README.md`))
	.map((path) => `${relative(NODE_DIR, dirname(path)).split(sep).join('/')}/`)
	.sort();

describe('documentation', () => {
	test('the docs are the README, CONTRIBUTING.md and one guide per topic', () => {
		expect(DOC_FILES).toEqual(
			expect.arrayContaining([
				'docs/onboarding.md',
				'docs/waiting.md',
				'docs/trigger.md',
				'docs/ai-tool.md',
				'docs/scale.md',
				'docs/reliability-and-security.md',
				'docs/api.md',
			]),
		);
		for (const file of DOC_FILES) expect(read(file).length).toBeGreaterThan(500);
	});

	test('the README stays a short page for users', () => {
		const lines = read('README.md').split('\n').length;
		// 400, not 250: issues 19 and 22 want an operations table per resource in the README (14 resources).
		expect(lines).toBeLessThan(400);
	});

	test('the README links every guide and CONTRIBUTING.md', () => {
		const targets = linksIn('README.md').map((link) => landing(link).path);
		for (const file of DOC_FILES.filter((name) => name !== 'README.md')) {
			expect(targets).toContain(file);
		}
	});

	test('the README shows every screenshot in docs/images', () => {
		const images = readdirSync(join(ROOT, 'docs/images')).filter((name) => name.endsWith('.png'));
		expect(images.length).toBeGreaterThan(0);
		const shown = linksIn('README.md')
			.filter((link) => link.image)
			.map((link) => link.target);
		for (const image of images) expect(shown).toContain(`docs/images/${image}`);
	});

	test('every relative link and image points to a file in the repository', () => {
		expect(relativeLinks.length).toBeGreaterThan(30);
		const broken = relativeLinks
			.map((link) => ({ link, path: landing(link).path }))
			.filter(({ path }) => path.startsWith('..') || !existsSync(join(ROOT, path)))
			.map(({ link }) => `${link.file}: ${link.target}`);
		expect(broken).toEqual([]);
	});

	test('images are images', () => {
		const images = relativeLinks.filter((link) => link.image);
		expect(images.length).toBeGreaterThanOrEqual(3);
		for (const image of images) expect(image.target).toMatch(/\.(png|svg|jpe?g|gif)$/);
	});

	test('every #anchor, in the page or in another doc, matches a heading', () => {
		const withAnchor = relativeLinks.filter((link) => link.target.includes('#'));
		expect(withAnchor.length).toBeGreaterThan(20);
		const broken = withAnchor
			.filter((link) => {
				const { path, anchor } = landing(link);
				return (
					!path.endsWith('.md') || !existsSync(join(ROOT, path)) || !anchorsOf(path).has(anchor!)
				);
			})
			.map((link) => `${link.file}: ${link.target}`);
		expect(broken).toEqual([]);
	});

	test('the anchors that n8n and the credential link to stay in the README', () => {
		// The credential's documentationUrl and the nodes' codex files point at these.
		const anchors = anchorsOf('README.md');
		expect(anchors).toContain('credentials');
		expect(anchors).toContain('pilot-status-trigger');
	});

	test('slugs follow GitHub rules', () => {
		expect(githubSlug('Try it in n8n (`npm start`)')).toBe('try-it-in-n8n-npm-start');
		expect(githubSlug("Publishing and n8n's verification")).toBe(
			'publishing-and-n8ns-verification',
		);
		expect(githubSlug('Webhook mode: what to know')).toBe('webhook-mode-what-to-know');
		expect(githubSlug('snake_case and-dash')).toBe('snake_case-and-dash');
	});

	test('every npm command in the docs exists in package.json', () => {
		const commands = DOC_FILES.flatMap((file) =>
			npmCommandsIn(file).map((command) => ({ file, command })),
		);
		expect(commands.map(({ command }) => command)).toEqual(
			expect.arrayContaining(['npm install', 'npm test', 'npm start', 'npm run test:e2e']),
		);
		const missing = commands
			.filter(({ command }) => !commandExists(command))
			.map(({ file, command }) => `${file}: ${command}`);
		expect(missing).toEqual([]);
	});

	test('the command check would catch a missing script', () => {
		expect(commandExists('npm run test:e2e')).toBe(true);
		expect(commandExists('npm run test:nothing')).toBe(false);
		expect(commandExists('npm frobnicate')).toBe(false);
	});

	test('the top code block of the README runs real commands', () => {
		const firstBlock = /```bash\n([\s\S]*?)```/.exec(read('README.md'));
		expect(firstBlock).not.toBeNull();
		const commands = firstBlock![1]
			.split('\n')
			.map((line) => line.replace(/#.*/, '').trim())
			.filter(Boolean);
		expect(commands).toEqual(['npm install', 'npm test', 'npm start', 'npm run test:e2e']);
		for (const command of commands) expect(commandExists(command)).toBe(true);
	});

	test('every npm command CI runs is documented in the README or CONTRIBUTING.md', () => {
		const ci = read('.ci/run');
		const ciCommands = [...ci.matchAll(/^\s*npm (run [\w:.-]+|test|install)/gm)].map(
			(match) => `npm ${match[1]}`,
		);
		const cited = [...ci.matchAll(/README: (npm [\w: .-]+?)[;)]/g)].map((match) => match[1]);
		expect(ciCommands.length).toBeGreaterThanOrEqual(10);
		expect(cited).toEqual(expect.arrayContaining(['npm test', 'npm run test:browser']));
		const documented = `${read('README.md')}\n${read('CONTRIBUTING.md')}`;
		const undocumented = [...new Set([...ciCommands, ...cited])].filter(
			(command) => !documented.includes(`\`${command}`),
		);
		expect(undocumented).toEqual([]);
	});

	test('every repository path the docs write in code exists', () => {
		const problems = DOC_FILES.flatMap(badPathsIn);
		expect(problems).toEqual([]);
	});

	test('no doc names the removed shared/ or top-level listSearch/ folders', () => {
		for (const file of DOC_FILES) {
			expect(read(file)).not.toMatch(/(^|[\s`(])(nodes\/PilotStatus\/)?(shared|listSearch)\//m);
		}
	});

	test('the architecture tables name every folder of the node, and only those', () => {
		expect(foldersWithReadme.length).toBeGreaterThan(5);
		for (const [file, heading] of [
			['README.md', 'Architecture'],
			['CONTRIBUTING.md', 'Folders'],
		]) {
			const named = tableFoldersIn(file, heading).sort();
			expect(named).toEqual(foldersWithReadme);
		}
	});
});
