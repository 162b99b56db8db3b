/**
 * The lexical layer of the `text/xml` reader (xml-reader.ts): a position in the text, names, white space, character
 * and entity references, and System.Xml's XmlException with the line and position Mono 6.8 reports.
 */
import { DotNetException, HRESULT } from '../dotnet/exception.ts';

const START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const isNameStart = (c: string | undefined) => c !== undefined && new RegExp(`^[${START}:]$`).test(c);
const isNameChar = (c: string | undefined) =>
  c !== undefined && new RegExp(`^[${START}:\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]$`).test(c);
export const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
export const isXmlChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0xd800 && code <= 0xdfff);
export const hex2 = (code: number) => code.toString(16).toUpperCase().padStart(2, '0');

/** The predefined entities: the only ones a document without a DTD may name. */
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlReadError extends DotNetException {}

/** Root element is missing: the one XmlException without a position. */
export const rootMissing = () => new XmlReadError('System.Xml.XmlException', 'Root element is missing.', HRESULT.xml);

export class XmlCursor {
  protected readonly s: string;
  protected i = 0;

  constructor(text: string) {
    this.s = text;
  }

  protected fail(message: string, at = this.i): never {
    const { line, column } = this.where(at);
    throw new XmlReadError('System.Xml.XmlException', `${message} Line ${line}, position ${column}.`, HRESULT.xml);
  }

  protected where(at: number): { line: number; column: number } {
    let line = 1;
    let start = 0;
    for (let i = 0; i < at && i < this.s.length; i++) {
      const c = this.s[i];
      if (c === '\n' || (c === '\r' && this.s[i + 1] !== '\n')) {
        line++;
        start = i + 1;
      }
    }
    return { line, column: at - start + 1 };
  }

  protected eof(what: string): never {
    return this.fail(`Unexpected end of file while parsing ${what} has occurred.`, this.s.length);
  }

  protected name(what = 'Name'): { name: string; at: number } {
    const at = this.i;
    const c = this.s[at];
    if (c === undefined) this.eof(what);
    if (!isNameStart(c)) {
      this.fail(`Name cannot begin with the '${c}' character, hexadecimal value 0x${hex2(c.charCodeAt(0))}.`);
    }
    this.i++;
    while (isNameChar(this.s[this.i])) this.i++;
    return { name: this.s.slice(at, this.i), at };
  }

  protected skipWs(): void {
    while (isWs(this.s[this.i])) this.i++;
  }

  /** The character expected here, stepped over; else "unexpected token", or the end of file while parsing `what`. */
  protected expect(expected: string, what = 'Name'): void {
    const got = this.s[this.i];
    if (got !== expected) {
      if (got === undefined) this.eof(what);
      this.fail(`'${got}' is an unexpected token. The expected token is '${expected}'.`);
    }
    this.i++;
  }

  /** A reference from its `&`: the character it names. */
  protected reference(): string {
    this.i++;
    return this.s[this.i] === '#' ? this.charReference() : this.entityReference();
  }

  /** `&#…;` or `&#x…;` from its `#`: digits, `;`, a character XML allows. */
  private charReference(): string {
    this.i++;
    const hexForm = this.s[this.i] === 'x';
    if (hexForm) this.i++;
    const digitsAt = this.i;
    const pattern = hexForm ? /[0-9A-Fa-f]/ : /[0-9]/;
    while (pattern.test(this.s[this.i] ?? '')) this.i++;
    if (this.i === digitsAt || this.s[this.i] !== ';') {
      this.fail(`Invalid syntax for a ${hexForm ? 'hexadecimal' : 'decimal'} numeric entity reference.`, digitsAt);
    }
    const code = Number.parseInt(this.s.slice(digitsAt, this.i), hexForm ? 16 : 10);
    this.i++;
    if (!isXmlChar(code) || code > 0x10ffff) {
      this.fail(`'.', hexadecimal value 0x${hex2(code)}, is an invalid character.`, digitsAt);
    }
    return String.fromCodePoint(code);
  }

  /** `&name;` after its `&`: one of the predefined entities. */
  private entityReference(): string {
    const nameAt = this.i;
    if (!isNameStart(this.s[this.i])) this.fail('An error occurred while parsing EntityName.', nameAt);
    while (isNameChar(this.s[this.i])) this.i++;
    const name = this.s.slice(nameAt, this.i);
    this.expect(';', 'EntityName');
    const value = PREDEFINED[name];
    if (value === undefined) this.fail(`Reference to undeclared entity '${name}'.`, nameAt);
    return value;
  }
}
