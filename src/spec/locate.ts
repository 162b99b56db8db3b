import { deref, isRef } from './load.ts';
import { listActions, listOperations, type OperationEntry } from './operations.ts';
import type { ActionObject, MediaTypeObject, OpenApiDocument, RequestBodyObject, ResponseObject } from './types.ts';
import { pointerSegment } from './validator.ts';

/** An operation by operationId, or an `x-actions` entry by action name (iVvy). */
export interface Located {
  entry: OperationEntry;
  action?: { name: string; object: ActionObject };
}

/** Lookups by document: a loaded spec does not change, and a lookup walks every path (tens of µs per call). */
const located = new WeakMap<OpenApiDocument, Map<string, Located | undefined>>();

export function findOperation(doc: OpenApiDocument, name: string): Located | undefined {
  let byName = located.get(doc);
  if (!byName) {
    byName = new Map();
    located.set(doc, byName);
  }
  if (byName.has(name)) return byName.get(name);
  const found = lookUp(doc, name);
  byName.set(name, found);
  return found;
}

function lookUp(doc: OpenApiDocument, name: string): Located | undefined {
  for (const entry of listOperations(doc)) {
    if (entry.operationId === name) return { entry };
    for (const [action, object] of listActions(entry.operation)) {
      if (action === name) return { entry, action: { name: action, object } };
    }
  }
  return undefined;
}

export function operationPointer(entry: OperationEntry): string {
  return `#/paths/${pointerSegment(entry.path)}/${entry.method}`;
}

/** Follows a `$ref` at `pointer` (if any) and returns the pointer of what it lands on. */
function follow(doc: OpenApiDocument, pointer: string, node: unknown): { pointer: string; node: unknown } {
  let current = { pointer, node };
  while (isRef(current.node)) current = { pointer: current.node.$ref, node: deref(doc, current.node) };
  return current;
}

/** JSON pointer of the request body schema for a media type (the action's own body for an `x-actions` entry). */
export function requestSchemaPointer(doc: OpenApiDocument, located: Located, mediaType: string): string | undefined {
  const base = operationPointer(located.entry);
  if (located.action)
    return follow(
      doc,
      `${base}/x-actions/${pointerSegment(located.action.name)}/requestBody`,
      located.action.object.requestBody,
    ).pointer;
  const body = follow(doc, `${base}/requestBody`, located.entry.operation.requestBody);
  const content = (body.node as RequestBodyObject | undefined)?.content;
  if (!content?.[mediaType]) return undefined;
  return `${body.pointer}/content/${pointerSegment(mediaType)}/schema`;
}

/** The response object for a status (refs followed) with its pointer; an action's own responses first. */
export function response(
  doc: OpenApiDocument,
  located: Located,
  status: string,
): { pointer: string; response: ResponseObject } | undefined {
  const base = operationPointer(located.entry);
  const candidates: [string, unknown][] = [];
  if (located.action)
    candidates.push([
      `${base}/x-actions/${pointerSegment(located.action.name)}/responses/${status}`,
      located.action.object.responses?.[status],
    ]);
  candidates.push([`${base}/responses/${status}`, located.entry.operation.responses[status]]);
  for (const [pointer, node] of candidates) {
    if (node === undefined) continue;
    const found = follow(doc, pointer, node);
    return { pointer: found.pointer, response: found.node as ResponseObject };
  }
  return undefined;
}

export function responseSchemaPointer(
  doc: OpenApiDocument,
  located: Located,
  status: string,
  mediaType: string,
): string | undefined {
  const found = response(doc, located, status);
  if (!found?.response.content?.[mediaType]) return undefined;
  return `${found.pointer}/content/${pointerSegment(mediaType)}/schema`;
}

/** The 2xx statuses an operation (or action) documents, lowest first. */
export function successStatuses(located: Located): string[] {
  const keys = new Set([
    ...Object.keys(located.action?.object.responses ?? {}),
    ...Object.keys(located.entry.operation.responses),
  ]);
  return [...keys].filter((s) => /^2\d\d$/.test(s)).sort();
}

/** The named examples of a media type on the operation's request body or on one of its responses. */
export function mediaExamples(doc: OpenApiDocument, media: MediaTypeObject | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, example] of Object.entries(media?.examples ?? {}))
    out[name] = deref<{ value?: unknown }>(doc, example).value;
  return out;
}

export function requestMedia(doc: OpenApiDocument, located: Located, mediaType: string): MediaTypeObject | undefined {
  const body = located.entry.operation.requestBody;
  return body ? deref<RequestBodyObject>(doc, body).content[mediaType] : undefined;
}
