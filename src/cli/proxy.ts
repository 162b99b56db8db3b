#!/usr/bin/env node
import { WorkerChecks } from '../proxy/checks.ts';
import { violationLine } from '../proxy/exchange.ts';
import { HarRecorder, harEntry } from '../proxy/har.ts';
import { type ProxyRun, proxyCommand, proxyRun } from '../proxy/options.ts';
import { buildProxyReport, ExchangeLog, writeProxyReports } from '../proxy/report.ts';
import { startProxy } from '../proxy/server.ts';
import { loadAllSpecs } from '../spec/index.ts';
import { registry } from '../vendors/index.ts';
/**
 * `npm run proxy -- --target <url>`: the validating proxy in front of a deployment (README "Watching live
 * traffic"). Flags: src/proxy/options.ts; the proxy: src/proxy/server.ts; this file passes it the vendor registry.
 */
import { runCommand } from './command.ts';

async function main(run: ProxyRun, docs: Awaited<ReturnType<typeof loadAllSpecs>>): Promise<number> {
  const startedAt = new Date();
  const log = new ExchangeLog();
  const recorder = run.record ? new HarRecorder(run.record) : undefined;
  // The checks in a thread of their own: the registry crosses as this module's URL and export name.
  const checks = new WorkerChecks({ module: new URL('../vendors/index.ts', import.meta.url), export: 'registry' });
  await checks.ready();
  const proxy = await startProxy({
    checks,
    vendors: registry,
    docs,
    upstreams: run.upstreams,
    ...(run.target ? { target: run.target } : {}),
    host: run.host,
    port: run.port,
    strict: run.strict,
    timeoutMs: run.timeoutMs,
    onExchange(exchange, detail) {
      log.add(exchange);
      for (const v of exchange.violations) process.stdout.write(`${violationLine(exchange, v)}\n`);
      const vendor = proxy.vendors.find((v) => v.name === exchange.vendor);
      if (recorder && vendor) recorder.add(harEntry(vendor, exchange, detail));
    },
  });
  const flush = (): string[] => {
    const report = buildProxyReport(run.name, proxy.vendors, log, { startedAt, strict: run.strict });
    const files = writeProxyReports(report, run.out, run.reporters);
    const har = recorder?.flush();
    return har ? [...files, har] : files;
  };
  process.stdout.write(
    `proxy listening on ${proxy.origin}${run.strict ? ' (strict)' : ''}:\n${proxy.vendors
      .map((v) => `  ${proxy.origin}${v.prefix} → ${v.upstream.href.replace(/\/$/, '')}\n`)
      .join('')}reports in ${run.out}${run.record ? `, recording into ${run.record}` : ''}\n`,
  );
  const timer = run.reportEveryMs > 0 ? setInterval(flush, run.reportEveryMs) : undefined;
  timer?.unref();
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  if (timer) clearInterval(timer);
  await proxy.close();
  const files = flush();
  process.stdout.write(
    `proxy stopped: ${log.total} exchanges, ${log.exchanges.filter((e) => e.violations.length).length} with violations. Reports: ${files.join(', ')}\n`,
  );
  return 0;
}

const docs = await loadAllSpecs();
await runCommand('proxy', proxyCommand(docs), (values) => main(proxyRun(values, docs), docs));
// The checks' worker thread would keep the process alive after the reports are written.
process.exit();
