/**
 * Which validators `npm run generate` compiles ahead of time for a spec: what the sandbox, the mock and the contract
 * suite ask `SpecValidator` for, read from the spec alone, never from the code that asks. A validator asked for
 * outside this plan is compiled by Ajv on first use, as before. In two parts, two files, so that a server that only
 * checks requests loads only the first:
 *
 * - requests (src/generated/<vendor>.validators.cjs): strict (JSON as sent), every schema of `components.schemas`
 *   (what the sandbox data is checked against) and every request body schema of every operation and `x-actions`
 *   entry; coercing (types read from text, as XML and parameters are), the XML request bodies' schemas and each
 *   operation's path, query and header parameters as one object schema each (`parameterSchema`);
 * - responses (src/generated/<vendor>.response-validators.cjs): every response body schema, strict, and coercing
 *   for XML ones: what the mock checks a generated answer against, and the contract suite every answer.
 */

import { deref } from './load.ts';
import { findOperation, type Located, requestSchemaPointer, responseSchemaPointer } from './locate.ts';
import { listActions, listOperations, type OperationEntry } from './operations.ts';
import type { JsonSchema, OpenApiDocument, ParameterObject, RequestBodyObject, ResponseObject } from './types.ts';
import { inlineKey, pointerSegment } from './validator.ts';

/** Validators of one part: JSON pointers into the bundled document, and inline schemas (`SpecValidator.compile`). */
export interface PlanPart {
  strict: string[];
  coercing: string[];
  coercingInline: JsonSchema[];
}

export interface ValidatorPlan {
  requests: PlanPart;
  responses: PlanPart;
}

const isXml = (mediaType: string) => /[/+]xml$/.test(mediaType);

/**
 * The schema of an operation's parameters of one kind (`path`, `query`, `header`) as one object: each parameter a
 * property (header names lower-cased, as Node gives them), the required ones (every path parameter) required.
 */
export function parameterSchema(params: readonly ParameterObject[], where: ParameterObject['in']): JsonSchema {
  const selected = params.filter((p) => p.in === where);
  const key = (p: ParameterObject) => (where === 'header' ? p.name.toLowerCase() : p.name);
  return {
    type: 'object',
    properties: Object.fromEntries(selected.map((p) => [key(p), p.schema ?? {}])),
    required: selected.filter((p) => p.required || where === 'path').map(key),
  };
}

/** The pointers of one part as it is collected: every body schema strict, an XML one also coercing. */
interface Pointers {
  strict: Set<string>;
  coercing: Set<string>;
}

const pointers = (): Pointers => ({ strict: new Set<string>(), coercing: new Set<string>() });

function addBody(into: Pointers, pointer: string | undefined, mediaType: string): void {
  if (!pointer) return;
  into.strict.add(pointer);
  if (isXml(mediaType)) into.coercing.add(pointer);
}

/** The operation itself and each of its `x-actions`, located. */
function locatedOf(doc: OpenApiDocument, entry: OperationEntry): Located[] {
  return [{ entry }, ...listActions(entry.operation).map(([name]) => findOperation(doc, name) as Located)];
}

/** The request body schema of each media type the operation reads, as the action (or else the operation) has it. */
function addRequestBodies(doc: OpenApiDocument, entry: OperationEntry, at: Located, into: Pointers): void {
  const requestBody = entry.operation.requestBody
    ? deref<RequestBodyObject>(doc, entry.operation.requestBody)
    : undefined;
  for (const mediaType of Object.keys(requestBody?.content ?? {}))
    addBody(
      into,
      requestSchemaPointer(doc, at, mediaType) ?? requestSchemaPointer(doc, { entry }, mediaType),
      mediaType,
    );
}

/** The response body schema of each status and media type, the action's response over the operation's. */
function addResponseBodies(doc: OpenApiDocument, entry: OperationEntry, at: Located, into: Pointers): void {
  const { operation } = entry;
  const statuses = new Set([...Object.keys(operation.responses), ...Object.keys(at.action?.object.responses ?? {})]);
  for (const status of statuses) {
    const own = at.action?.object.responses?.[status] ?? operation.responses[status];
    const response = own ? deref<ResponseObject>(doc, own) : undefined;
    for (const mediaType of Object.keys(response?.content ?? {}))
      addBody(into, responseSchemaPointer(doc, at, status, mediaType), mediaType);
  }
}

export function validatorPlan(doc: OpenApiDocument): ValidatorPlan {
  const requests = pointers();
  const responses = pointers();
  const inline = new Map<string, JsonSchema>();
  for (const name of Object.keys(doc.components?.schemas ?? {}))
    requests.strict.add(`#/components/schemas/${pointerSegment(name)}`);
  for (const entry of listOperations(doc)) {
    for (const at of locatedOf(doc, entry)) {
      addRequestBodies(doc, entry, at, requests);
      addResponseBodies(doc, entry, at, responses);
    }
    for (const where of ['path', 'query', 'header'] as const) {
      const schema = parameterSchema(entry.parameters, where);
      inline.set(inlineKey(schema), schema);
    }
  }
  const sorted = (set: Set<string>, but: Set<string> = new Set()) => [...set].filter((p) => !but.has(p)).sort();
  return {
    requests: {
      strict: sorted(requests.strict),
      coercing: sorted(requests.coercing),
      coercingInline: [...inline.values()],
    },
    // A schema that is both (a component a response names directly) is in the requests part only.
    responses: {
      strict: sorted(responses.strict, requests.strict),
      coercing: sorted(responses.coercing, requests.coercing),
      coercingInline: [],
    },
  };
}
