/** Building a case's request: the vendor path with its parameters, the query, the content headers. */

import { isXmlMediaType } from '../../server/media-type.ts';
import type { JsonSchema } from '../../spec/index.ts';
import { isObject } from './schemas.ts';

/** The vendor path of an operation with its path parameters filled in. */
export function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(String(params[name] ?? `{${name}}`)),
  );
}

export function withQuery(path: string, query: Record<string, string> = {}): string {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
}

/** `content-type` and the `accept` that goes with it (XML asks for XML, anything else for JSON). */
export function contentHeaders(mediaType: string | undefined): Record<string, string> {
  return mediaType ? { 'content-type': mediaType, accept: acceptFor(mediaType) } : {};
}

const acceptFor = (mediaType: string) => (isXmlMediaType(mediaType) ? mediaType : 'application/json');

/** A plausible value for a parameter with no sample: its schema's example, else a typed placeholder. */
export function exampleOf(schema: JsonSchema | undefined, name: string): string | number {
  if (isObject(schema)) {
    if (schema.example !== undefined) return schema.example as string | number;
    if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0] as string | number;
    if (schema.format === 'uuid') return '00000000-0000-0000-0000-000000000001';
    if (schema.type === 'integer') return 1;
  }
  return name;
}
