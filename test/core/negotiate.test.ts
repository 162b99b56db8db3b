import { describe, expect, it } from 'vitest';
import { negotiate } from '../../src/server/negotiate.ts';

const offered = ['application/json', 'text/json', 'application/xml', 'text/xml'];

describe('negotiate', () => {
  it.each([
    ['no Accept: the first offered', { given: [undefined, offered], want: 'application/json' }],
    ['*/*', { given: ['*/*', offered], want: 'application/json' }],
    ['an exact type', { given: ['application/xml', offered], want: 'application/xml' }],
    ['a type range', { given: ['text/*', offered], want: 'text/json' }],
    ['the highest q wins', { given: ['application/json;q=0.5, text/xml', offered], want: 'text/xml' }],
    ['q=0 excludes', { given: ['application/json;q=0, */*;q=0.1', offered], want: 'text/json' }],
    ['nothing acceptable', { given: ['image/png', offered], want: undefined }],
    ['nothing offered', { given: ['application/json', []], want: undefined }],
  ] as const)('%s', (_name, { given, want }) => {
    expect(negotiate(given[0], given[1])).toBe(want);
  });
});
