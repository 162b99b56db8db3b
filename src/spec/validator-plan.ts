/**
 * Which validators `npm run generate` compiles ahead of time for a spec (src/generated/<vendor>.validators.cjs):
 * what the sandbox, the mock and the contract suite ask `SpecValidator` for, read from the spec alone, never from
 * the code that asks. A validator asked for outside this plan is compiled by Ajv on first use, as before.
 *
 * - strict (JSON as sent): every schema of `components.schemas`, and the body schema of every request and response
 *   of every operation and `x-actions` entry, in every media type;
 * - coercing (types read from text, as XML and parameters are): the XML bodies' schemas, and each operation's path,
 *   query and header parameters as one object schema each (`parameterSchema`).
 */

import { deref } from './load.ts';
import { findOperation, type Located, requestSchemaPointer, responseSchemaPointer } from './locate.ts';
import { listActions, listOperations } from './operations.ts';
import type { JsonSchema, OpenApiDocument, ParameterObject, RequestBodyObject, ResponseObject } from './types.ts';
import { inlineKey, pointerSegment } from './validator.ts';

export interface ValidatorPlan {
  /** JSON pointers into the bundled document. */
  strict: string[];
  coercing: string[];
  /** Inline schemas the coercing validator compiles (`SpecValidator.compile`). */
  coercingInline: JsonSchema[];
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
  const strict = new Set<string>();
  const coercing = new Set<string>();
  const inline = new Map<string, JsonSchema>();
  const body = (pointer: string | undefined, mediaType: string) => {
    if (!pointer) return;
    strict.add(pointer);
    if (isXml(mediaType)) coercing.add(pointer);
  };
  for (const name of Object.keys(doc.components?.schemas ?? {}))
    strict.add(`#/components/schemas/${pointerSegment(name)}`);
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
        body(requestSchemaPointer(doc, at, mediaType) ?? requestSchemaPointer(doc, { entry }, mediaType), mediaType);
      const statuses = new Set([
        ...Object.keys(entry.operation.responses),
        ...Object.keys(at.action?.object.responses ?? {}),
      ]);
      for (const status of statuses) {
        const own = at.action?.object.responses?.[status] ?? entry.operation.responses[status];
        const response = own ? deref<ResponseObject>(doc, own) : undefined;
        for (const mediaType of Object.keys(response?.content ?? {}))
          body(responseSchemaPointer(doc, at, status, mediaType), mediaType);
      }
    }
    for (const where of ['path', 'query', 'header'] as const) {
      const schema = parameterSchema(entry.parameters, where);
      inline.set(inlineKey(schema), schema);
    }
  }
  return { strict: [...strict].sort(), coercing: [...coercing].sort(), coercingInline: [...inline.values()] };
}
