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
import { listActions, listOperations } from './operations.ts';
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

export function validatorPlan(doc: OpenApiDocument): ValidatorPlan {
  const part = () => ({ strict: new Set<string>(), coercing: new Set<string>() });
  const requests = part();
  const responses = part();
  const inline = new Map<string, JsonSchema>();
  const body = (into: ReturnType<typeof part>, pointer: string | undefined, mediaType: string) => {
    if (!pointer) return;
    into.strict.add(pointer);
    if (isXml(mediaType)) into.coercing.add(pointer);
  };
  for (const name of Object.keys(doc.components?.schemas ?? {}))
    requests.strict.add(`#/components/schemas/${pointerSegment(name)}`);
  for (const entry of listOperations(doc)) {
    const located: Located[] = [
      { entry },
      ...listActions(entry.operation).map(([name]) => findOperation(doc, name) as Located),
    ];
    const requestBody = entry.operation.requestBody
      ? deref<RequestBodyObject>(doc, entry.operation.requestBody)
      : undefined;
    for (const at of located) {
      for (const mediaType of Object.keys(requestBody?.content ?? {}))
        body(
          requests,
          requestSchemaPointer(doc, at, mediaType) ?? requestSchemaPointer(doc, { entry }, mediaType),
          mediaType,
        );
      const statuses = new Set([
        ...Object.keys(entry.operation.responses),
        ...Object.keys(at.action?.object.responses ?? {}),
      ]);
      for (const status of statuses) {
        const own = at.action?.object.responses?.[status] ?? entry.operation.responses[status];
        const response = own ? deref<ResponseObject>(doc, own) : undefined;
        for (const mediaType of Object.keys(response?.content ?? {}))
          body(responses, responseSchemaPointer(doc, at, status, mediaType), mediaType);
      }
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
