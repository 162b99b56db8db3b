/**
 * The specs work where partners import them: each bundled spec (src/generated/<vendor>.openapi.json) converted with
 * openapi-to-postmanv2, what Postman's own import uses, gives a collection with every operation, each request
 * carrying an example: the first named request example of its body, and path parameters filled with their examples.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deref,
  listOperations,
  mediaExamples,
  type OpenApiDocument,
  type RequestBodyObject,
  repoRoot,
  vendors,
} from '../../src/spec/index.ts';

interface PostmanRequest {
  method: string;
  url: { path?: string[]; variable?: { key: string; value: string }[]; query?: { key: string; value: string }[] };
  header?: { key: string; value: string }[];
  body?: { mode?: string; raw?: string; urlencoded?: { key: string; value: string }[] };
}
interface PostmanItem {
  name: string;
  request?: PostmanRequest;
  item?: PostmanItem[];
}

type Converter = {
  convert: (
    input: { type: 'json'; data: unknown },
    options: Record<string, unknown>,
    done: (error: Error | null, result: { result: boolean; reason?: string; output: { data: Collection }[] }) => void,
  ) => void;
};
const converter = createRequire(import.meta.url)('openapi-to-postmanv2') as Converter;

interface Collection {
  item: PostmanItem[];
  /** Collection variables: Postman's home for a path parameter inside a segment (`Task({{id}})`), one per name. */
  variable?: { key: string; value: string }[];
}

function convert(doc: unknown): Promise<Collection> {
  return new Promise((resolve, reject) => {
    converter.convert(
      { type: 'json', data: doc },
      { requestParametersResolution: 'Example', exampleParametersResolution: 'Example', folderStrategy: 'Tags' },
      (error, result) => {
        if (error) reject(error);
        else if (!result.result) reject(new Error(result.reason));
        else resolve(result.output[0]?.data ?? { item: [] });
      },
    );
  });
}

type Operation = ReturnType<typeof listOperations>[number];

/** Each path parameter has an example, and the request (or the collection's variables) fills it with it. */
function expectPathParameters(op: Operation, request: PostmanRequest, collection: Collection): void {
  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    const example = (param as { example?: unknown }).example ?? (param.schema as { example?: unknown })?.example;
    expect(example, `${op.operationId}: path parameter ${param.name} has an example`).toBeDefined();
    const embedded = request.url.path?.some((segment) => segment.includes(`{{${param.name}}}`));
    const variables = embedded ? collection.variable : request.url.variable;
    const value = variables?.find((v) => v.key === param.name)?.value;
    expect(value, `${op.operationId}: ${param.name} is filled with its example`).toBe(String(example));
  }
}

/** Postman picks one of the body's media types (a form over JSON when both are there): its first example. */
function expectFirstBodyExample(
  doc: OpenApiDocument,
  op: Operation,
  body: RequestBodyObject,
  request: PostmanRequest,
): void {
  const sent = request.header?.find((h) => h.key.toLowerCase() === 'content-type')?.value ?? '';
  const media = body.content[sent];
  expect(media, `${op.operationId}: Postman sends a media type the spec documents (${sent})`).toBeDefined();
  const [first] = Object.values(mediaExamples(doc, media));
  expect(first, `${op.operationId}: its ${sent} body has a named example`).toBeDefined();
  if (request.body?.mode === 'urlencoded') {
    const fields = Object.fromEntries((request.body.urlencoded ?? []).map((f) => [f.key, f.value]));
    expect(fields, `${op.operationId}: the first ${sent} example`).toEqual(first);
    return;
  }
  const raw = request.body?.raw ?? '';
  expect(raw, `${op.operationId} carries a request body`).not.toBe('');
  if (sent.includes('json')) expect(JSON.parse(raw), `${op.operationId}: the first example`).toEqual(first);
  else expect(raw, `${op.operationId}: the first example`).toBe(first);
}

const leaves = (items: PostmanItem[]): PostmanItem[] => items.flatMap((i) => (i.item ? leaves(i.item) : [i]));

describe.each(vendors.map((v) => v.name))('%s imported as a Postman collection', (name) => {
  const doc = JSON.parse(
    readFileSync(join(repoRoot, 'src', 'generated', `${name}.openapi.json`), 'utf8'),
  ) as OpenApiDocument;

  it('has every operation, each request with its example', async () => {
    const collection = await convert(doc);
    const requests = leaves(collection.item);
    const operations = listOperations(doc);
    expect(requests.length).toBe(operations.length);
    for (const op of operations) {
      const found = requests.find(
        (r) => r.name === op.operation.summary && r.request?.method === op.method.toUpperCase(),
      );
      expect(found, `${op.operationId} (${op.operation.summary}) is in the collection`).toBeDefined();
      const request = found?.request as PostmanRequest;
      expectPathParameters(op, request, collection);
      const body = op.operation.requestBody ? deref<RequestBodyObject>(doc, op.operation.requestBody) : undefined;
      if (body) expectFirstBodyExample(doc, op, body, request);
    }
  });
});
