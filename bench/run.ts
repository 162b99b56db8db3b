#!/usr/bin/env node
/**
 * `npm run bench`: the sandbox, the ceiling, the mock and Prism alone, side by side on the same payloads, one
 * server process at a time, loaded by autocannon from a process of its own; then the validating proxy's added
 * latency in front of the sandbox, and how an update's cost grows with the store; writes docs/benchmarks.md.
 * `--help` lists the flags (bench/options.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { runCommand } from '../src/cli/command.ts';
import { sendBigBodies } from './big-body.ts';
import { HEADLINE_CASE, type PreparedCase, prepareCases, selectCases } from './cases.ts';
import { measureGrowth } from './growth.ts';
import { describeMachine } from './machine.ts';
import { groups, log, measureCase, type Started } from './measure.ts';
import { type BenchOptions, benchCommand, benchOptions } from './options.ts';
import { choosePinning, type Pinning, pinSelf } from './pinning.ts';
import { type BenchPostgres, dropSchema, postgresFor } from './postgres.ts';
import { installCleanup, killAll } from './processes.ts';
import { profileSandbox, profileStartup } from './profile-runs.ts';
import { measureProxyLatency } from './proxy-latency.ts';
import {
  type BenchRun,
  HEADLINE_RPS_TARGET,
  type Measurement,
  ratio,
  renderReport,
  type ServerStat,
} from './report.ts';
import { postgresServers, type ServerName, startServer } from './servers.ts';
import { measureStartups, startupVariants } from './startup.ts';
import { timeContractSuite } from './suite.ts';

/** The servers the connection sweep loads: the ratio of record and the mock. */
const SWEEP_SERVERS: readonly ServerName[] = ['sandbox', 'ceiling', 'mock'];
/** Partners the headline case's load is spread over, in the sandbox-on-PostgreSQL comparison. */
const PARTNERS = 10;

/** What every stage of a run shares: its options, the cases, where it pins, its scratch folder. */
interface Context {
  options: BenchOptions;
  cases: PreparedCase[];
  pinning: Pinning;
  tmp: string;
  postgres?: BenchPostgres;
  /** PostgreSQL schemas made for the run, dropped at its end. */
  schemas: string[];
}

/** The whole run is bounded: every load, start-up and the suite have their own limits; this is the last resort. */
function armBudget({ options, cases }: Pick<Context, 'options' | 'cases'>): void {
  const { settings, sweep, servers } = options;
  const run = (s: { warmupSeconds: number; durationSeconds: number; rounds: number }) =>
    s.warmupSeconds + s.durationSeconds + 2 * s.rounds + 10;
  const pairs = servers.length * cases.length;
  const sweepPairs = SWEEP_SERVERS.filter((s) => servers.includes(s)).length * cases.length * sweep.levels.length;
  const budgetMs =
    (pairs * run(settings) +
      sweepPairs * run(sweep.settings) +
      (options.starts === undefined ? 0 : (options.starts + 1) * 8 * 15) +
      (options.growthSizes?.length ?? 0) * (run(settings) + 120) +
      600) *
    1000;
  setTimeout(() => {
    log(`gave up after ${budgetMs / 1000} s`);
    killAll();
    process.exit(2);
  }, budgetMs).unref();
}

/** Start-up on its own, each start alone on the machine's server CPU, before anything else runs. */
async function startupStage(ctx: Context, anchor: PreparedCase): Promise<BenchRun['startup']> {
  const { starts, servers } = ctx.options;
  if (starts === undefined) return undefined;
  const anchorSpec = join(ctx.tmp, `${anchor.vendor}.json`);
  writeFileSync(anchorSpec, JSON.stringify(anchor.doc));
  const variants = startupVariants(ctx.tmp, anchor.vendor).filter((v) => servers.includes(v.server));
  const startup: NonNullable<BenchRun['startup']> = { starts, results: [], profiles: [] };
  startup.results = await measureStartups(variants, {
    starts,
    pinning: ctx.pinning,
    tmp: ctx.tmp,
    specFile: anchorSpec,
    log,
  });
  for (const server of (['sandbox', 'mock'] as const).filter((s) => servers.includes(s))) {
    const profile = await profileStartup(server, ctx.pinning, ctx.tmp);
    if (profile) startup.profiles.push(profile);
  }
  return startup;
}

/** PostgreSQL for a sandbox-pg server: a schema of its own, or why there is none. */
function postgresOf(ctx: Context, server: ServerName): { url: string } | { unavailable: string } | undefined {
  const postgres = ctx.postgres;
  if (!postgresServers.includes(server) || !postgres) return undefined;
  if ('unavailable' in postgres) return { unavailable: postgres.unavailable };
  const schema = `bench_${process.pid}_${server.replaceAll('-', '_')}`;
  ctx.schemas.push(schema);
  return { url: postgres.withSchema(schema) };
}

/**
 * Every server is started, one after the other (so start-up times are not contended), and stays up, idle while
 * another is loaded: the load generator interleaves them. A server that does not start is noted, its cases too.
 */
async function startServers(ctx: Context, up: Started[], measurements: Measurement[], stats: ServerStat[]) {
  for (const server of ctx.options.servers) {
    for (const group of groups(server, ctx.cases)) {
      try {
        const running = await startGroup(ctx, server, group.cases);
        up.push({ label: group.label, server: running, ...(group.vendor ? { vendor: group.vendor } : {}) });
        log(`${group.label} answers after ${(running.startupMs / 1000).toFixed(2)} s`);
      } catch (error) {
        const message = (error as Error).message.split('\n')[0]?.slice(0, 200) ?? 'failed';
        log(`${group.label} did not start: ${message}`);
        stats.push({ label: group.label, server, error: `did not start: ${message}` });
        for (const c of group.cases) {
          measurements.push({ caseId: c.id, server, probe: { status: 0, excerpt: '' }, error: 'did not start' });
        }
      }
    }
  }
}

/** One process of a server; Prism alone is given its cases' spec, bundled, as a file. */
function startGroup(ctx: Context, server: ServerName, cases: readonly PreparedCase[]) {
  let specFile: string | undefined;
  if (server === 'prism') {
    const c = cases[0] as PreparedCase;
    specFile = join(ctx.tmp, `${c.vendor}.json`);
    writeFileSync(specFile, JSON.stringify(c.doc));
  }
  const pg = postgresOf(ctx, server);
  return startServer({
    ...{ name: server, pinning: ctx.pinning, tmp: ctx.tmp },
    ...(specFile ? { specFile } : {}),
    ...(pg ? { postgres: pg } : {}),
  });
}

/** How the cost grows with concurrency: the same cases at other connection counts, shorter. */
async function sweepStage(ctx: Context, up: readonly Started[]): Promise<NonNullable<BenchRun['sweep']>> {
  const sweep: NonNullable<BenchRun['sweep']> = [];
  const swept = up.filter((s) => SWEEP_SERVERS.includes(s.server.name));
  for (const connections of ctx.options.sweep.levels) {
    for (const c of ctx.cases) {
      log(`${c.id} at ${connections} connections`);
      const found = await measureCase(c, swept, { ...ctx.options.sweep.settings, connections }, ctx.pinning);
      sweep.push(...found.map((m) => ({ ...m, connections })));
    }
  }
  return sweep;
}

/** A body over the limit, sent with fetch, to the sandbox and the mock while they run. */
async function bigBodyStage(up: readonly Started[], anchor: PreparedCase): Promise<NonNullable<BenchRun['bigBodies']>> {
  const bigBodies: NonNullable<BenchRun['bigBodies']> = [];
  for (const s of up.filter((x) => x.server.name === 'sandbox' || x.server.name === 'mock')) {
    const result = { server: s.server.name, ...(await sendBigBodies(anchor, s.server.base(anchor))) };
    bigBodies.push(result);
    log(`5 MB bodies to ${s.label}: ${result.refused} of ${result.tries} answered 413`);
  }
  return bigBodies;
}

/**
 * The headline case again on the sandbox servers, as many partners at once (their writes need not wait for each
 * other on PostgreSQL; SQLite has one writer whatever the partner).
 */
async function spreadStage(ctx: Context, up: readonly Started[]): Promise<BenchRun['spread']> {
  const headline = ctx.cases.find((c) => c.id === HEADLINE_CASE);
  const sandboxes = up.filter((s) => s.server.name.startsWith('sandbox'));
  if (!headline || !sandboxes.some((s) => postgresServers.includes(s.server.name))) return undefined;
  const measurements = await measureCase(headline, sandboxes, ctx.options.settings, ctx.pinning, PARTNERS);
  return { partners: PARTNERS, measurements };
}

function serverStats(up: readonly Started[]): ServerStat[] {
  return up.map((s) => {
    const peak = s.server.peakRss();
    return {
      label: s.label,
      server: s.server.name,
      startupMs: s.server.startupMs,
      ...(s.server.rssAtReady === undefined ? {} : { rssAtReadyBytes: s.server.rssAtReady }),
      ...(peak === undefined ? {} : { peakRssBytes: peak }),
    };
  });
}

/** The proxy's added latency, once every server above is stopped: the sandbox and the proxy alone on the server CPU. */
async function proxyStage(ctx: Context): Promise<BenchRun['proxyLatency']> {
  const requests = ctx.options.proxyRequests;
  if (requests === undefined || !ctx.options.servers.includes('sandbox')) return undefined;
  log(`measuring the validating proxy's added latency (${requests} requests per case and side)`);
  const latency = await measureProxyLatency(ctx.cases, ctx.pinning, ctx.tmp, requests);
  for (const r of latency.runs)
    for (const c of r.cases)
      log(
        `${c.caseId}${r.periodMs ? `, one every ${r.periodMs} ms` : ', back to back'}: p50 ${c.direct.p50.toFixed(3)} ms straight, ${c.proxied.p50.toFixed(3)} ms through the proxy`,
      );
  if (latency.error) log(`proxy latency: ${latency.error}`);
  return latency;
}

/** The headline case with few and with many tasks in the store, the other servers stopped. */
async function growthStage(ctx: Context): Promise<BenchRun['growth']> {
  const sizes = ctx.options.growthSizes;
  if (sizes === undefined || !ctx.options.servers.includes('sandbox')) return undefined;
  const [headline] = await prepareCases(selectCases([HEADLINE_CASE]));
  if (!headline) return undefined;
  const { settings } = ctx.options;
  return measureGrowth({ case: headline, sizes, settings, pinning: ctx.pinning, tmp: ctx.tmp });
}

/** The sandbox profiled on the headline case (the first with --profile, without it among the cases). */
async function profileStage(ctx: Context, run: BenchRun): Promise<BenchRun['profile']> {
  const { options, cases } = ctx;
  const headline = cases.find((c) => c.id === HEADLINE_CASE) ?? (options.profile ? cases[0] : undefined);
  const headlineRatio = ratio(run, HEADLINE_CASE, 'sandbox', 'ceiling', 'rps').value;
  const missed = headlineRatio !== undefined && headlineRatio < HEADLINE_RPS_TARGET;
  if (!headline || !options.servers.includes('sandbox') || !(options.profile || (missed && !options.quick)))
    return undefined;
  return profileSandbox(headline, options.settings, ctx.pinning, ctx.tmp);
}

/** A server that answered a case with other than 2xx: a note with its answer. */
function statusNotes(measurements: readonly Measurement[]): string[] {
  return measurements
    .filter((m) => m.load && m.probe.status && !/^2/.test(String(m.probe.status)))
    .map(
      (m) =>
        `${m.server} answers ${m.caseId} with ${m.probe.status}: \`${m.probe.excerpt.replace(/\s+/g, ' ').replaceAll('|', '\\|').slice(0, 160)}\``,
    );
}

/** The servers loaded case by case, then the sweep, the body limit and the spread over partners while they run. */
async function loadStage(ctx: Context, anchor: PreparedCase) {
  const up: Started[] = [];
  const measurements: Measurement[] = [];
  const stats: ServerStat[] = [];
  try {
    await startServers(ctx, up, measurements, stats);
    for (const c of ctx.cases) measurements.push(...(await measureCase(c, up, ctx.options.settings, ctx.pinning)));
    const sweep = await sweepStage(ctx, up);
    const bigBodies = await bigBodyStage(up, anchor);
    const spread = await spreadStage(ctx, up);
    stats.push(...serverStats(up));
    return { measurements, serverStats: stats, sweep, bigBodies, ...(spread ? { spread } : {}) };
  } finally {
    await Promise.all(up.map((s) => s.server.stop()));
  }
}

async function bench(ctx: Context): Promise<BenchRun> {
  const { options, cases } = ctx;
  const startedAt = new Date();
  const t0 = performance.now();
  const machine = describeMachine();
  if (ctx.postgres && 'version' in ctx.postgres) machine.versions.postgresql = ctx.postgres.version;
  const loadBefore = os.loadavg()[0] ?? 0;
  const anchor = (cases.find((c) => c.id === HEADLINE_CASE) ?? cases[0]) as PreparedCase;
  const startup = await startupStage(ctx, anchor);
  const loaded = await loadStage(ctx, anchor);
  const proxyLatency = await proxyStage(ctx);
  const growth = await growthStage(ctx);
  const run: BenchRun = {
    ...loaded,
    ...(proxyLatency ? { proxyLatency } : {}),
    ...(growth ? { growth } : {}),
    ...(startup ? { startup } : {}),
    ...(ctx.postgres ? { postgres: ctx.postgres } : {}),
    startedAt,
    seconds: 0,
    quick: options.quick,
    settings: options.settings,
    machine,
    pinning: ctx.pinning.note,
    loadAverage: [loadBefore, 0],
    cases: cases.map((c) => ({
      ...{ id: c.id, title: c.title, method: c.method, path: c.path },
      ...{ mediaType: c.mediaType, sample: c.sample, bytes: c.body.length },
    })),
    servers: options.servers,
    headlineCase: HEADLINE_CASE,
    notes: [],
    connectionLevels: [options.settings.connections, ...options.sweep.levels].sort((a, b) => a - b),
  };
  const profile = await profileStage(ctx, run);
  if (profile) run.profile = profile;
  if (options.suite) {
    log('timing the contract suite');
    run.suite = await timeContractSuite();
  }
  run.notes.push(...statusNotes(run.measurements));
  run.seconds = (performance.now() - t0) / 1000;
  run.loadAverage[1] = os.loadavg()[0] ?? 0;
  return run;
}

async function main(options: BenchOptions): Promise<void> {
  const cases = await prepareCases(options.cases);
  armBudget({ options, cases });
  installCleanup();
  const pinning = choosePinning(options.pin);
  pinSelf(pinning.loadCpu);
  log(
    `${pinning.note}; ${cases.length} cases × ${options.servers.length} servers, ${options.settings.warmupSeconds} + ${options.settings.durationSeconds} s each`,
  );
  const ctx: Context = { options, cases, pinning, tmp: mkdtempSync(join(os.tmpdir(), 'bench-')), schemas: [] };
  if (options.servers.some((s) => postgresServers.includes(s))) ctx.postgres = await postgresFor(options.postgres);
  if (ctx.postgres && 'unavailable' in ctx.postgres)
    log(`${ctx.postgres.unavailable}: the sandbox on PostgreSQL is not measured`);
  try {
    const run = await bench(ctx);
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, renderReport(run));
    log(`report written to ${relative(process.cwd(), options.out) || options.out} (${Math.round(run.seconds)} s)`);
  } finally {
    killAll();
    rmSync(ctx.tmp, { recursive: true, force: true });
    const postgres = ctx.postgres;
    if (postgres && 'version' in postgres) for (const schema of ctx.schemas) await dropSchema(postgres, schema);
  }
}

await runCommand('bench', benchCommand, async (values) => {
  await main(benchOptions(values));
  return 0;
});
// A failed run may leave a server or the load generator behind: stop them, and do not wait for their handles.
if (process.exitCode) {
  killAll();
  process.exit(process.exitCode);
}
