/**
 * `XDocument.Load(new StreamReader(body))` as the vendor's binder runs it for a `text/xml` body
 * (module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs, GetRequestParams), reduced to what binding reads: the root
 * element's tree, text with line ends normalised, white-space-only text dropped (LoadOptions.None). Malformed XML
 * throws System.Xml's XmlException with its message and position (texts as Mono 6.8 gives them; the common
 * failures, not every one of XmlTextReaderImpl's). A document type declaration is refused: the sandbox does not
 * expand entities (a choice, see the spec's x-errors `malformed-xml`).
 */
import { DotNetException, HRESULT } from '../dotnet/exception.ts';
import type { XElement, XNode } from '../jsonnet/xml-node-converter.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const isNameStart = (c: string | undefined) => c !== undefined && new RegExp(`^[${START}:]$`).test(c);
const isNameChar = (c: string | undefined) =>
  c !== undefined && new RegExp(`^[${START}:\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]$`).test(c);
const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isXmlChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0xd800 && code <= 0xdfff);
const hex2 = (code: number) => code.toString(16).toUpperCase().padStart(2, '0');

export class XmlReadError extends DotNetException {}

class Parser {
  readonly #s: string;
  #i = 0;

  constructor(text: string) {
    this.#s = text;
  }

  #fail(message: string, at = this.#i): never {
    const { line, column } = this.#where(at);
    throw new XmlReadError('System.Xml.XmlException', `${message} Line ${line}, position ${column}.`, HRESULT.xml);
  }

  #where(at: number): { line: number; column: number } {
    let line = 1;
    let start = 0;
    for (let i = 0; i < at && i < this.#s.length; i++) {
      const c = this.#s[i];
      if (c === '\n' || (c === '\r' && this.#s[i + 1] !== '\n')) {
        line++;
        start = i + 1;
      }
    }
    return { line, column: at - start + 1 };
  }

  #eof(what: string): never {
    return this.#fail(`Unexpected end of file while parsing ${what} has occurred.`, this.#s.length);
  }

  #name(what = 'Name'): { name: string; at: number } {
    const at = this.#i;
    const c = this.#s[at];
    if (c === undefined) this.#eof(what);
    if (!isNameStart(c)) {
      this.#fail(`Name cannot begin with the '${c}' character, hexadecimal value 0x${hex2(c.charCodeAt(0))}.`);
    }
    this.#i++;
    while (isNameChar(this.#s[this.#i])) this.#i++;
    return { name: this.#s.slice(at, this.#i), at };
  }

  #skipWs(): void {
    while (isWs(this.#s[this.#i])) this.#i++;
  }

  /** Text of character data up to `<`, entities and character references resolved, line ends normalised. */
  #reference(): string {
    const amp = this.#i;
    this.#i++;
    if (this.#s[this.#i] === '#') {
      this.#i++;
      const hexForm = this.#s[this.#i] === 'x';
      if (hexForm) this.#i++;
      const digitsAt = this.#i;
      const pattern = hexForm ? /[0-9A-Fa-f]/ : /[0-9]/;
      while (pattern.test(this.#s[this.#i] ?? '')) this.#i++;
      if (this.#i === digitsAt || this.#s[this.#i] !== ';') {
        this.#fail(`Invalid syntax for a ${hexForm ? 'hexadecimal' : 'decimal'} numeric entity reference.`, digitsAt);
      }
      const code = Number.parseInt(this.#s.slice(digitsAt, this.#i), hexForm ? 16 : 10);
      this.#i++;
      if (!isXmlChar(code) || code > 0x10ffff) {
        this.#fail(`'.', hexadecimal value 0x${hex2(code)}, is an invalid character.`, digitsAt);
      }
      return String.fromCodePoint(code);
    }
    const nameAt = this.#i;
    if (!isNameStart(this.#s[this.#i])) this.#fail('An error occurred while parsing EntityName.', nameAt);
    while (isNameChar(this.#s[this.#i])) this.#i++;
    const name = this.#s.slice(nameAt, this.#i);
    if (this.#s[this.#i] !== ';') {
      const got = this.#s[this.#i];
      if (got === undefined) this.#eof('EntityName');
      this.#fail(`'${got}' is an unexpected token. The expected token is ';'.`);
    }
    this.#i++;
    const known: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const value = known[name];
    if (value === undefined) this.#fail(`Reference to undeclared entity '${name}'.`, nameAt);
    void amp;
    return value;
  }

  #attributes(scope: Map<string, string>): { prefixedAt: { prefix: string; at: number }[] } {
    const seen = new Set<string>();
    const prefixedAt: { prefix: string; at: number }[] = [];
    while (true) {
      const before = this.#i;
      this.#skipWs();
      const c = this.#s[this.#i];
      if (c === undefined) this.#eof('Name');
      if (c === '>' || c === '/') return { prefixedAt };
      if (this.#i === before) this.#fail(`'${c}' is an unexpected token. The expected token is '>'.`);
      const { name, at } = this.#name();
      if (seen.has(name)) this.#fail(`'${name}' is a duplicate attribute name.`, at);
      seen.add(name);
      this.#skipWs();
      if (this.#s[this.#i] !== '=') {
        const got = this.#s[this.#i];
        if (got === undefined) this.#eof('Name');
        this.#fail(`'${got}' is an unexpected token. The expected token is '='.`);
      }
      this.#i++;
      this.#skipWs();
      const quote = this.#s[this.#i];
      if (quote !== '"' && quote !== "'") {
        if (quote === undefined) this.#eof('Name');
        this.#fail(`'${quote}' is an unexpected token. The expected token is '"' or '''.`);
      }
      this.#i++;
      let value = '';
      while (this.#s[this.#i] !== quote) {
        const ch = this.#s[this.#i];
        if (ch === undefined) this.#fail('There is an unclosed literal string.', this.#s.length);
        if (ch === '<') this.#fail(`'<', hexadecimal value 0x3C, is an invalid attribute character.`);
        if (ch === '&') value += this.#reference();
        else {
          value += ch;
          this.#i++;
        }
      }
      this.#i++;
      if (name === 'xmlns') scope.set('', value);
      else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
      else if (name.includes(':')) prefixedAt.push({ prefix: name.slice(0, name.indexOf(':')), at });
    }
  }

  #lookup(scopes: Map<string, string>[], prefix: string): string | undefined {
    if (prefix === 'xml') return XML_NS;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = scopes[i]?.get(prefix);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** A start tag from its `<`: the element (not yet attached), whether it is empty (`/>`), and where its name is. */
  #startTag(scopes: Map<string, string>[]): {
    element: XElement;
    empty: boolean;
    at: number;
    name: string;
    scope: Map<string, string>;
  } {
    this.#i++;
    const { name, at } = this.#name();
    const scope = new Map<string, string>();
    const { prefixedAt } = this.#attributes(scope);
    const inner = [...scopes, scope];
    const colon = name.indexOf(':');
    const prefix = colon > 0 ? name.slice(0, colon) : '';
    const ns = this.#lookup(inner, prefix);
    if (ns === undefined) this.#fail(`'${prefix}' is an undeclared prefix.`, at);
    for (const p of prefixedAt)
      if (this.#lookup(inner, p.prefix) === undefined) this.#fail(`'${p.prefix}' is an undeclared prefix.`, p.at);
    const element: XElement = {
      kind: 'element',
      namespace: ns,
      name: colon > 0 ? name.slice(colon + 1) : name,
      attributes: [],
      children: [],
    };
    if (this.#s[this.#i] === '/') {
      this.#i++;
      if (this.#s[this.#i] !== '>') {
        const got = this.#s[this.#i];
        if (got === undefined) this.#eof('Name');
        this.#fail(`'${got}' is an unexpected token. The expected token is '>'.`);
      }
      this.#i++;
      return { element, empty: true, at, name, scope };
    }
    this.#i++;
    return { element, empty: false, at, name, scope };
  }

  /**
   * An element from its `<` to its end tag, iteratively (a document may nest deeper than any call stack): content
   * as text, CDATA, comments, processing instructions and child elements.
   */
  #element(rootScope: Map<string, string>): XElement {
    const first = this.#startTag([rootScope]);
    if (first.empty) return first.element;
    const open: { element: XElement; name: string; at: number; scopes: Map<string, string>[] }[] = [
      { element: first.element, name: first.name, at: first.at, scopes: [rootScope, first.scope] },
    ];
    let text = '';
    let rawOnlyWs = true;
    const flush = () => {
      const current = open.at(-1);
      if (current && text !== '' && !rawOnlyWs) current.element.children.push({ kind: 'text', text });
      text = '';
      rawOnlyWs = true;
    };
    while (open.length > 0) {
      const current = open.at(-1) as (typeof open)[number];
      const c = this.#s[this.#i];
      if (c === undefined) {
        const names = [...open]
          .reverse()
          .map((o) => o.name)
          .join(', ');
        this.#fail(
          `Unexpected end of file has occurred. The following elements are not closed: ${names}.`,
          this.#s.length,
        );
      }
      if (c === '<') {
        const next = this.#s[this.#i + 1];
        if (next === '/') {
          flush();
          this.#i += 2;
          const { name, at } = this.#name();
          if (this.#i >= this.#s.length) {
            const names = [...open]
              .reverse()
              .map((o) => o.name)
              .join(', ');
            this.#fail(
              `Unexpected end of file has occurred. The following elements are not closed: ${names}.`,
              this.#s.length,
            );
          }
          if (current.name !== name) {
            const { line, column } = this.#where(current.at);
            this.#fail(
              `The '${current.name}' start tag on line ${line} position ${column} does not match the end tag of '${name}'.`,
              at,
            );
          }
          this.#skipWs();
          if (this.#s[this.#i] !== '>') {
            const got = this.#s[this.#i];
            if (got === undefined) this.#eof('Name');
            this.#fail(`'${got}' is an unexpected token. The expected token is '>'.`);
          }
          this.#i++;
          open.pop();
          continue;
        }
        if (this.#s.startsWith('<!--', this.#i)) {
          flush();
          this.#comment();
          current.element.children.push({ kind: 'other' });
          continue;
        }
        if (this.#s.startsWith('<![CDATA[', this.#i)) {
          flush();
          const end = this.#s.indexOf(']]>', this.#i + 9);
          if (end < 0) this.#fail('Unexpected end of file while parsing CDATA has occurred.', this.#s.length);
          current.element.children.push({ kind: 'text', text: normalise(this.#s.slice(this.#i + 9, end)) });
          this.#i = end + 3;
          continue;
        }
        if (next === '?') {
          flush();
          this.#pi(false);
          current.element.children.push({ kind: 'other' });
          continue;
        }
        if (next === '!') {
          this.#i += 2;
          this.#fail(`'${this.#s[this.#i] ?? ''}' is an unexpected token. The expected token is '--' or '[CDATA['.`);
        }
        flush();
        const child = this.#startTag(current.scopes);
        current.element.children.push(child.element);
        if (!child.empty) {
          open.push({
            element: child.element,
            name: child.name,
            at: child.at,
            scopes: child.scope.size > 0 ? [...current.scopes, child.scope] : current.scopes,
          });
        }
        continue;
      }
      if (c === '&') {
        text += this.#reference();
        rawOnlyWs = false;
        continue;
      }
      if (c === ']' && this.#s.startsWith(']]>', this.#i)) this.#fail("']]>' is not allowed in character data.");
      const code = c.charCodeAt(0);
      if (!isXmlChar(code)) this.#fail(`'${c}', hexadecimal value 0x${hex2(code)}, is an invalid character.`);
      if (c === '\r') {
        text += '\n';
        this.#i += this.#s[this.#i + 1] === '\n' ? 2 : 1;
        continue;
      }
      if (!isWs(c)) rawOnlyWs = false;
      text += c;
      this.#i++;
    }
    return first.element;
  }

  #comment(): void {
    const end = this.#s.indexOf('-->', this.#i + 4);
    if (end < 0) this.#fail('Unexpected end of file while parsing Comment has occurred.', this.#s.length);
    this.#i = end + 3;
  }

  #pi(atStart: boolean): void {
    this.#i += 2;
    const { name, at } = this.#name();
    if (name.toLowerCase() === 'xml' && !atStart) {
      this.#fail(
        'Unexpected XML declaration. The XML declaration must be the first node in the document, and no white space characters are allowed to appear before it.',
        at,
      );
    }
    const end = this.#s.indexOf('?>', this.#i);
    if (end < 0) this.#fail('Unexpected end of file while parsing PI has occurred.', this.#s.length);
    this.#i = end + 2;
  }

  document(): XElement {
    const s = this.#s;
    if (s.trim() === '') throw new XmlReadError('System.Xml.XmlException', 'Root element is missing.', HRESULT.xml);
    if (s.length < 4) this.#fail('Data at the root level is invalid.', 0);
    let root: XElement | undefined;
    let first = true;
    while (this.#i < s.length) {
      const c = s[this.#i];
      if (isWs(c)) {
        this.#i++;
        first = false;
        continue;
      }
      if (c !== '<') this.#fail('Data at the root level is invalid.');
      if (s.startsWith('<?', this.#i)) {
        this.#pi(first);
      } else if (s.startsWith('<!--', this.#i)) {
        this.#comment();
      } else if (s.startsWith('<!DOCTYPE', this.#i)) {
        if (root) this.#fail('DTD must be defined before the document root element.');
        this.#fail(
          'For security reasons DTD is prohibited in this XML document. To enable DTD processing set the DtdProcessing property on XmlReaderSettings to Parse.',
        );
      } else if (s[this.#i + 1] === '/') {
        this.#i += 2;
        this.#fail('Unexpected end tag.');
      } else {
        if (root) this.#fail('There are multiple root elements.', this.#i + 1);
        root = this.#element(new Map([['', '']]));
      }
      first = false;
    }
    if (!root) throw new XmlReadError('System.Xml.XmlException', 'Root element is missing.', HRESULT.xml);
    return root;
  }
}

const normalise = (text: string) => text.replace(/\r\n?/g, '\n');

/** The document's root element, or the XmlException the vendor's server would throw. */
export function loadXml(text: string): XElement {
  return new Parser(text).document();
}

export type { XNode };
