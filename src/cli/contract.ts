#!/usr/bin/env node
/**
 * `npm run contract -- --target <url>`: the contract suite against any deployment (our sandbox or mock, a vendor's
 * sandbox, a partner's implementation), reported operation by operation. Flags: src/contract/cli-options.ts; the
 * suite runs on vitest (vitest.contract.config.ts → src/contract/target.contract.ts), the target passed in
 * CONTRACT_TARGET.
 */
import { join } from 'node:path';
import { startVitest } from 'vitest/node';
import { contractHelp, parseContractArgs, UsageError } from '../contract/cli-options.ts';
import { withOwnPartner } from '../contract/own-partner.ts';
import { contractReporters } from '../contract/reporters.ts';
import type { Target } from '../contract/run-case.ts';
import { encodeTarget, TARGET_ENV } from '../contract/target.ts';
import { loadAllSpecs, localPrefix, repoRoot } from '../spec/index.ts';
import { registry } from '../vendors/index.ts';

/** Base URLs that do not answer at all (any HTTP status counts as an answer), with why. */
async function unreachable(target: Target): Promise<string[]> {
  const checks = Object.entries(target.vendors).map(async ([vendor, { baseUrl }]) => {
    try {
      const res = await fetch(baseUrl, { signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
      return [];
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      return [`${vendor} at ${baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`];
    }
  });
  return (await Promise.all(checks)).flat();
}

/** What the run is against, vendor by vendor, and as whom it writes there. */
function header(target: Target): string {
  const capabilities = [...target.capabilities].join(', ') || 'none: stateless, Prism-style errors';
  const entries = Object.entries(target.vendors);
  const lines = entries.map(([v, { baseUrl, credentials, partner }]) => {
    const as = partner ? ` (our sandbox: as partner ${partner})` : credentials ? ' (own credentials)' : '';
    return `  ${v.padEnd(10)} ${baseUrl}${as}\n`;
  });
  const partner = entries.find(([, e]) => e.partner)?.[1].partner;
  const note = partner
    ? `Writing to our sandbox as partner ${partner}: data of its own, no one else's (--shared-data: as the credentials given)\n`
    : '';
  return `Contract suite against ${target.name} (capabilities: ${capabilities})\n${lines.join('')}${note}\n`;
}

async function main(args: string[]): Promise<number> {
  const docs = await loadAllSpecs();
  const settings = new Map(registry.map((d) => [d.name, d.settings] as const));
  let run: ReturnType<typeof parseContractArgs>;
  try {
    run = parseContractArgs(args, process.env, docs, process.cwd(), settings);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`contract: ${error.message}\n(npm run contract -- --help lists the flags)\n`);
    return 2;
  }
  if (run === 'help') {
    process.stdout.write(contractHelp(docs, settings));
    return 0;
  }
  const down = await unreachable(run.target);
  if (down.length) {
    process.stderr.write(`contract: the target does not answer:\n${down.map((d) => `  ${d}\n`).join('')}`);
    return 2;
  }
  const prefixes = Object.fromEntries([...docs].map(([vendor, doc]) => [vendor, localPrefix(doc)]));
  const target = run.sharedData ? run.target : await withOwnPartner(run.target, prefixes);
  process.stdout.write(header(target));

  process.env[TARGET_ENV] = encodeTarget(target);
  const { reporters, files, contract } = contractReporters(run.reporters, run.out, target);
  const vitest = await startVitest('test', [], {
    root: repoRoot,
    config: join(repoRoot, 'vitest.contract.config.ts'),
    run: true,
    watch: false,
    reporters,
    ...(run.grep !== undefined ? { testNamePattern: run.grep } : {}),
  });
  await vitest.close();

  const report = contract.report;
  if (report && run.grep !== undefined && report.totals.cases === 0) {
    process.stderr.write(`contract: no case matches --grep ${JSON.stringify(run.grep)}\n`);
    return 2;
  }
  if (!run.reporters.includes('console') && report) {
    const t = report.totals;
    process.stdout.write(
      `${t.cases} cases: ${t.passed} passed, ${t.failed} failed, ${t.expectedFailures} expected failures\n`,
    );
  }
  if (files.length) process.stdout.write(`Reports: ${files.join(', ')}\n`);
  const failed = !report || report.totals.failed > 0 || report.errors.length > 0 || process.exitCode === 1;
  return failed ? 1 : 0;
}

try {
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`contract: ${(error as Error).stack ?? error}\n`);
  process.exit(2);
}
