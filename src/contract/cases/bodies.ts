/** The valid JSON body a negative case starts from, and whose samples stand in for an operation without one. */
import {
  isRef,
  type Located,
  listOperations,
  mediaExamples,
  type OpenApiDocument,
  requestMedia,
  requestSchemaPointer,
  resolvePointer,
  type Sample,
} from '../../spec/index.ts';
import { isObject } from './schemas.ts';

type Body = Record<string, unknown>;

/** A valid JSON body for an operation: its first accepted sample, else the first named example of its body. */
function baseBody(doc: OpenApiDocument, located: Located, name: string, samples: Sample[]): Body | undefined {
  const sample = samples.find(
    (s) =>
      s.manifest.operation === name &&
      s.manifest.side === 'request' &&
      s.format === 'json' &&
      s.manifest.expect?.outcome === 'accepted',
  );
  if (sample) return JSON.parse(sample.bytes.toString('utf8')) as Body;
  const examples = mediaExamples(doc, requestMedia(doc, located, 'application/json'));
  const named = Object.entries(examples).find(([n]) => n.startsWith(`${name}-`));
  return named && isObject(named[1]) ? named[1] : undefined;
}

/** Where a request schema pointer lands once its `$ref`s are followed: two operations sharing a schema land alike. */
function schemaTarget(doc: OpenApiDocument, pointer: string): string {
  let current = pointer;
  for (let node = resolvePointer(doc, current), hops = 0; isRef(node) && hops < 32; hops++) {
    current = node.$ref;
    node = resolvePointer(doc, current);
  }
  return current;
}

/** Another operation of the same method and JSON request schema that has a valid body of its own. */
function sharedSchemaSource(
  doc: OpenApiDocument,
  located: Located,
  name: string,
  pointer: string,
  samples: Sample[],
): { name: string; body: Body } | undefined {
  const target = schemaTarget(doc, pointer);
  for (const entry of listOperations(doc)) {
    if (entry.operationId === name || entry.method !== located.entry.method) continue;
    const other = requestSchemaPointer(doc, { entry }, 'application/json');
    if (!other || schemaTarget(doc, other) !== target) continue;
    const body = baseBody(doc, { entry }, entry.operationId, samples);
    if (body) return { name: entry.operationId, body };
  }
  return undefined;
}

/**
 * The operation whose samples and examples stand in for `name`'s: itself, or, when it has no valid JSON body of its
 * own, the other operation with the same JSON request schema that has one (R7-Office's updateTaskXml takes
 * updateTask's body). Its name also picks the sample whose path parameters are replayed.
 */
export function bodySource(
  doc: OpenApiDocument,
  located: Located,
  name: string,
  samples: Sample[],
): { name: string; body?: Body } {
  const own = baseBody(doc, located, name, samples);
  const pointer = requestSchemaPointer(doc, located, 'application/json');
  if (own || !pointer || located.action) return { name, body: own };
  return sharedSchemaSource(doc, located, name, pointer, samples) ?? { name };
}
