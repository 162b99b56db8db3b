import { bundleSpec } from './bundle.ts';
import { readGeneratedBundle } from './generated.ts';
import type { OpenApiDocument, RefObject } from './types.ts';
import { type Vendor, vendor, vendors } from './vendors.ts';

const cache = new Map<string, Promise<OpenApiDocument>>();

/**
 * The vendor's spec as one document: every file `$ref` is inlined (samples from mocks/ included), internal
 * `#/components/...` refs are kept, so recursive schemas (a job's `_parent_job`) stay finite. For a vendor of
 * redocly.yaml (`apis:`), the bundle `npm run generate` wrote to src/generated/ while it is current (generated.ts);
 * otherwise, and for a vendor whose spec lives elsewhere (`root`), the spec bundled now with Redocly (bundle.ts).
 */
export function loadSpec(name: string, root?: string): Promise<OpenApiDocument> {
  const key = root ?? name;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = root ? bundled({ name, root }) : fromGenerated(vendor(name));
    cache.set(key, loaded);
  }
  return loaded;
}

export async function loadAllSpecs(): Promise<Map<string, OpenApiDocument>> {
  const docs = await Promise.all(vendors.map(async (v) => [v.name, await loadSpec(v.name)] as const));
  return new Map(docs);
}

async function fromGenerated(v: Vendor): Promise<OpenApiDocument> {
  return readGeneratedBundle(v.name) ?? bundled(v);
}

async function bundled(v: Vendor): Promise<OpenApiDocument> {
  return (await bundleSpec(v.name, v.root)).doc;
}

export function isRef(value: unknown): value is RefObject {
  return typeof value === 'object' && value !== null && typeof (value as RefObject).$ref === 'string';
}

/** Follows an internal `#/...` ref (repeatedly) inside a bundled document. */
export function deref<T>(doc: OpenApiDocument, value: T | RefObject): T {
  let current: unknown = value;
  for (let hops = 0; isRef(current); hops++) {
    if (hops > 32) throw new Error(`ref cycle at ${current.$ref}`);
    current = resolvePointer(doc, current.$ref);
  }
  return current as T;
}

export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new Error(`not an internal ref: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    if (raw === '' && ref.length <= 2) break;
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null || !(key in node)) throw new Error(`unresolved ref ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
