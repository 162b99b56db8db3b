/**
 * ASP.NET's query string and `application/x-www-form-urlencoded` decoding (System.Web HttpValueCollection
 * FillFromString / FillFromEncodedBytes, HttpUtility.UrlDecode): segments split on `&`, a segment without `=` a
 * value with a null name, `+` a space, `%XX` bytes and `%uXXXX` characters decoded, a malformed escape kept as it
 * is, a trailing `&` one more empty value.
 */
import type { TextDecoder } from 'node:util';
import { NameValueCollection } from './name-value-collection.ts';

const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** HttpUtility.UrlDecode(text, encoding). */
export function urlDecode(text: string, decoder: TextDecoder): string {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) {
      out += decoder.decode(new Uint8Array(bytes));
      bytes = [];
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '+') {
      flush();
      out += ' ';
      continue;
    }
    if (c === '%' && i + 2 < text.length + 0) {
      if (text[i + 1] === 'u' && i + 5 < text.length && [2, 3, 4, 5].every((k) => isHex(text[i + k]))) {
        flush();
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 5;
        continue;
      }
      if (isHex(text[i + 1]) && isHex(text[i + 2])) {
        bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
        continue;
      }
    }
    flush();
    out += c;
  }
  flush();
  return out;
}

/** HttpValueCollection.FillFromString(text, urlencoded: true, encoding). */
export function parseUrlEncoded(text: string, decoder: TextDecoder): NameValueCollection {
  const collection = new NameValueCollection();
  const l = text.length;
  let i = 0;
  while (i < l) {
    const si = i;
    const { ti, end } = scanPair(text, si);
    i = end;
    if (ti >= 0) collection.add(urlDecode(text.slice(si, ti), decoder), urlDecode(text.slice(ti + 1, i), decoder));
    else collection.add(null, urlDecode(text.slice(si, i), decoder));
    if (i === l - 1 && text[i] === '&') collection.add(null, '');
    i++;
  }
  return collection;
}

/** FillFromString's inner loop from `si`: the pair's first `=` (`ti`, -1 without one) and the `&` or end after it. */
function scanPair(text: string, si: number): { ti: number; end: number } {
  let ti = -1;
  let i = si;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '=') {
      if (ti < 0) ti = i;
    } else if (ch === '&') break;
    i++;
  }
  return { ti, end: i };
}
