/**
 * Hostile request lines: path parameters the router itself refuses, and a query string or a header over Node's
 * 16 KiB limit (refused before any vendor is known: a generic 431).
 */
import { describe, expect, it } from 'vitest';
import { answerProblems, describeExchange } from './support/checks.ts';
import { exchange } from './support/client.ts';
import { stillAnswers } from './support/harness.ts';
import { useHostileSandbox } from './support/hostile.ts';
import { allTargets } from './support/targets.ts';

const env = useHostileSandbox('hostile-requests');

/** Operations with path parameters, each with a value the router itself refuses (before any validation). */
const refusedByRouter = (await allTargets())
  .filter((t) => Object.keys(t.params).length > 0)
  .flatMap((t) =>
    [
      ['a lone %', '%'],
      ['a bad % escape', '%zz'],
      ['5000 characters', 'x'.repeat(5_000)],
    ].map(([name, value]) => [`${t.vendor} ${t.operation}: ${name}`, t, value as string] as const),
  );

describe('path parameters the router refuses', () => {
  // Found by the fuzzing: these were answered in Fastify's own shape (400, 414), not the vendor's.
  it.each(refusedByRouter)('%s', async (_name, target, value) => {
    const body = target.json[0] === undefined ? undefined : JSON.stringify(target.json[0]);
    const request = {
      method: target.method,
      path: target.template.replace(/\{([^}]+)\}/g, value),
      headers: (body === undefined ? {} : { 'content-type': 'application/json' }) as Record<string, string>,
      ...(body === undefined ? {} : { body }),
    };
    const answer = await exchange(target.vendor, env.sandbox.base[target.vendor] as string, request);
    const context = describeExchange(request, answer);
    expect(answer.status, context).toBeGreaterThanOrEqual(400);
    expect(await answerProblems(target.vendor, target.operation, answer), context).toEqual([]);
  });
});

describe('requests over the HTTP parser’s header limit', () => {
  // Node refuses a request line plus headers over its 16 KiB limit before Fastify parses the URL, so no vendor can
  // be told: the answer is the framework's generic 431 (not in any vendor's shape). Refused, nothing more.
  it.each([
    ['a 64 KiB query string', { query: 'x'.repeat(64 * 1024), header: '' }],
    ['a 64 KiB header', { query: '', header: 'y'.repeat(64 * 1024) }],
  ])('%s is refused with 431 and the sandbox keeps answering', async (_name, { query, header }) => {
    const res = await fetch(`${env.sandbox.base['r7-office']}/api/2.0/crm/task/1234${query ? `?q=${query}` : ''}`, {
      headers: header ? { 'x-big': header } : {},
    });
    expect(res.status).toBe(431);
    expect(await res.text()).not.toMatch(/^\s+at /m);
    expect(await stillAnswers(env.sandbox.origin, env.sandbox.base)).toEqual([]);
  });
});
