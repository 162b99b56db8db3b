/**
 * Every rule and every choice says what it rests on (specs/README.md, "As strict as the vendor"): an `x-choice`
 * without `x-evidence`, a rule without `evidence`, or an evidence item without its source, path and symbol
 * (repositories) or what it says fails here, naming where it sits.
 */
import { describe, expect, it } from 'vitest';
import { listStatements, readEvidence } from '../../src/spec/evidence.ts';
import { loadSpec, vendors } from '../../src/spec/index.ts';

describe.each(vendors.map((v) => v.name))('%s', (name) => {
  it('every x-choice has x-evidence and every rule has evidence, well-formed', async () => {
    const statements = listStatements(await loadSpec(name));
    expect(statements.filter((s) => s.kind === 'rule').length).toBeGreaterThan(0);
    expect(statements.filter((s) => s.kind === 'choice').length).toBeGreaterThan(0);
    const broken = statements
      .filter((s) => s.problems.length > 0)
      .map((s) => `${s.kind} ${s.subject} at ${s.pointer}: ${s.problems.join('; ')}`);
    expect(broken, broken.join('\n')).toEqual([]);
  });
});

describe('reading evidence', () => {
  it.each([
    ['missing', undefined, 'missing'],
    ['a reason', 'none: the vendor documents no limit and no answer for it', 'none'],
    ['a bare none', 'none', 'missing'],
    ['a reason too short to be one', 'none: unknown', 'missing'],
    ['free text', 'see the SDK', 'missing'],
    [
      'a page',
      [{ source: 'https://developer.ivvy.com/x', says: 'requests over 5 minutes old are invalid' }],
      'sourced',
    ],
    ['a seed page', [{ source: 'specs/sources/001_83660762386470cc.txt', says: 'Specific Code: 24392' }], 'sourced'],
    ['a seed page that is not there', [{ source: 'specs/sources/nope.txt', says: 'x' }], 'missing'],
    [
      'a repository file and symbol',
      [{ source: 'ivvycode/ivvy-sdk-net', path: 'src/Utils.cs', symbol: 'Utils.DateTimeFormat', says: 'UTC' }],
      'sourced',
    ],
    [
      'a repository without a symbol',
      [{ source: 'ivvycode/ivvy-sdk-net', path: 'src/Utils.cs', says: 'x' }],
      'missing',
    ],
    ['a repository without a path', [{ source: 'ivvycode/ivvy-sdk-net', symbol: 'Utils', says: 'x' }], 'missing'],
    ['an item that says nothing', [{ source: 'https://developer.ivvy.com/x' }], 'missing'],
    ['an empty list', [], 'missing'],
    ['a source of no known kind', [{ source: 'the SDK', says: 'x' }], 'missing'],
  ] as const)('%s', (_name, value, kind) => {
    expect(readEvidence(value).evidence.kind).toBe(kind);
  });
});
