/** The contract suite against the reference sandbox, in-process: every case must pass. */

import { afterAll, beforeAll } from 'vitest';
import type { Capability } from '../../src/contract/cases.ts';
import { contractCases, defineContractSuite, loadKit, selectVendors } from '../../src/contract/suite.ts';
import { registry } from '../../src/vendors/index.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';

const selected = selectVendors(registry, process.env.CONTRACT_VENDORS?.split(',').filter(Boolean));
const cases = new Map(await Promise.all(selected.map(async (d) => [d.name, await contractCases(d)] as const)));
const kits = new Map(await Promise.all(selected.map(async (d) => [d.name, await loadKit(d)] as const)));
const capabilities: ReadonlySet<Capability> = new Set(['state', 'vendor-errors', 'rate-limit']);

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());

defineContractSuite(
  cases,
  () => ({
    name: 'the sandbox',
    vendors: Object.fromEntries(Object.entries(sandbox.base).map(([name, baseUrl]) => [name, { baseUrl }])),
    capabilities,
  }),
  () => kits,
);
