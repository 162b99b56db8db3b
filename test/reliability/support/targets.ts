/**
 * Every operation of every vendor (each iVvy action on its own) as something to send requests to: its method, its
 * path with valid parameters, the media types its body takes, and valid bodies to start from. All of it is read
 * from the specs and the samples in mocks/ (the valid bases: accepted samples first, then the spec's named
 * examples), so a new operation or sample is fuzzed without touching these tests.
 */
import {
  deref,
  findOperation,
  type Located,
  listOperations,
  listSamples,
  loadSpec,
  mediaExamples,
  type OpenApiDocument,
  type RequestBodyObject,
  requestMedia,
  requestSchemaPointer,
  resolvePointer,
  type Sample,
  vendors,
} from '../../../src/spec/index.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { withQuery } from './client.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface XmlBase {
  mediaType: string;
  /** The root element the schema names (`task_activity_log`). */
  root: string;
  /** The document as a tree of elements (what src/xml/parse.ts reads), to mutate and write back with toXml. */
  value: JsonObject;
}

export interface Target {
  vendor: string;
  /** The operationId, or the iVvy action: what the answers are checked against. */
  operation: string;
  method: string;
  /** The vendor's path template (`/api/Task({id})`) and valid values of its parameters. */
  template: string;
  params: Record<string, string>;
  query: [string, string][];
  /** The template filled in, with the query: a path every partner may call. */
  path: string;
  /** Media types the body may have; empty when the operation takes no body. */
  mediaTypes: string[];
  json: JsonObject[];
  xml: XmlBase[];
  /** Every property name the request schema knows, at any depth: keys worth putting in fuzzed bodies. */
  fields: string[];
  /** Whether the operation needs credentials (R7-Office's sign-in does not). */
  secured: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Property names of a schema, following $ref, allOf/anyOf/oneOf, items and properties, to a bounded depth. */
function propertyNames(doc: OpenApiDocument, schema: unknown, depth = 0, out = new Set<string>()): Set<string> {
  const s = deref<unknown>(doc, schema as Record<string, unknown>);
  if (!isObject(s) || depth > 6) return out;
  if (isObject(s.properties)) {
    for (const [name, child] of Object.entries(s.properties)) {
      out.add(name);
      propertyNames(doc, child, depth + 1, out);
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = s[key];
    if (Array.isArray(list)) for (const branch of list) propertyNames(doc, branch, depth + 1, out);
  }
  if (s.items) propertyNames(doc, s.items, depth + 1, out);
  return out;
}

const schemaAt = (doc: OpenApiDocument, pointer: string | undefined): Record<string, unknown> | undefined =>
  pointer ? deref<Record<string, unknown>>(doc, resolvePointer(doc, pointer) as Record<string, unknown>) : undefined;

/**
 * Valid path parameters: a sample's `replay.path` for an operation at this path or one it extends, else the
 * parameter's own example (the spec's path parameter examples are ids the sandbox data holds).
 */
function pathParams(template: string, names: string[], samples: Sample[], doc: OpenApiDocument) {
  const params: Record<string, string> = {};
  const entry = listOperations(doc).find((e) => e.path === template);
  for (const name of names) {
    const replay =
      samples
        .filter((s) => {
          const at = findOperation(doc, s.manifest.operation)?.entry.path;
          return at !== undefined && template.startsWith(at);
        })
        .map((s) => s.manifest.replay?.path?.[name])
        .find((v) => v !== undefined) ??
      (entry?.parameters.find((p) => p.in === 'path' && p.name === name)?.schema as { example?: unknown } | undefined)
        ?.example;
    if (replay === undefined) throw new Error(`${template}: no sample or example names a value of {${name}}`);
    params[name] = String(replay);
  }
  return params;
}

function jsonBases(doc: OpenApiDocument, located: Located, name: string, samples: Sample[]): JsonObject[] {
  const accepted = samples.filter(
    (s) => s.manifest.operation === name && s.format === 'json' && s.manifest.expect?.outcome !== 'rejected',
  );
  const rejectedExamples = new Set(
    samples.filter((s) => s.manifest.expect?.outcome === 'rejected').map((s) => s.manifest.example),
  );
  const fromSamples = accepted.map((s) => JSON.parse(s.bytes.toString('utf8')) as JsonObject);
  const fromExamples = Object.entries(mediaExamples(doc, requestMedia(doc, located, 'application/json')))
    .filter(([example, value]) => example.startsWith(`${name}-`) && !rejectedExamples.has(example) && isObject(value))
    .map(([, value]) => value as JsonObject);
  const seen = new Set<string>();
  return [...fromSamples, ...fromExamples].filter((b) => !seen.has(JSON.stringify(b)) && seen.add(JSON.stringify(b)));
}

/**
 * The XML bases of an operation: its accepted XML samples, and for every XML media type the JSON bases written as
 * XML under the schema's root element.
 */
function xmlBases(
  doc: OpenApiDocument,
  located: Located,
  name: string,
  samples: Sample[],
  mediaTypes: string[],
  json: JsonObject[],
): XmlBase[] {
  const xml: XmlBase[] = [];
  for (const sample of samples.filter((s) => s.manifest.operation === name && s.format === 'xml')) {
    if (sample.manifest.expect?.outcome === 'rejected') continue;
    const parsed = parseXml(sample.bytes.toString('utf8'));
    xml.push({ mediaType: sample.manifest.mediaType, root: parsed.root, value: parsed.value as JsonObject });
  }
  for (const mediaType of mediaTypes.filter((m) => /[/+]xml$/.test(m))) {
    const root = (schemaAt(doc, requestSchemaPointer(doc, located, mediaType))?.xml as { name?: string })?.name;
    if (root) for (const value of json) xml.push({ mediaType, root, value });
  }
  return xml;
}

/** An operation without bases of its own borrows those of one with the same request schema (R7's `.xml` twins). */
function borrowTwinBases(targets: Target[], schemas: Map<Target, unknown>): void {
  for (const target of targets.filter((t) => t.mediaTypes.length > 0 && t.json.length === 0)) {
    const schema = JSON.stringify(schemas.get(target));
    const twin = targets.find((t) => t.json.length > 0 && JSON.stringify(schemas.get(t)) === schema);
    target.json = twin?.json ?? [{}];
  }
}

type Entry = ReturnType<typeof listOperations>[number];

/** The targets of one path and method: its operation, or each of its actions (iVvy), with their JSON schemas. */
function targetsOfEntry(
  vendor: string,
  doc: OpenApiDocument,
  entry: Entry,
  samples: Sample[],
): { target: Target; jsonSchema: unknown }[] {
  const actions = Object.keys(entry.operation['x-actions'] ?? {});
  const requestBody = entry.operation.requestBody
    ? deref<RequestBodyObject>(doc, entry.operation.requestBody)
    : undefined;
  const mediaTypes = Object.keys(requestBody?.content ?? {});
  const paramNames = entry.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const params = pathParams(entry.path, paramNames, samples, doc);
  const filled = entry.path.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeURIComponent(params[n] as string));
  return (actions.length > 0 ? actions : [entry.operationId]).map((name) => {
    const located = findOperation(doc, name) as Located;
    const query: [string, string][] = actions.length > 0 ? [['action', name]] : [];
    const jsonSchema = schemaAt(doc, requestSchemaPointer(doc, located, 'application/json'));
    const json = mediaTypes.includes('application/json') ? jsonBases(doc, located, name, samples) : [];
    const xml = xmlBases(doc, located, name, samples, mediaTypes, json);
    const target: Target = {
      vendor,
      operation: name,
      method: entry.method.toUpperCase(),
      template: entry.path,
      params,
      query,
      path: withQuery(filled, query),
      mediaTypes,
      json,
      xml,
      fields: [...propertyNames(doc, jsonSchema)],
      secured: (entry.operation.security ?? doc.security ?? []).some((r) => Object.keys(r).length > 0),
    };
    return { target, jsonSchema };
  });
}

async function targetsOf(vendor: string): Promise<Target[]> {
  const doc = await loadSpec(vendor);
  const samples = listSamples().filter((s) => s.vendor === vendor && s.manifest.side === 'request');
  const found = listOperations(doc).flatMap((entry) => targetsOfEntry(vendor, doc, entry, samples));
  const targets = found.map((f) => f.target);
  borrowTwinBases(targets, new Map(found.map((f) => [f.target, f.jsonSchema])));
  return targets;
}

/** Every operation (and iVvy action) of every vendor. */
export async function allTargets(): Promise<Target[]> {
  return (await Promise.all(vendors.map((v) => targetsOf(v.name)))).flat();
}
