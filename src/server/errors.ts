import type { ErrorEntry, OpenApiDocument } from '../spec/index.ts';

/** One failing field or fact behind an error: `target` is the field's path (`subject`, `project.name`). */
export interface ErrorDetail {
  target?: string;
  /** Where in the request the target is, when a schema check found it. */
  part?: 'body' | 'path' | 'query' | 'header';
  message: string;
  /** The `x-rules` id of the rule the detail breaks, when the raiser knows it (a vendor may render it). */
  rule?: string;
  /** For a schema failure: the JSON Schema keyword that failed (`required`, `maxLength`, `anyOf`, …). */
  keyword?: string;
  /** For a failed "Optionally required" group (`anyOf`): the fields of the group. */
  group?: string[];
}

/**
 * The only way the sandbox raises an error: by its key in the vendor's `x-errors` catalogue (specs/README.md).
 * The vendor module turns the catalogue entry and the details into the vendor's own error body.
 */
export class VendorError extends Error {
  override name = 'VendorError';
  readonly key: string;
  readonly details: readonly ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(key: string, details: readonly ErrorDetail[] = [], headers: Record<string, string> = {}) {
    super(details.map((d) => (d.target ? `${d.target}: ${d.message}` : d.message)).join('; ') || key);
    this.key = key;
    this.details = details;
    this.headers = headers;
  }
}

export interface CatalogueEntry extends ErrorEntry {
  key: string;
}

/** The `x-errors` catalogue of a spec; an unknown key is a programming error, caught by the catalogue test. */
export class ErrorCatalogue {
  readonly #entries: Map<string, CatalogueEntry>;

  constructor(doc: OpenApiDocument) {
    const entries = doc['x-errors'];
    if (!entries) throw new Error(`${doc.info.title}: the spec has no x-errors catalogue`);
    this.#entries = new Map(Object.entries(entries).map(([key, e]) => [key, { ...e, key }]));
  }

  get(key: string): CatalogueEntry {
    const entry = this.#entries.get(key);
    if (!entry) throw new Error(`error key ${key} is not in the x-errors catalogue`);
    return entry;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }
}
