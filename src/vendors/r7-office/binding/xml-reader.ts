/**
 * `XDocument.Load(new StreamReader(body))` as the vendor's binder runs it for a `text/xml` body
 * (module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs, GetRequestParams), reduced to what binding reads: the root
 * element's tree, text with line ends normalised, white-space-only text dropped (LoadOptions.None). Malformed XML
 * throws System.Xml's XmlException with its message and position (texts as Mono 6.8 gives them; the common
 * failures, not every one of XmlTextReaderImpl's). A document type declaration is refused: the sandbox does not
 * expand entities (a choice, see the spec's x-errors `malformed-xml`). Names, references and errors: xml-cursor.ts.
 */
import type { XElement, XNode } from '../jsonnet/xml-tree.ts';
import { hex2, isWs, isXmlChar, rootMissing, XmlCursor } from './xml-cursor.ts';

export { XmlReadError } from './xml-cursor.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

type Scope = Map<string, string>;

/** An element whose end tag is still to come, with the namespace scopes its content sees. */
interface OpenElement {
  element: XElement;
  name: string;
  at: number;
  scopes: Scope[];
}

/** An element's content as it is read: the elements open, innermost last, and the character data since the last markup. */
interface Content {
  open: OpenElement[];
  text: string;
  /** Whether the text was white space only as written (a reference is not): such text is dropped. */
  rawOnlyWs: boolean;
}

/** A prefixed attribute name and where it is, for its prefix to be checked once the tag's declarations are known. */
interface Prefixed {
  prefix: string;
  at: number;
}

/** A namespace declaration (`xmlns`, `xmlns:p`) goes into the scope; any other attribute's prefix is returned. */
function declare(scope: Scope, name: string, value: string): string | undefined {
  if (name === 'xmlns') scope.set('', value);
  else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
  else if (name.includes(':')) return name.slice(0, name.indexOf(':'));
  return undefined;
}

class Parser extends XmlCursor {
  /** A start tag's attributes up to its `>` or `/`: namespace declarations into `scope`, the prefixed names. */
  #attributes(scope: Scope): { prefixedAt: Prefixed[] } {
    const seen = new Set<string>();
    const prefixedAt: Prefixed[] = [];
    // Each attribute read consumes its name: the loop ends with the text.
    while (true) {
      const before = this.i;
      this.skipWs();
      const c = this.s[this.i];
      if (c === undefined) this.eof('Name');
      if (c === '>' || c === '/') return { prefixedAt };
      if (this.i === before) this.fail(`'${c}' is an unexpected token. The expected token is '>'.`);
      const { name, at } = this.name();
      if (seen.has(name)) this.fail(`'${name}' is a duplicate attribute name.`, at);
      seen.add(name);
      const value = this.#attributeValue();
      const prefixed = declare(scope, name, value);
      if (prefixed !== undefined) prefixedAt.push({ prefix: prefixed, at });
    }
  }

  /** `= "value"` after an attribute's name: the value, references resolved. */
  #attributeValue(): string {
    this.skipWs();
    this.expect('=');
    this.skipWs();
    const quote = this.s[this.i];
    if (quote !== '"' && quote !== "'") {
      if (quote === undefined) this.eof('Name');
      this.fail(`'${quote}' is an unexpected token. The expected token is '"' or '''.`);
    }
    this.i++;
    let value = '';
    while (this.s[this.i] !== quote) {
      const ch = this.s[this.i];
      if (ch === undefined) this.fail('There is an unclosed literal string.', this.s.length);
      if (ch === '<') this.fail(`'<', hexadecimal value 0x3C, is an invalid attribute character.`);
      if (ch === '&') value += this.reference();
      else {
        value += ch;
        this.i++;
      }
    }
    this.i++;
    return value;
  }

  #lookup(scopes: Scope[], prefix: string): string | undefined {
    if (prefix === 'xml') return XML_NS;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = scopes[i]?.get(prefix);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** A start tag from its `<`: the element (not yet attached), whether it is empty (`/>`), and where its name is. */
  #startTag(scopes: Scope[]): { element: XElement; empty: boolean; at: number; name: string; scope: Scope } {
    this.i++;
    const { name, at } = this.name();
    const scope: Scope = new Map();
    const { prefixedAt } = this.#attributes(scope);
    const inner = [...scopes, scope];
    const colon = name.indexOf(':');
    const prefix = colon > 0 ? name.slice(0, colon) : '';
    const ns = this.#lookup(inner, prefix);
    if (ns === undefined) this.fail(`'${prefix}' is an undeclared prefix.`, at);
    for (const p of prefixedAt)
      if (this.#lookup(inner, p.prefix) === undefined) this.fail(`'${p.prefix}' is an undeclared prefix.`, p.at);
    const element: XElement = {
      kind: 'element',
      namespace: ns,
      name: colon > 0 ? name.slice(colon + 1) : name,
      attributes: [],
      children: [],
    };
    const empty = this.s[this.i] === '/';
    if (empty) {
      this.i++;
      this.expect('>');
    } else this.i++;
    return { element, empty, at, name, scope };
  }

  /**
   * An element from its `<` to its end tag, iteratively (a document may nest deeper than any call stack): content
   * as text, CDATA, comments, processing instructions and child elements.
   */
  #element(rootScope: Scope): XElement {
    const first = this.#startTag([rootScope]);
    if (first.empty) return first.element;
    const content: Content = {
      open: [{ element: first.element, name: first.name, at: first.at, scopes: [rootScope, first.scope] }],
      text: '',
      rawOnlyWs: true,
    };
    while (content.open.length > 0) {
      const c = this.s[this.i];
      if (c === undefined) this.#unclosed(content.open);
      if (c === '<') this.#markup(content);
      else if (c === '&') {
        content.text += this.reference();
        content.rawOnlyWs = false;
      } else this.#charData(content, c);
    }
    return first.element;
  }

  #unclosed(open: readonly OpenElement[]): never {
    const names = [...open]
      .reverse()
      .map((o) => o.name)
      .join(', ');
    this.fail(`Unexpected end of file has occurred. The following elements are not closed: ${names}.`, this.s.length);
  }

  /** The character data gathered, as a text child of the innermost open element unless it is white space only. */
  #flush(content: Content): void {
    const current = content.open.at(-1);
    if (current && content.text !== '' && !content.rawOnlyWs)
      current.element.children.push({ kind: 'text', text: content.text });
    content.text = '';
    content.rawOnlyWs = true;
  }

  /** Markup inside an element, from its `<`: an end tag, a comment, CDATA, a processing instruction or a child. */
  #markup(content: Content): void {
    const current = content.open.at(-1) as OpenElement;
    const next = this.s[this.i + 1];
    if (next === '!' && !this.s.startsWith('<!--', this.i) && !this.s.startsWith('<![CDATA[', this.i)) {
      this.i += 2;
      this.fail(`'${this.s[this.i] ?? ''}' is an unexpected token. The expected token is '--' or '[CDATA['.`);
    }
    this.#flush(content);
    if (next === '/') this.#endTag(content.open);
    else if (this.s.startsWith('<!--', this.i)) {
      this.#comment();
      current.element.children.push({ kind: 'other' });
    } else if (this.s.startsWith('<![CDATA[', this.i)) current.element.children.push(this.#cdata());
    else if (next === '?') {
      this.#pi(false);
      current.element.children.push({ kind: 'other' });
    } else this.#child(current, content.open);
  }

  /** An end tag from its `<`: it closes the innermost open element, by the same name. */
  #endTag(open: OpenElement[]): void {
    const current = open.at(-1) as OpenElement;
    this.i += 2;
    const { name, at } = this.name();
    if (this.i >= this.s.length) this.#unclosed(open);
    if (current.name !== name) {
      const { line, column } = this.where(current.at);
      this.fail(
        `The '${current.name}' start tag on line ${line} position ${column} does not match the end tag of '${name}'.`,
        at,
      );
    }
    this.skipWs();
    this.expect('>');
    open.pop();
  }

  /** `<![CDATA[…]]>`: its text, line ends normalised. */
  #cdata(): XNode {
    const end = this.s.indexOf(']]>', this.i + 9);
    if (end < 0) this.fail('Unexpected end of file while parsing CDATA has occurred.', this.s.length);
    const text = normalise(this.s.slice(this.i + 9, end));
    this.i = end + 3;
    return { kind: 'text', text };
  }

  /** A child element's start tag: attached to its parent, and open unless it is empty. */
  #child(parent: OpenElement, open: OpenElement[]): void {
    const child = this.#startTag(parent.scopes);
    parent.element.children.push(child.element);
    if (child.empty) return;
    open.push({
      element: child.element,
      name: child.name,
      at: child.at,
      scopes: child.scope.size > 0 ? [...parent.scopes, child.scope] : parent.scopes,
    });
  }

  /** One character of character data: a character XML allows, not `]]>`; `\r\n` and `\r` read as `\n`. */
  #charData(content: Content, c: string): void {
    if (c === ']' && this.s.startsWith(']]>', this.i)) this.fail("']]>' is not allowed in character data.");
    const code = c.charCodeAt(0);
    if (!isXmlChar(code)) this.fail(`'${c}', hexadecimal value 0x${hex2(code)}, is an invalid character.`);
    if (c === '\r') {
      content.text += '\n';
      this.i += this.s[this.i + 1] === '\n' ? 2 : 1;
      return;
    }
    if (!isWs(c)) content.rawOnlyWs = false;
    content.text += c;
    this.i++;
  }

  #comment(): void {
    const end = this.s.indexOf('-->', this.i + 4);
    if (end < 0) this.fail('Unexpected end of file while parsing Comment has occurred.', this.s.length);
    this.i = end + 3;
  }

  #pi(atStart: boolean): void {
    this.i += 2;
    const { name, at } = this.name();
    if (name.toLowerCase() === 'xml' && !atStart) {
      this.fail(
        'Unexpected XML declaration. The XML declaration must be the first node in the document, and no white space characters are allowed to appear before it.',
        at,
      );
    }
    const end = this.s.indexOf('?>', this.i);
    if (end < 0) this.fail('Unexpected end of file while parsing PI has occurred.', this.s.length);
    this.i = end + 2;
  }

  document(): XElement {
    const s = this.s;
    if (s.trim() === '') throw rootMissing();
    if (s.length < 4) this.fail('Data at the root level is invalid.', 0);
    let root: XElement | undefined;
    let first = true;
    while (this.i < s.length) {
      const c = s[this.i];
      if (isWs(c)) this.i++;
      else if (c !== '<') this.fail('Data at the root level is invalid.');
      else root = this.#rootLevel(root, first);
      first = false;
    }
    if (!root) throw rootMissing();
    return root;
  }

  /**
   * Markup outside the root element, from its `<`: the XML declaration (first only), processing instructions,
   * comments, and the root element once; the root read so far.
   */
  #rootLevel(root: XElement | undefined, first: boolean): XElement | undefined {
    const s = this.s;
    if (s.startsWith('<?', this.i)) this.#pi(first);
    else if (s.startsWith('<!--', this.i)) this.#comment();
    else if (s.startsWith('<!DOCTYPE', this.i)) {
      if (root) this.fail('DTD must be defined before the document root element.');
      this.fail(
        'For security reasons DTD is prohibited in this XML document. To enable DTD processing set the DtdProcessing property on XmlReaderSettings to Parse.',
      );
    } else if (s[this.i + 1] === '/') {
      this.i += 2;
      this.fail('Unexpected end tag.');
    } else {
      if (root) this.fail('There are multiple root elements.', this.i + 1);
      return this.#element(new Map([['', '']]));
    }
    return root;
  }
}

const normalise = (text: string) => text.replace(/\r\n?/g, '\n');

/** The document's root element, or the XmlException the vendor's server would throw. */
export function loadXml(text: string): XElement {
  return new Parser(text).document();
}

export type { XNode };
