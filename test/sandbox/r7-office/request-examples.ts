/**
 * The R7-Office spec's named request examples as requests: each example of each request media type, sent to its
 * operation's path with the path parameter's own example. Used to check that every request example's same-named
 * response example is what the sandbox answers (examples.test.ts).
 */
import {
  deref,
  listOperations,
  type OpenApiDocument,
  type ParameterObject,
  type RequestBodyObject,
} from '../../../src/spec/index.ts';

export interface ExampleRequest {
  operation: string;
  name: string;
  method: string;
  path: string;
  contentType: string;
  body: string;
}

function encode(mediaType: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (mediaType === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(Object.entries(value as Record<string, string>)).toString();
  }
  return JSON.stringify(value);
}

export function exampleRequests(doc: OpenApiDocument): ExampleRequest[] {
  const out: ExampleRequest[] = [];
  for (const entry of listOperations(doc)) {
    const body = entry.operation.requestBody ? deref<RequestBodyObject>(doc, entry.operation.requestBody) : undefined;
    const path = entry.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const p = entry.parameters.find((x): x is ParameterObject => x.in === 'path' && x.name === name);
      return String((p as { example?: unknown } | undefined)?.example ?? '');
    });
    for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
      for (const [name, raw] of Object.entries(media.examples ?? {})) {
        const value = deref<{ value?: unknown }>(doc, raw).value;
        out.push({
          operation: entry.operationId,
          name,
          method: entry.method.toUpperCase(),
          path,
          contentType: mediaType,
          body: encode(mediaType, value),
        });
      }
    }
  }
  return out;
}

/** Every named response example of an operation: name → status, media type, value. */
export function responseExamples(
  doc: OpenApiDocument,
  operationId: string,
): Map<string, { status: string; mediaType: string; value: unknown }> {
  const out = new Map<string, { status: string; mediaType: string; value: unknown }>();
  const entry = listOperations(doc).find((e) => e.operationId === operationId);
  for (const [status, raw] of Object.entries(entry?.operation.responses ?? {})) {
    const response = deref<{ content?: Record<string, { examples?: Record<string, unknown> }> }>(doc, raw as never);
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        out.set(name, { status, mediaType, value: deref<{ value?: unknown }>(doc, example as never).value });
      }
    }
  }
  return out;
}

/** Every named response example of an operation, one entry per media type: name, status, media type, value. */
export function responseExampleList(
  doc: OpenApiDocument,
  operationId: string,
): { name: string; status: string; mediaType: string; value: unknown }[] {
  const out: { name: string; status: string; mediaType: string; value: unknown }[] = [];
  const entry = listOperations(doc).find((e) => e.operationId === operationId);
  for (const [status, raw] of Object.entries(entry?.operation.responses ?? {})) {
    const response = deref<{ content?: Record<string, { examples?: Record<string, unknown> }> }>(doc, raw as never);
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        out.push({ name, status, mediaType, value: deref<{ value?: unknown }>(doc, example as never).value });
      }
    }
  }
  return out;
}
