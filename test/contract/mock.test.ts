/**
 * The contract suite against the mock, in-process. The mock is stateless and answers from examples: the sample
 * replays must pass; flows and the vendors' server-side rules are reported as expected failures with the reason.
 */

import { afterAll, beforeAll } from 'vitest';
import type { Capability } from '../../src/contract/cases.ts';
import { applicable, contractCases, defineContractSuite, loadKit, selectVendors } from '../../src/contract/suite.ts';
import { startMock } from '../../src/mock/index.ts';
import { registry } from '../../src/vendors/index.ts';

const selected = selectVendors(registry, process.env.CONTRACT_VENDORS?.split(',').filter(Boolean));
const capabilities: ReadonlySet<Capability> = new Set();
const cases = new Map(
  await Promise.all(
    selected.map(
      async (d) =>
        [d.name, applicable(await contractCases(d), { name: 'the mock', vendors: {}, capabilities })] as const,
    ),
  ),
);
const kits = new Map(await Promise.all(selected.map(async (d) => [d.name, await loadKit(d)] as const)));

let mock: Awaited<ReturnType<typeof startMock>>;
beforeAll(async () => {
  mock = await startMock({ vendors: registry, port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(() => mock?.close());

defineContractSuite(
  cases,
  () => ({
    name: 'the mock',
    vendors: Object.fromEntries(Object.entries(mock.bases).map(([name, baseUrl]) => [name, { baseUrl }])),
    capabilities,
  }),
  () => kits,
);
