/**
 * The XML tree XmlNodeConverter builds (xml-node-converter.ts) as the vendor's binder reads it, and the
 * XmlNamespaceManager it keeps while building it.
 */

export interface XText {
  kind: 'text';
  text: string;
}

export interface XElement {
  kind: 'element';
  namespace: string;
  name: string;
  attributes: string[];
  children: XNode[];
}

/** What an element holds: child elements, text (counts towards Value) and nodes Value ignores (comments, PIs). */
export type XNode = XElement | XText | { kind: 'other' };

export const JSON_NAMESPACE = 'http://james.newtonking.com/projects/json';

/** XmlNamespaceManager: scopes of prefix → namespace. */
export class Namespaces {
  readonly #scopes: Map<string, string>[] = [
    new Map([
      ['xml', 'http://www.w3.org/XML/1998/namespace'],
      ['xmlns', 'http://www.w3.org/2000/xmlns/'],
      ['', ''],
    ]),
  ];

  lookupNamespace(prefix: string): string | undefined {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const found = this.#scopes[i]?.get(prefix);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  lookupPrefix(uri: string): string | undefined {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      for (const [prefix, value] of this.#scopes[i] ?? []) if (value === uri) return prefix;
    }
    return undefined;
  }

  get defaultNamespace(): string {
    return this.lookupNamespace('') ?? '';
  }

  add(prefix: string, uri: string): void {
    this.#scopes.at(-1)?.set(prefix, uri);
  }

  removeDefault(): void {
    this.#scopes.at(-1)?.delete('');
  }

  push(): void {
    this.#scopes.push(new Map());
  }

  pop(): void {
    this.#scopes.pop();
  }
}

/** MiscellaneousUtils.GetPrefix: the part before the first colon, unless the colon is first or last. */
export function prefixOf(name: string): string | undefined {
  const colon = name.indexOf(':');
  return colon <= 0 || colon === name.length - 1 ? undefined : name.slice(0, colon);
}
