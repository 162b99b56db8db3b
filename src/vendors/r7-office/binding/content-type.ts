/**
 * System.Net.Mime.ContentType's reading of a Content-Type header (Mono 6.8): `type/subtype` as RFC 2045 tokens (the
 * letter case kept: the vendor compares the media type case-sensitively), then `; name=value` parameters, a value a
 * token or a quoted string. Anything else is "The specified content type is invalid." (a FormatException); a
 * parameter given twice, the dictionary's ArgumentException.
 */
import { argumentException, formatException } from '../dotnet/exception.ts';

export interface ContentType {
  mediaType: string;
  parameters: Map<string, string>;
}

/** RFC 2045 token characters: printable ASCII but space and the tspecials `()<>@,;:\"/[]?=`. */
const TOKEN = /[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]/;

export function parseContentType(header: string): ContentType {
  const invalid = () => formatException('The specified content type is invalid.');
  let i = 0;
  const token = (): string => {
    const start = i;
    while (i < header.length && TOKEN.test(header[i] as string)) i++;
    if (i === start) throw invalid();
    return header.slice(start, i);
  };
  const ws = () => {
    while (header[i] === ' ' || header[i] === '\t') i++;
  };
  const type = token();
  if (header[i] !== '/') throw invalid();
  i++;
  const subtype = token();
  const parameters = new Map<string, string>();
  while (true) {
    ws();
    if (i >= header.length) break;
    if (header[i] !== ';') throw invalid();
    i++;
    ws();
    if (i >= header.length) break;
    const name = token().toLowerCase();
    if (header[i] !== '=') throw invalid();
    i++;
    let value: string;
    if (header[i] === '"') {
      const close = header.indexOf('"', i + 1);
      if (close < 0) throw invalid();
      value = header.slice(i + 1, close);
      i = close + 1;
    } else value = token();
    if (parameters.has(name)) {
      throw argumentException(`Item has already been added. Key in dictionary: '${name}'  Key being added: '${name}'`);
    }
    parameters.set(name, value);
  }
  return { mediaType: `${type}/${subtype}`, parameters };
}
