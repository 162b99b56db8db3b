/**
 * The suite must catch a broken server: each fixture of fixtures/broken-servers.ts breaks the sandbox's answers one
 * way, and the cases that should notice fail with a message that names what broke, plus a curl command. Each case
 * passes against the sandbox itself (so the breakage, not the case, makes it fail), and every fixture makes the
 * vendor's whole suite fail.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractCase } from '../../src/contract/cases.ts';
import { type CaseResult, describeFailure, runCase, type Target, type VendorKit } from '../../src/contract/run-case.ts';
import { contractCases, loadKit } from '../../src/contract/suite.ts';
import { capabilities } from '../../src/contract/target.ts';
import { findOperation, localPrefix, mediaExamples, response } from '../../src/spec/index.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import {
  acceptsInvalid,
  dropsField,
  type Rewrite,
  type RunningProxy,
  serverErrorOnBadInput,
  startProxy,
} from './fixtures/broken-servers.ts';

const vendors = ['r7-office', 'ivvy'] as const;
type VendorName = (typeof vendors)[number];
const kits = new Map(await Promise.all(vendors.map(async (v) => [v, await loadKit(definitionOf(v))] as const)));
const cases = new Map(await Promise.all(vendors.map(async (v) => [v, await contractCases(definitionOf(v))] as const)));
const kit = (v: VendorName) => kits.get(v) as VendorKit;

/** R7-Office's documented answer to updateTask: what the accepting server sends back, so only its status is wrong. */
const r7Doc = kit('r7-office').doc;
const r7Documented = Object.values(
  mediaExamples(
    r7Doc,
    response(r7Doc, findOperation(r7Doc, 'updateTask') as NonNullable<ReturnType<typeof findOperation>>, '200')
      ?.response.content?.['application/json'],
  ),
)[0];

/** Where a vendor lives behind an origin with our local prefixes, as a stateful target with the vendors' errors. */
function targetAt(origin: string, name: string): Target {
  return {
    name,
    vendors: Object.fromEntries(vendors.map((v) => [v, { baseUrl: origin + localPrefix(kit(v).doc) }])),
    capabilities: new Set(capabilities),
  };
}

function caseById(vendor: VendorName, id: string): ContractCase {
  const found = cases.get(vendor)?.find((c) => c.id === id);
  if (!found) throw new Error(`no case ${id}`);
  return found;
}

/** A case that makes the suite fail: it did not pass and the target did not declare it cannot honour it. */
const failsSuite = (r: CaseResult) => !r.passed && !r.expectedFailure;

interface Breakage {
  vendor: VendorName;
  rewrite: () => Rewrite;
  /** Case id → what its failure must say (besides the curl command). */
  want: Record<string, RegExp[]>;
}

const brokenServers: [string, Breakage][] = [
  [
    "drops R7-Office's required envelope field `response` from task answers",
    {
      vendor: 'r7-office',
      rewrite: () => dropsField('response', /^\/r7\/api\/2\.0\/crm\/task\//),
      want: {
        'r7-office/updateTask/sample/corrected.request.json': [/must have required property 'response'/],
        'r7-office/updateTask/flow/write-read-back': [/must have required property 'response'/],
      },
    },
  ],
  [
    "drops iVvy's required field `success` from its answers",
    {
      vendor: 'ivvy',
      rewrite: () => dropsField('success', /^\/ivvy\//),
      want: {
        'ivvy/addOrUpdateTask/sample/seed-add.request.json': [/must have required property 'success'/],
        'ivvy/addOrUpdateTask/sample/seed-update.request.json': [/must have required property 'success'/],
      },
    },
  ],
  [
    'answers 500 to bad input',
    {
      vendor: 'r7-office',
      rewrite: serverErrorOnBadInput,
      want: {
        'r7-office/updateTask/negative/missing-title': [/expected a 4xx in the vendor's error shape, got 500/],
        'r7-office/updateTask/negative/type-deadline': [/expected a 4xx in the vendor's error shape, got 500/],
        'r7-office/updateTask/sample/seed.request.json': [/expected status 400, got 500/],
        'r7-office/authenticate/negative/malformed-json': [/expected a 4xx in the vendor's error shape, got 500/],
      },
    },
  ],
  [
    'accepts an invalid body with 200',
    {
      vendor: 'r7-office',
      rewrite: () => acceptsInvalid(/^\/r7\/api\/2\.0\/crm\/task\//, r7Documented),
      want: {
        'r7-office/updateTask/negative/missing-title': [
          /negative\/missing-title: refuses a body without the required field title/,
          /expected a 4xx in the vendor's error shape, got 200/,
        ],
        'r7-office/updateTask/negative/type-deadline': [
          /refuses deadline of the wrong type/,
          /expected a 4xx in the vendor's error shape, got 200/,
        ],
        'r7-office/updateTask/sample/seed.request.json': [
          /\[rule r7-office\.task\.entity-type\]/,
          /expected status 400, got 200/,
        ],
      },
    },
  ],
];

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());

it('the accepting server answers a documented body that conforms (so only the status is wrong)', () => {
  expect(r7Documented).toMatchObject({ response: expect.any(Object) });
});

describe.each(brokenServers)('a server that %s', (_name, { vendor, rewrite, want }) => {
  let proxy: RunningProxy;
  beforeAll(async () => {
    proxy = await startProxy(sandbox.origin, rewrite());
  });
  afterAll(() => proxy?.close());

  it.each(Object.entries(want))('fails %s, naming what broke', async (id, messages) => {
    const c = caseById(vendor, id);
    const healthy = await runCase(c, targetAt(sandbox.origin, 'the sandbox'), kit(vendor));
    expect(healthy.problems, describeFailure(c, healthy)).toEqual([]);

    const result = await runCase(c, targetAt(proxy.origin, 'the broken server'), kit(vendor));
    expect(result.passed).toBe(false);
    expect(result.expectedFailure).toBeUndefined();
    const text = describeFailure(c, result);
    for (const message of messages) expect(text).toMatch(message);
    expect(text).toContain(`reproduce: curl -sS -i -X ${result.steps.at(-1)?.request.method} '${proxy.origin}/`);
  });

  it("makes the vendor's whole suite fail", async () => {
    const results: CaseResult[] = [];
    for (const c of cases.get(vendor) ?? [])
      results.push(await runCase(c, targetAt(proxy.origin, 'the broken server'), kit(vendor)));
    expect(proxy.rewritten).toBeGreaterThan(0);
    expect(results.filter(failsSuite).length).toBeGreaterThan(0);
  });
});
