import { forbiddenIn, readLayout } from './helpers/layout';

// The node's folders are its architecture: each opens with a README that says what it owns and which
// folders it must not import. This suite keeps those promises true as the node grows.
const { folders, codeFolders } = readLayout();

describe('code layout', () => {
	test('every folder of the node opens with a README naming what it owns and must not import', () => {
		const withReadme = folders.map(({ folder }) => folder);
		expect(withReadme).toEqual(expect.arrayContaining([...codeFolders, 'resources']));
		for (const { folder, text, forbidden } of folders) {
			expect(text.startsWith(`# ${folder}/: `)).toBe(true);
			expect(text).toMatch(/\n(Owns|Each) /);
			expect(forbidden.length).toBeGreaterThan(0);
		}
	});

	test.each(folders.map((layout) => [layout.folder, layout]))(
		'%s/ imports none of the folders its README rules out',
		(_folder, { forbidden, imports }) => {
			const offending = imports
				.filter(({ target }) => forbidden.some((name) => target.startsWith(`${name}/`)))
				.map(({ file, target }) => `${file} → ${target}`);
			expect(offending).toEqual([]);
		},
	);

	test('the guard reads the rules and sees the imports it checks', () => {
		expect(forbiddenIn('Must not import: `a/`, `b/c/` (only `d/`). Not `e/`.')).toEqual([
			'a',
			'b/c',
		]);
		const transport = folders.find(({ folder }) => folder === 'transport');
		expect(transport?.forbidden).toEqual(
			expect.arrayContaining(['output', 'waiting', 'routing', 'resources', 'trigger']),
		);
		const routing = folders.find(({ folder }) => folder === 'routing');
		expect(routing?.imports).toContainEqual({
			file: 'routing/hooks.ts',
			target: 'transport/baseUrl',
		});
	});
});
