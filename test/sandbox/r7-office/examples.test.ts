/**
 * The spec's named examples against the sandbox: every request example `<operationId>-<case>` sent as it is (to the
 * path parameter's own example id) answers exactly its same-named response example; the first request example of
 * every operation is one the vendor accepts; every success response has a named example.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deref, listOperations, loadSpec } from '../../../src/spec/index.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { tokenFor } from './helpers.ts';
import { exampleRequests, responseExamples } from './request-examples.ts';

const doc = await loadSpec('r7-office');
const requests = exampleRequests(doc);

let sandbox: RunningSandbox;
let base: string;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
  token = await tokenFor(base);
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
});

/** What changes from one call to the next: a fresh token and its expiry. */
function masked(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy = structuredClone(value) as { response?: { token?: string; expires?: string } };
  if (copy.response?.token) copy.response.token = '<token>';
  if (copy.response?.expires) copy.response.expires = '<expires>';
  return copy;
}

describe('request examples', () => {
  it('there are examples of every media type of every operation with a body', () => {
    const byOperation = new Map<string, Set<string>>();
    for (const r of requests)
      byOperation.set(r.operation, (byOperation.get(r.operation) ?? new Set()).add(r.contentType));
    expect([...byOperation.keys()].sort()).toEqual(['authenticate', 'updateTask', 'updateTaskXml']);
    for (const types of byOperation.values()) expect(types.size).toBeGreaterThanOrEqual(2);
  });

  it.each(requests.map((r) => [r.name, r.contentType, r] as const))(
    '%s (%s) answers its same-named response example',
    async (name, _type, r) => {
      const examples = responseExamples(doc, r.operation);
      const expected = examples.get(name);
      expect(expected, `${r.operation} has no response example ${name}`).toBeDefined();
      if (!expected) return;
      const res = await fetch(base + r.path, {
        method: r.method,
        headers: { 'content-type': r.contentType, ...(r.operation === 'authenticate' ? {} : { authorization: token }) },
        body: r.body,
      });
      const text = await res.text();
      expect(String(res.status)).toBe(expected.status);
      expect(res.headers.get('content-type')?.split(';')[0]).toBe(expected.mediaType);
      if (expected.mediaType === 'application/json') expect(masked(JSON.parse(text))).toEqual(masked(expected.value));
      else {
        const mask = (x: string) => x.replace(/<token>[^<]*<\/token><expires>[^<]*<\/expires>/, '<token />');
        expect(mask(text)).toBe(mask(String(expected.value)));
      }
    },
  );

  it('the first request example of every operation is one the vendor accepts', () => {
    for (const operation of new Set(requests.map((r) => r.operation))) {
      const first = requests.find((r) => r.operation === operation);
      const status = first && responseExamples(doc, operation).get(first.name)?.status;
      expect(status, `${operation}: ${first?.name}`).toMatch(/^2/);
    }
  });
});

it('every operation’s success response has at least one named example', () => {
  for (const entry of listOperations(doc)) {
    const success = Object.entries(entry.operation.responses ?? {}).find(([status]) => status.startsWith('2'));
    expect(success, entry.operationId).toBeDefined();
    const response = deref<{ content?: Record<string, { examples?: Record<string, unknown> }> }>(
      doc,
      success?.[1] as never,
    );
    const names = Object.values(response.content ?? {}).flatMap((m) => Object.keys(m.examples ?? {}));
    expect(names.length, entry.operationId).toBeGreaterThan(0);
  }
});

it('every path parameter’s example is an id the sandbox data holds', async () => {
  for (const entry of listOperations(doc)) {
    for (const p of entry.parameters) {
      if ((p as { in?: string }).in !== 'path') continue;
      const example = (p as { example?: unknown }).example;
      const res = await fetch(`${base}/api/2.0/crm/task/${example}`, { headers: { authorization: token } });
      expect(res.status, `${entry.operationId} ${String(example)}`).toBe(200);
      await res.text();
    }
  }
});
