/**
 * No hand-written module is over 400 lines (issue 10): a longer one holds more than one subject and is split by
 * subject, with what the parts share in a module of its own. Every `.ts` file under src/, bench/, scripts/ and test/
 * counts; only what `npm run generate` writes (src/generated/) does not.
 */
import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../src/spec/index.ts';

const MAX_LINES = 400;

/** The hand-written TypeScript files, relative to the repository root. */
const modules = globSync(['src/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'], {
  cwd: repoRoot,
  exclude: (path) => path === join('src', 'generated') || path.startsWith(join('src', 'generated', '')),
}).sort();

/** Lines as `wc -l` counts them, and an editor shows them: a last line without its newline counts too. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

it('finds the hand-written modules, this one among them, and none that npm run generate writes', () => {
  expect(modules).toContain(join('test', 'core', 'module-size.test.ts'));
  expect(modules).toContain(join('src', 'spec', 'index.ts'));
  expect(modules.filter((path) => path.startsWith(join('src', 'generated', '')))).toEqual([]);
  expect(lineCount('a\nb\n')).toBe(2);
  expect(lineCount('a\nb')).toBe(2);
});

it(`every hand-written module has at most ${MAX_LINES} lines`, () => {
  const over = modules
    .map((path) => ({ path, lines: lineCount(readFileSync(join(repoRoot, path), 'utf8')) }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ path, lines }) => `${path}: ${lines} lines`);
  expect(over, `modules over ${MAX_LINES} lines (split each by subject)`).toEqual([]);
});
