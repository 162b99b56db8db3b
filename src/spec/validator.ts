import { createRequire } from 'node:module';
import type { Ajv2020, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { generatedVendorOf, precompiledValidator } from './generated.ts';
import type { JsonSchema, OpenApiDocument } from './types.ts';

/** OpenAPI's own schema keywords, which JSON Schema 2020-12 does not know: annotations for AJV, nothing to check. */
const openApiKeywords = ['example', 'xml', 'discriminator', 'externalDocs'];

const require = createRequire(import.meta.url);

/**
 * The AJV instance a spec's validators are compiled with, strict mode on: the whole bundled document is registered
 * under `$id` = `id`, so every schema is compiled by reference (`<vendor>#/components/schemas/Task`) and recursive
 * schemas just work. `npm run generate` compiles with the same instance (`code.source` on) to write the standalone
 * validators. AJV is loaded here, on first use: a process whose validators are all precompiled never loads its
 * compiler.
 */
export function createAjv(
  id: string,
  doc: OpenApiDocument,
  options: { coerceTypes?: boolean; code?: Options['code'] } = {},
): Ajv2020 {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats');
  const ajv = new Ajv2020({
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allErrors: true,
    coerceTypes: options.coerceTypes ?? false,
    useDefaults: false,
    validateFormats: true,
    ...(options.code ? { code: options.code } : {}),
  });
  addFormats.default(ajv);
  for (const keyword of openApiKeywords) ajv.addKeyword({ keyword });
  // Vendor extensions (`x-choice`, `x-enumNames`, …) are annotations.
  ajv.removeKeyword('$comment');
  ajv.addKeyword({ keyword: '$comment' });
  for (const keyword of collectExtensionKeywords(doc)) ajv.addKeyword({ keyword });
  // The registered document's root holds schemas at `components` and `paths`: containers, not keywords.
  for (const keyword of ['components', 'paths']) ajv.addKeyword({ keyword });
  ajv.addSchema({ ...stripNonSchemaRoot(doc), $id: id } as object);
  return ajv;
}

/**
 * A spec's validators, by JSON pointer (`at`) or inline schema (`compile`). For a document read from a current
 * generated bundle and `id` its vendor's name, they are the precompiled ones (src/spec/generated.ts) wherever the
 * generator's plan has them (validator-plan.ts); anything else is compiled by AJV on first use, exactly as the
 * generator compiles it (`createAjv`).
 */
export class SpecValidator {
  readonly id: string;
  readonly #doc: OpenApiDocument;
  readonly #coerceTypes: boolean;
  readonly #cache = new Map<string, ValidateFunction>();
  #ajv: Ajv2020 | undefined;
  #generated: boolean | undefined;

  constructor(id: string, doc: OpenApiDocument, options: { coerceTypes?: boolean } = {}) {
    this.id = id;
    this.#doc = doc;
    this.#coerceTypes = options.coerceTypes ?? false;
  }

  /** The AJV instance, created on first use. */
  get ajv(): Ajv2020 {
    this.#ajv ??= createAjv(this.id, this.#doc, { coerceTypes: this.#coerceTypes });
    return this.#ajv;
  }

  /** The precompiled validator for a key, when this document and id have them. */
  #precompiled(key: string): ValidateFunction | undefined {
    this.#generated ??= generatedVendorOf(this.#doc) === this.id;
    return this.#generated ? (precompiledValidator(this.#doc, this.#coerceTypes, key) as ValidateFunction) : undefined;
  }

  /** A validator for the schema at `pointer` (a JSON pointer into the bundled document, `#/...`). */
  at(pointer: string): ValidateFunction {
    let fn = this.#cache.get(pointer);
    if (!fn) {
      fn = this.#precompiled(pointer) ?? this.ajv.compile({ $ref: `${this.id}${pointer}` });
      this.#cache.set(pointer, fn);
    }
    return fn;
  }

  /** A validator for an inline schema that may `$ref` into the document (`#/components/...` refs are rebased). */
  compile(schema: JsonSchema): ValidateFunction {
    return this.#precompiled(inlineKey(schema)) ?? this.ajv.compile(rebase(schema, this.id) as object);
  }
}

/** The key an inline schema's precompiled validator is exported under: its JSON text. */
export const inlineKey = (schema: JsonSchema): string => `inline:${JSON.stringify(schema)}`;

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

/** A schema whose internal refs (`#/components/...`) point into the document registered under `id`. */
export function rebase(node: unknown, id: string): unknown {
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
