/**
 * The contract suite against the target of `npm run contract` (vitest.contract.config.ts runs this file; its name
 * keeps it out of `npm test`). The target comes from the CONTRACT_TARGET environment variable (target.ts).
 */
import { registry } from '../vendors/index.ts';
import { applicable, contractCases, defineContractSuite, loadKit, selectVendors } from './suite.ts';
import { targetFromEnv } from './target.ts';

// The suite's entry point for `npm run contract` (like a command, it takes the registry; the suite itself does not).
const target = targetFromEnv();
const selected = selectVendors(registry, Object.keys(target.vendors));
const cases = new Map(
  await Promise.all(selected.map(async (d) => [d.name, applicable(await contractCases(d), target)] as const)),
);
const kits = new Map(await Promise.all(selected.map(async (d) => [d.name, await loadKit(d)] as const)));

defineContractSuite(
  cases,
  () => target,
  () => kits,
);
