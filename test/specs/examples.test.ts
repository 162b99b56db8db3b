/**
 * The examples convention of specs/README.md, for the tools partners use and the mock: every request example
 * `<operationId>-<case>` has a response example of the same name (the answer to exactly that request), and every
 * operation's success answer has a named example, so `Prefer: example=<name>` answers every name and no default
 * answer is a schema placeholder.
 */
import { describe, expect, it } from 'vitest';
import {
  deref,
  findOperation,
  listActions,
  listOperations,
  loadSpec,
  type MediaTypeObject,
  type OpenApiDocument,
  type RequestBodyObject,
  type ResponseObject,
  response,
  vendors,
} from '../../src/spec/index.ts';

function names(media: Record<string, MediaTypeObject> | undefined): Set<string> {
  return new Set(Object.values(media ?? {}).flatMap((m) => Object.keys(m.examples ?? {})));
}

type Entry = ReturnType<typeof listOperations>[number];
type Located = NonNullable<ReturnType<typeof findOperation>>;
type ListedExamples = { request?: string[]; response?: string[] };

/** An operation's (or action's) response example names by status. */
function responseNames(doc: OpenApiDocument, entry: Entry, located: Located): Map<string, Set<string>> {
  const statuses = new Set([
    ...Object.keys(entry.operation.responses),
    ...Object.keys(located.action?.object.responses ?? {}),
  ]);
  const responses = new Map<string, Set<string>>();
  for (const status of statuses) {
    const found = response(doc, located, status);
    responses.set(status, names((found?.response as ResponseObject | undefined)?.content));
  }
  return responses;
}

/** Adds to an action's responses those of the operation's examples its x-actions entry lists. */
function addListedResponses(
  doc: OpenApiDocument,
  entry: Entry,
  listed: string[],
  responses: Map<string, Set<string>>,
): void {
  for (const status of Object.keys(entry.operation.responses)) {
    const all = names((response(doc, { entry }, status)?.response as ResponseObject | undefined)?.content);
    responses.set(status, new Set([...(responses.get(status) ?? []), ...[...all].filter((n) => listed.includes(n))]));
  }
}

/**
 * An operation's or action's example names. An action's own examples: those its x-actions entry lists (the operation
 * holds them all), else the operation's.
 */
function exampleNames(doc: OpenApiDocument, entry: Entry, located: Located) {
  const body = entry.operation.requestBody ? deref<RequestBodyObject>(doc, entry.operation.requestBody) : undefined;
  const responses = responseNames(doc, entry, located);
  const listed = (located.action?.object as { examples?: ListedExamples } | undefined)?.examples;
  const requests = listed?.request ? new Set(listed.request) : names(body?.content);
  if (listed?.response) addListedResponses(doc, entry, listed.response, responses);
  return { requests, responses };
}

/** Each operation (an iVvy action by itself): its request example names, and its response example names by status. */
function operations(doc: OpenApiDocument) {
  const found: { name: string; requests: Set<string>; responses: Map<string, Set<string>> }[] = [];
  for (const entry of listOperations(doc)) {
    const actions = listActions(entry.operation);
    const targets = actions.length ? actions.map(([action]) => action) : [entry.operationId];
    for (const name of targets) {
      const located = findOperation(doc, name);
      if (located) found.push({ name, ...exampleNames(doc, entry, located) });
    }
  }
  return found;
}

describe.each(vendors.map((v) => v.name))('%s', (vendor) => {
  it('has a response example named after every request example', async () => {
    const missing: string[] = [];
    for (const op of operations(await loadSpec(vendor))) {
      const answered = new Set([...op.responses.values()].flatMap((s) => [...s]));
      for (const name of op.requests) if (!answered.has(name)) missing.push(`${op.name}: ${name}`);
    }
    expect(missing).toEqual([]);
  });

  it("has a named example for every operation's success answer", async () => {
    const bare: string[] = [];
    for (const op of operations(await loadSpec(vendor))) {
      const success = [...op.responses.keys()].filter((s) => /^2\d\d$/.test(s)).sort()[0];
      if (success && (op.responses.get(success)?.size ?? 0) === 0) bare.push(`${op.name} ${success}`);
    }
    expect(bare).toEqual([]);
  });
});
