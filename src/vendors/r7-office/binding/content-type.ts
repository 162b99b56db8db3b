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

const invalid = () => formatException('The specified content type is invalid.');

/** A position in the header being read. */
class HeaderReader {
  private i = 0;
  private readonly header: string;

  constructor(header: string) {
    this.header = header;
  }

  get done(): boolean {
    return this.i >= this.header.length;
  }

  /** One RFC 2045 token, at least one character. */
  token(): string {
    const start = this.i;
    while (this.i < this.header.length && TOKEN.test(this.header[this.i] as string)) this.i++;
    if (this.i === start) throw invalid();
    return this.header.slice(start, this.i);
  }

  skipWhitespace(): void {
    while (this.header[this.i] === ' ' || this.header[this.i] === '\t') this.i++;
  }

  expect(char: string): void {
    if (this.header[this.i] !== char) throw invalid();
    this.i++;
  }

  /** A parameter's value: a quoted string (its text as is) or a token. */
  value(): string {
    if (this.header[this.i] !== '"') return this.token();
    const close = this.header.indexOf('"', this.i + 1);
    if (close < 0) throw invalid();
    const value = this.header.slice(this.i + 1, close);
    this.i = close + 1;
    return value;
  }
}

/** The next `; name=value` (the name in lower case), or undefined at the end of the header. */
function nextParameter(reader: HeaderReader): [string, string] | undefined {
  reader.skipWhitespace();
  if (reader.done) return undefined;
  reader.expect(';');
  reader.skipWhitespace();
  if (reader.done) return undefined;
  const name = reader.token().toLowerCase();
  reader.expect('=');
  return [name, reader.value()];
}

export function parseContentType(header: string): ContentType {
  const reader = new HeaderReader(header);
  const type = reader.token();
  reader.expect('/');
  const subtype = reader.token();
  const parameters = new Map<string, string>();
  // Each parameter read consumes at least its `;`: the loop ends with the header.
  for (let parameter = nextParameter(reader); parameter; parameter = nextParameter(reader)) {
    const [name, value] = parameter;
    if (parameters.has(name)) {
      throw argumentException(`Item has already been added. Key in dictionary: '${name}'  Key being added: '${name}'`);
    }
    parameters.set(name, value);
  }
  return { mediaType: `${type}/${subtype}`, parameters };
}
