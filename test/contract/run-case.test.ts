/** The runner's own helpers that a case's verdict depends on. */
import { describe, expect, it } from 'vitest';
import { credentialHeaders, tamper } from '../../src/contract/run-case.ts';
import { loadSpec } from '../../src/spec/index.ts';

describe('tamper', () => {
  const names = ['authorization', 'x-api-authorization'];
  const cases: [string, { given: Record<string, string>; want: Record<string, string> }][] = [
    ['a token', { given: { authorization: 'sbx.abc.xyz' }, want: { authorization: 'sbx.abc.xyA' } }],
    ['a value ending in A', { given: { Authorization: 'Basic QUJDA' }, want: { Authorization: 'Basic QUJDB' } }],
    // A hex signature compared case-insensitively must still be wrong: 'a' does not become 'A'.
    [
      'a hex signature ending in a',
      { given: { 'x-api-authorization': 'IWS k:0fa' }, want: { 'x-api-authorization': 'IWS k:0fB' } },
    ],
    ['other headers untouched', { given: { 'content-md5': 'abc' }, want: { 'content-md5': 'abc' } }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(tamper(given, names)).toEqual(want);
  });

  it('changes a credential even to a case-insensitive comparison, whatever its last character', () => {
    for (const last of '0123456789abcdefABCDEF') {
      const value = `IWS key:0123${last}`;
      const got = tamper({ 'x-api-authorization': value }, names)['x-api-authorization'] ?? '';
      expect(got.toLowerCase()).not.toBe(value.toLowerCase());
      expect(got).toHaveLength(value.length);
    }
  });
});

describe('credentialHeaders', () => {
  it.each([
    ['odyssee', ['authorization']],
    ['ivvy', ['x-api-authorization']],
    ['r7-office', ['cookie', 'authorization']],
  ])('names the headers %s credentials travel in, from its security schemes', async (vendor, want) => {
    expect(credentialHeaders(await loadSpec(vendor))).toEqual(want);
  });
});
