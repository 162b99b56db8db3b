/**
 * The contract suite against the target of `npm run contract` (vitest.contract.config.ts runs this file; its name
 * keeps it out of `npm test`). The target comes from the CONTRACT_TARGET environment variable (target.ts).
 */
import { applicable, contractCases, defineContractSuite, loadKit, selectVendors } from './suite.ts';
import { targetFromEnv } from './target.ts';

const target = targetFromEnv();
const names = selectVendors(Object.keys(target.vendors));
const cases = new Map(
  await Promise.all(names.map(async (v) => [v, applicable(await contractCases(v), target)] as const)),
);
const kits = new Map(await Promise.all(names.map(async (v) => [v, await loadKit(v)] as const)));

defineContractSuite(
  cases,
  () => target,
  () => kits,
);
