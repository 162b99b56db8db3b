import type { OpenApiDocument } from '../../spec/index.ts';

/**
 * What iVvy's code reads from its spec, read from the document the pipeline loaded (handlers get it as `ctx.doc`)
 * once per document: the module loads no spec of its own.
 */
export function perDocument<T>(read: (doc: OpenApiDocument) => T): (doc: OpenApiDocument) => T {
  const cache = new WeakMap<OpenApiDocument, T>();
  return (doc) => {
    const known = cache.get(doc);
    if (known !== undefined) return known;
    const value = read(doc);
    cache.set(doc, value);
    return value;
  };
}
