import { bundle, loadConfig } from '@redocly/openapi-core';
import { redoclyConfigPath } from './paths.ts';
import type { OpenApiDocument, RefObject } from './types.ts';
import { type Vendor, vendor, vendors } from './vendors.ts';

const cache = new Map<string, Promise<OpenApiDocument>>();

/**
 * The vendor's spec as one document: every file `$ref` is inlined (samples from mocks/ included), internal
 * `#/components/...` refs are kept, so recursive schemas (a job's `_parent_job`) stay finite. The root is the
 * `apis:` entry of redocly.yaml named after the vendor, or `root` (a vendor whose spec lives elsewhere).
 */
export function loadSpec(name: string, root?: string): Promise<OpenApiDocument> {
  const key = root ?? name;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = bundleSpec(root ? { name, root } : vendor(name));
    cache.set(key, loaded);
  }
  return loaded;
}

export async function loadAllSpecs(): Promise<Map<string, OpenApiDocument>> {
  const docs = await Promise.all(vendors.map(async (v) => [v.name, await loadSpec(v.name)] as const));
  return new Map(docs);
}

async function bundleSpec(v: Vendor): Promise<OpenApiDocument> {
  const config = await loadConfig({ configPath: redoclyConfigPath });
  const result = await bundle({ ref: v.root, config });
  const errors = result.problems.filter(
    (p) => p.message.includes("Can't resolve $ref") || p.ruleId === 'no-unresolved-refs',
  );
  if (errors.length > 0) {
    throw new Error(`${v.name}: ${errors.map((p) => p.message).join('; ')}`);
  }
  return result.bundle.parsed as OpenApiDocument;
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
