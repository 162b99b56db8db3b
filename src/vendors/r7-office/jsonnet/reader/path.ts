/** JsonPosition.BuildPath: where a reader is, as Json.NET writes it in its messages (`a.b[0]['c d']`). */
import type { Position } from './json-reader.ts';

/** Characters after which a property name is written `['…']` in a path (JsonPosition.SpecialCharacters). */
const SPECIAL = /[.\s[\]()'"]/;

export function buildPath(positions: readonly Position[]): string {
  let path = '';
  for (const p of positions) {
    if (p.type === 'Object') {
      const name = p.propertyName ?? '';
      if (SPECIAL.test(name)) path += `['${escapeSingleQuoted(name)}']`;
      else path += path.length > 0 ? `.${name}` : name;
    } else if (p.type === 'Array' || p.type === 'Constructor') path += `[${p.position}]`;
  }
  return path;
}

function escapeSingleQuoted(name: string): string {
  // JavaScriptUtils.WriteEscapedJavaScriptString with the single-quote flags.
  const named: Record<string, string> = {
    '\\': '\\\\',
    "'": "\\'",
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\b': '\\b',
    '\f': '\\f',
    '\u0085': '\\u0085',
    '\u2028': '\\u2028',
    '\u2029': '\\u2029',
  };
  let out = '';
  for (const c of name) {
    const code = c.charCodeAt(0);
    out += named[c] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return out;
}
