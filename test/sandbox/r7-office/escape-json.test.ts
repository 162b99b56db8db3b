/**
 * JsonStringConverter.GetEscapedJsonString (the sandbox's writer.ts) against its definition, character by character:
 * `/`, `"` and `\` escaped with a backslash, control characters, surrogates, U+FFFE and U+FFFF as `\uxxxx`, the rest
 * as it is. The writer returns text with nothing to escape as it is; this holds it to the definition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeJsonString } from '../../../src/vendors/r7-office/writer.ts';

function byDefinition(text: string): string {
  let out = '"';
  for (const ch of text.split('')) {
    const code = ch.charCodeAt(0);
    if (ch === '/' || ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

describe('a JSON string as the vendor writes it', () => {
  it('escapes exactly the characters JsonStringConverter escapes', () => {
    const units = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ maxLength: 12 }),
      fc
        .array(
          fc.constantFrom(
            'a',
            'é',
            '/',
            '"',
            '\\',
            '\n',
            '\u0000',
            '\u001f',
            '\ud83d',
            '\ude00',
            '\ufffe',
            '\uffff',
            '\ufffd',
          ),
          { maxLength: 8 },
        )
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(units, (text) => {
        expect(escapeJsonString(text)).toBe(byDefinition(text));
      }),
      { numRuns: 5_000 },
    );
    expect(escapeJsonString('a/b')).toBe('"a\\/b"');
  });
});
