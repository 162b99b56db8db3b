/**
 * The mock is as strict as the vendor where a stateless mock can be: every request the contract suite generates
 * from the specs to be refused (a missing or malformed field, a group left empty, a value over its length or
 * outside its enum, a malformed path parameter, an unknown action, malformed JSON or XML, a media type the
 * operation does not take, a body over the limit, missing credentials) gets from the mock exactly the sandbox's
 * answer: the same status, media type and body, the vendor's own error naming the fields that are wrong.
 *
 * Left out, because a stateless mock cannot honour them: a credential that is well-formed but wrong (the mock does
 * not verify credentials) and the rules the specs mark `enforcedBy: server` (they need stored data).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractCase } from '../../src/contract/cases.ts';
import { send } from '../../src/contract/http.ts';
import { contractCases } from '../../src/contract/suite.ts';
import type { RunningMock } from '../../src/mock/index.ts';
import { listRules, loadSpec, vendors } from '../../src/spec/index.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import { startTestMock } from '../support/mock-client.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';

const cases: ContractCase[] = [];
for (const { name } of vendors) {
  const serverRules = new Set(
    listRules(await loadSpec(name))
      .filter(({ rule }) => rule.enforcedBy !== 'schema')
      .map(({ rule }) => rule.id),
  );
  cases.push(
    ...(await contractCases(definitionOf(name))).filter(
      (c) =>
        c.kind === 'negative' &&
        c.steps.length === 1 &&
        c.steps[0]?.auth !== 'wrong' &&
        !(c.rule && serverRules.has(c.rule)),
    ),
  );
}

let mock: RunningMock;
let sandbox: RunningSandbox;
beforeAll(async () => {
  [mock, sandbox] = await Promise.all([startTestMock(), startSandbox()]);
});
afterAll(async () => {
  await mock?.close();
  await sandbox?.close();
});

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** The case's request sent to a base URL, authorised as the vendor's own client does it (or not at all). */
async function answer(c: ContractCase, baseUrl: string) {
  const step = c.steps[0] as ContractCase['steps'][number];
  const request = step.request({});
  const auth =
    step.auth === 'none'
      ? {}
      : await definitionOf(c.vendor).client.authorize(
          { ...request, headers: request.headers ?? {}, body: request.body },
          { baseUrl },
        );
  const res = await send(baseUrl, { ...request, headers: { ...lower(request.headers ?? {}), ...lower(auth) } });
  return { status: res.status, mediaType: (res.contentType ?? '').split(';')[0], body: res.body };
}

describe('a refused request gets the sandbox answer from the mock', () => {
  it('has cases of every vendor', () => {
    for (const { name } of vendors) expect(cases.filter((c) => c.vendor === name).length).toBeGreaterThan(5);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const [fromSandbox, fromMock] = await Promise.all([
      answer(c, sandbox.base[c.vendor] as string),
      answer(c, mock.bases[c.vendor] as string),
    ]);
    expect(fromSandbox.status).toBeGreaterThanOrEqual(400);
    expect(fromMock).toEqual(fromSandbox);
  });
});

describe('a path the API does not have gets the sandbox answer from the mock', () => {
  it.each(vendors.map((v) => [v.name]))('%s', async (vendor) => {
    const request = { method: 'GET', path: '/api/no-such-path', headers: { accept: 'application/json' } };
    const [fromSandbox, fromMock] = await Promise.all(
      [sandbox.base[vendor], mock.bases[vendor]].map(async (base) => {
        const res = await send(base as string, request);
        return { status: res.status, mediaType: (res.contentType ?? '').split(';')[0], body: res.body };
      }),
    );
    expect(fromSandbox?.status).toBe(404);
    expect(fromMock).toEqual(fromSandbox);
  });
});
