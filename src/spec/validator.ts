import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchema, OpenApiDocument } from './types.ts';

/** OpenAPI's own schema keywords, which JSON Schema 2020-12 does not know: annotations for AJV, nothing to check. */
const openApiKeywords = ['example', 'xml', 'discriminator', 'externalDocs'];

/**
 * One AJV instance per spec, strict mode on: the whole bundled document is registered under `$id` = vendor name, so
 * every schema is compiled by reference (`<vendor>#/components/schemas/Task`) and recursive schemas just work.
 */
export class SpecValidator {
  readonly ajv: Ajv2020;
  readonly id: string;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(id: string, doc: OpenApiDocument, options: { coerceTypes?: boolean } = {}) {
    this.id = id;
    this.ajv = new Ajv2020({
      strict: true,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
      allErrors: true,
      coerceTypes: options.coerceTypes ?? false,
      useDefaults: false,
      validateFormats: true,
    });
    addFormats.default(this.ajv);
    for (const keyword of openApiKeywords) this.ajv.addKeyword({ keyword });
    // Vendor extensions (`x-choice`, `x-enumNames`, …) are annotations.
    this.ajv.removeKeyword('$comment');
    this.ajv.addKeyword({ keyword: '$comment' });
    for (const keyword of collectExtensionKeywords(doc)) this.ajv.addKeyword({ keyword });
    // The registered document's root holds schemas at `components` and `paths`: containers, not keywords.
    for (const keyword of ['components', 'paths']) this.ajv.addKeyword({ keyword });
    this.ajv.addSchema({ ...stripNonSchemaRoot(doc), $id: id } as object);
  }

  /** A validator for the schema at `pointer` (a JSON pointer into the bundled document, `#/...`). */
  at(pointer: string): ValidateFunction {
    let fn = this.#cache.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${this.id}${pointer}` });
      this.#cache.set(pointer, fn);
    }
    return fn;
  }

  /** A validator for an inline schema that may `$ref` into the document (`#/components/...` refs are rebased). */
  compile(schema: JsonSchema): ValidateFunction {
    return this.ajv.compile(rebase(schema, this.id) as object);
  }
}

function collectExtensionKeywords(doc: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('x-')) found.add(k);
      walk(v);
    }
  };
  walk(doc);
  return found;
}

/** AJV must not read the root's `openapi`/`info`/… as schema keywords; keep only what holds schemas. */
function stripNonSchemaRoot(doc: OpenApiDocument): Record<string, unknown> {
  return { components: doc.components ?? {}, paths: doc.paths };
}

function rebase(node: unknown, id: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rebase(n, id));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${id}${v}` : rebase(v, id);
  }
  return out;
}

/** A JSON pointer segment for a key such as `/api/Task({id})`. */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
