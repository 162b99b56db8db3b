#!/usr/bin/env node
/**
 * `npm run bench`: the sandbox, the ceiling, the mock and Prism alone, side by side on the same payloads, one
 * server process at a time, loaded by autocannon from a process of its own; then the validating proxy's added
 * latency in front of the sandbox; writes docs/benchmarks.md.
 * `--help` lists the flags.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../src/spec/index.ts';
import { definitionOf } from '../src/vendors/index.ts';
import { sendBigBodies } from './big-body.ts';
import { baseHeaders, HEADLINE_CASE, type PreparedCase, prepareCases, selectCases } from './cases.ts';
import { type LoadTarget, mergeHeaders, runLoad } from './load.ts';
import { describeMachine } from './machine.ts';
import { choosePinning, type Pinning, pinSelf } from './pinning.ts';
import { type BenchPostgres, dropSchema, postgresFor } from './postgres.ts';
import { installCleanup, killAll } from './processes.ts';
import { summariseProfile } from './profile.ts';
import { measureProxyLatency } from './proxy-latency.ts';
import {
  type BenchRun,
  HEADLINE_RPS_TARGET,
  type Measurement,
  ratio,
  renderReport,
  type ServerStat,
  type StartupProfile,
} from './report.ts';
import { postgresServers, type RunningServer, type ServerName, serverNames, startServer } from './servers.ts';
import { measureStartups, startupVariants } from './startup.ts';
import { timeContractSuite } from './suite.ts';

const flags = {
  quick: {
    type: 'boolean',
    description: 'a short smoke run (1 s warm-up, 3 s measured); writes reports/ unless --out',
  },
  cases: { type: 'string', description: 'comma-separated case ids (default: all)' },
  servers: { type: 'string', description: `comma-separated, of ${serverNames.join(', ')} (default: all)` },
  out: { type: 'string', description: 'where the report goes (default docs/benchmarks.md)' },
  warmup: { type: 'string', description: 'warm-up seconds per server per case (default 10)' },
  duration: { type: 'string', description: 'measured seconds per server per case (default 15)' },
  rounds: { type: 'string', description: 'interleaved measured rounds the duration is split into (default 5)' },
  connections: { type: 'string', description: 'concurrent connections (default 10)' },
  sweep: {
    type: 'string',
    description: 'other connection counts each case is loaded at, besides --connections (default 1,100; "" for none)',
  },
  starts: { type: 'string', description: 'starts per start-up variant, after one discarded (default 5)' },
  'no-startup': { type: 'boolean', description: 'do not measure start-up on its own' },
  postgres: {
    type: 'string',
    description:
      'PostgreSQL for sandbox-pg and sandbox-pg-2, each in a schema of its own, dropped at the end (default: BENCH_POSTGRES_URL, else TEST_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/postgres; none answering: they are reported not started)',
  },
  'no-suite': { type: 'boolean', description: 'do not time the contract suite' },
  'no-proxy': { type: 'boolean', description: "do not measure the validating proxy's added latency" },
  'proxy-requests': {
    type: 'string',
    description: 'requests per case and side for the proxy latency (default 3000; 300 with --quick)',
  },
  'no-pin': { type: 'boolean', description: 'do not pin the server and the load generator to CPUs' },
  profile: {
    type: 'boolean',
    description: 'CPU-profile the sandbox on the headline case, else the first (automatic when it misses the target)',
  },
  help: { type: 'boolean', description: 'this text' },
} as const;

/** The servers the connection sweep loads: the ratio of record and the mock. */
const SWEEP_SERVERS: readonly ServerName[] = ['sandbox', 'ceiling', 'mock'];
/** Partners the headline case's load is spread over, in the sandbox-on-PostgreSQL comparison. */
const PARTNERS = 10;

/** The most requests per second a server is expected to reach; a run stops at this many per second measured. */
const MAX_RATE = 100_000;

const positive = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return n;
};

const list = (raw: string | undefined) =>
  raw
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface Settings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  rounds: number;
}

interface Started {
  label: string;
  /** Prism alone serves one vendor per process. */
  vendor?: string;
  server: RunningServer;
}

/** A server's request for a case, and one probe of it, authorised as the load generator will authorise it. */
async function target(
  c: PreparedCase,
  server: RunningServer,
  partners?: number,
): Promise<{ target?: LoadTarget; probe: Measurement['probe']; error?: string }> {
  const base = server.base(c);
  const probe = { status: 0, excerpt: '' };
  try {
    const request = { method: c.method, path: c.path, headers: baseHeaders(c), body: c.body };
    const auth = await definitionOf(c.vendor).client.authorize(request, { baseUrl: base });
    const headers = mergeHeaders(baseHeaders(c), auth);
    const url = base + c.path;
    const res = await fetch(url, { method: c.method, headers, body: c.body, signal: AbortSignal.timeout(10_000) });
    probe.status = res.status;
    probe.excerpt = (await res.text()).slice(0, 200);
    return {
      target: {
        name: server.name,
        vendor: c.vendor,
        baseUrl: base,
        path: c.path,
        method: c.method,
        headers: baseHeaders(c),
        bodyBase64: c.body.toString('base64'),
        ...(server.bases ? { baseUrls: server.bases(c) } : {}),
        ...(partners ? { partners } : {}),
      },
      probe,
    };
  } catch (error) {
    return { probe, error: (error as Error).message.slice(0, 300) };
  }
}

/** One case against every server that serves it: warm-up, then interleaved rounds, in one load process. */
async function measureCase(
  c: PreparedCase,
  started: readonly Started[],
  settings: Settings,
  pinning: Pinning,
  partners?: number,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const targets: LoadTarget[] = [];
  // Prism alone runs one process per vendor: the one serving this case's vendor.
  const serving = started.filter((s) => s.vendor === undefined || s.vendor === c.vendor);
  for (const s of serving) {
    const t = await target(c, s.server, partners);
    if (t.target) targets.push(t.target);
    out.push({ caseId: c.id, server: s.server.name, probe: t.probe, ...(t.error ? { error: t.error } : {}) });
  }
  if (targets.length === 0) return out;
  const servers = new Map(serving.map((s) => [s.server.name, s.server]));
  const cpuBefore = new Map(targets.map((t) => [t.name, servers.get(t.name as ServerName)?.cpuSeconds()]));
  try {
    const results = await runLoad({ targets, ...settings, maxRate: MAX_RATE }, pinning);
    for (const m of out) {
      const load = results[m.server];
      if (load) m.load = load;
      const before = cpuBefore.get(m.server);
      const after = servers.get(m.server)?.cpuSeconds();
      if (load && before !== undefined && after !== undefined) {
        m.cpuUsPerRequest = ((after - before) * 1e6) / (load.requests + load.warmupRequests + 1);
      }
      if (load) log(`${c.id} on ${m.server}: ${Math.round(load.rps)} req/s, p99 ${load.latencyMs.p99.toFixed(2)} ms`);
    }
  } catch (error) {
    for (const m of out) if (!m.error) m.error = (error as Error).message.slice(0, 300);
    log(`${c.id}: ${(error as Error).message}`);
  }
  for (const s of serving) {
    const health = s.server.health();
    if (health.exited === undefined) continue;
    const m = out.find((x) => x.server === s.server.name);
    const why = `${s.label} exited (${health.exited}) during ${c.id}: ${health.stderr.trim().split('\n').slice(-6).join(' / ')}`;
    if (m) m.error = why.slice(0, 600);
    log(why);
  }
  return out;
}

/** Each server's processes: one for most, one per vendor for Prism alone (it serves one document). */
function groups(
  server: ServerName,
  cases: readonly PreparedCase[],
): { label: string; vendor?: string; cases: PreparedCase[] }[] {
  if (server !== 'prism') return [{ label: server, cases: [...cases] }];
  const vendors = [...new Set(cases.map((c) => c.vendor))];
  return vendors.map((v) => ({ label: `prism (${v})`, vendor: v, cases: cases.filter((c) => c.vendor === v) }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: flags, strict: true, allowPositionals: false });
  if (values.help) {
    const rows = Object.entries(flags).map(([name, f]) => `  --${name.padEnd(13)} ${f.description}`);
    process.stdout.write(`Usage: npm run bench -- [options]\n\n${rows.join('\n')}\n`);
    return;
  }
  const quick = values.quick ?? false;
  const settings: Settings = {
    connections: Math.round(positive('connections', values.connections, 10)),
    warmupSeconds: positive('warmup', values.warmup, quick ? 1 : 10),
    durationSeconds: positive('duration', values.duration, quick ? 3 : 15),
    rounds: 0,
  };
  settings.rounds = Math.round(
    positive('rounds', values.rounds, Math.min(5, Math.max(1, Math.floor(settings.durationSeconds)))),
  );
  const out = resolve(values.out ?? join(repoRoot, quick ? 'reports/benchmarks-quick.md' : 'docs/benchmarks.md'));
  const servers = (list(values.servers) ?? [...serverNames]).map((s) => {
    if (!(serverNames as readonly string[]).includes(s)) throw new Error(`unknown server ${s}; known: ${serverNames}`);
    return s as ServerName;
  });
  const cases = await prepareCases(selectCases(list(values.cases)));
  const sweepLevels = (values.sweep === undefined ? ['1', '100'] : (list(values.sweep) ?? []))
    .map((n) => Math.round(positive('sweep', n, 1)))
    .filter((n) => n !== settings.connections);
  // The sweep's runs are short: the ratio per level, not the figures of record.
  const sweepSettings: Settings = {
    connections: 0,
    warmupSeconds: Math.min(settings.warmupSeconds, 2),
    durationSeconds: Math.min(settings.durationSeconds, 4),
    rounds: Math.min(settings.rounds, 2),
  };
  const starts = Math.round(positive('starts', values.starts, quick ? 2 : 5));

  // The whole run is bounded: every load, start-up and the suite have their own limits; this is the last resort.
  const pairs = servers.length * cases.length;
  const sweepPairs = SWEEP_SERVERS.filter((s) => servers.includes(s)).length * cases.length * sweepLevels.length;
  const budgetMs =
    (pairs * (settings.warmupSeconds + settings.durationSeconds + 2 * settings.rounds + 10) +
      sweepPairs * (sweepSettings.warmupSeconds + sweepSettings.durationSeconds + 2 * sweepSettings.rounds + 10) +
      (values['no-startup'] ? 0 : (starts + 1) * 8 * 15) +
      600) *
    1000;
  setTimeout(() => {
    log(`gave up after ${budgetMs / 1000} s`);
    killAll();
    process.exit(2);
  }, budgetMs).unref();

  installCleanup();
  const startedAt = new Date();
  const t0 = performance.now();
  const machine = describeMachine();
  const loadBefore = os.loadavg()[0] ?? 0;
  const pinning = choosePinning(!values['no-pin']);
  pinSelf(pinning.loadCpu);
  log(
    `${pinning.note}; ${cases.length} cases × ${servers.length} servers, ${settings.warmupSeconds} + ${settings.durationSeconds} s each`,
  );

  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-'));
  const postgres: BenchPostgres | undefined = servers.some((s) => postgresServers.includes(s))
    ? await postgresFor(values.postgres)
    : undefined;
  if (postgres && 'version' in postgres) machine.versions.postgresql = postgres.version;
  if (postgres && 'unavailable' in postgres) log(`${postgres.unavailable}: the sandbox on PostgreSQL is not measured`);
  const schemas: string[] = [];
  const measurements: Measurement[] = [];
  const serverStats: ServerStat[] = [];
  const notes: string[] = [];
  const up: Started[] = [];
  const startup: NonNullable<BenchRun['startup']> = { starts, results: [], profiles: [] };
  try {
    // Start-up on its own first, each start alone on the machine's server CPU, before anything else runs.
    const anchor = (cases.find((c) => c.id === HEADLINE_CASE) ?? cases[0]) as PreparedCase;
    const anchorSpec = join(tmp, `${anchor.vendor}.json`);
    writeFileSync(anchorSpec, JSON.stringify(anchor.doc));
    if (!values['no-startup']) {
      const variants = startupVariants(tmp, anchor.vendor).filter((v) => servers.includes(v.server));
      startup.results = await measureStartups(variants, { starts, pinning, tmp, specFile: anchorSpec, log });
      for (const server of (['sandbox', 'mock'] as const).filter((s) => servers.includes(s))) {
        const profile = await profileStartup(server, pinning, tmp);
        if (profile) startup.profiles.push(profile);
      }
    }
    // Every server is started, one after the other (so start-up times are not contended), and stays up, idle
    // while another is loaded: the load generator interleaves them.
    for (const server of servers) {
      for (const group of groups(server, cases)) {
        let specFile: string | undefined;
        if (server === 'prism') {
          const c = group.cases[0] as PreparedCase;
          specFile = join(tmp, `${c.vendor}.json`);
          writeFileSync(specFile, JSON.stringify(c.doc));
        }
        let pg: { url: string } | { unavailable: string } | undefined;
        if (postgresServers.includes(server) && postgres) {
          if ('unavailable' in postgres) pg = { unavailable: postgres.unavailable };
          else {
            const schema = `bench_${process.pid}_${server.replaceAll('-', '_')}`;
            schemas.push(schema);
            pg = { url: postgres.withSchema(schema) };
          }
        }
        try {
          const running = await startServer({
            name: server,
            pinning,
            tmp,
            ...(specFile ? { specFile } : {}),
            ...(pg ? { postgres: pg } : {}),
          });
          up.push({ label: group.label, server: running, ...(group.vendor ? { vendor: group.vendor } : {}) });
          log(`${group.label} answers after ${(running.startupMs / 1000).toFixed(2)} s`);
        } catch (error) {
          const message = (error as Error).message.split('\n')[0]?.slice(0, 200) ?? 'failed';
          log(`${group.label} did not start: ${message}`);
          serverStats.push({ label: group.label, server, error: `did not start: ${message}` });
          for (const c of group.cases) {
            measurements.push({ caseId: c.id, server, probe: { status: 0, excerpt: '' }, error: 'did not start' });
          }
        }
      }
    }
    for (const c of cases) measurements.push(...(await measureCase(c, up, settings, pinning)));
    // How the cost grows with concurrency: the same cases at other connection counts, shorter.
    const sweep: NonNullable<BenchRun['sweep']> = [];
    const swept = up.filter((s) => SWEEP_SERVERS.includes(s.server.name));
    for (const connections of sweepLevels) {
      for (const c of cases) {
        log(`${c.id} at ${connections} connections`);
        const found = await measureCase(c, swept, { ...sweepSettings, connections }, pinning);
        sweep.push(...found.map((m) => ({ ...m, connections })));
      }
    }
    // A body over the limit, sent with fetch, to the sandbox and the mock while they run.
    const bigBodies: NonNullable<BenchRun['bigBodies']> = [];
    for (const s of up.filter((x) => x.server.name === 'sandbox' || x.server.name === 'mock')) {
      bigBodies.push({ server: s.server.name, ...(await sendBigBodies(anchor, s.server.base(anchor))) });
      log(`5 MB bodies to ${s.label}: ${bigBodies.at(-1)?.refused} of ${bigBodies.at(-1)?.tries} answered 413`);
    }
    // The headline case again on the sandbox servers, as many partners at once (their writes need not wait for
    // each other on PostgreSQL; SQLite has one writer whatever the partner).
    const spread: Measurement[] = [];
    const headlineCase = cases.find((c) => c.id === HEADLINE_CASE);
    const sandboxes = up.filter((s) => s.server.name.startsWith('sandbox'));
    if (headlineCase && sandboxes.some((s) => postgresServers.includes(s.server.name))) {
      spread.push(...(await measureCase(headlineCase, sandboxes, settings, pinning, PARTNERS)));
    }
    for (const s of up) {
      const peak = s.server.peakRss();
      serverStats.push({
        label: s.label,
        server: s.server.name,
        startupMs: s.server.startupMs,
        ...(s.server.rssAtReady === undefined ? {} : { rssAtReadyBytes: s.server.rssAtReady }),
        ...(peak === undefined ? {} : { peakRssBytes: peak }),
      });
    }
    await Promise.all(up.splice(0).map((s) => s.server.stop()));

    // The proxy's added latency, once every server above is stopped: the sandbox and the proxy alone on the server CPU.
    let proxyLatency: BenchRun['proxyLatency'];
    if (!values['no-proxy'] && servers.includes('sandbox')) {
      const requests = Math.round(positive('proxy-requests', values['proxy-requests'], quick ? 300 : 3000));
      log(`measuring the validating proxy's added latency (${requests} requests per case and side)`);
      proxyLatency = await measureProxyLatency(cases, pinning, tmp, requests);
      for (const r of proxyLatency.runs)
        for (const c of r.cases)
          log(
            `${c.caseId}${r.periodMs ? `, one every ${r.periodMs} ms` : ', back to back'}: p50 ${c.direct.p50.toFixed(3)} ms straight, ${c.proxied.p50.toFixed(3)} ms through the proxy`,
          );
      if (proxyLatency.error) log(`proxy latency: ${proxyLatency.error}`);
    }

    const run: BenchRun = {
      ...(proxyLatency ? { proxyLatency } : {}),
      startedAt,
      seconds: 0,
      quick,
      settings,
      machine,
      pinning: pinning.note,
      loadAverage: [loadBefore, 0],
      cases: cases.map((c) => ({
        id: c.id,
        title: c.title,
        method: c.method,
        path: c.path,
        mediaType: c.mediaType,
        sample: c.sample,
        bytes: c.body.length,
      })),
      servers,
      measurements,
      serverStats,
      headlineCase: HEADLINE_CASE,
      notes,
      connectionLevels: [settings.connections, ...sweepLevels].sort((a, b) => a - b),
      sweep,
      bigBodies,
      ...(values['no-startup'] ? {} : { startup }),
      ...(postgres ? { postgres } : {}),
      ...(spread.length > 0 ? { spread: { partners: PARTNERS, measurements: spread } } : {}),
    };

    // The headline case; with --profile and without it among the cases, the first case.
    const headline = cases.find((c) => c.id === HEADLINE_CASE) ?? (values.profile ? cases[0] : undefined);
    const headlineRatio = ratio(run, HEADLINE_CASE, 'sandbox', 'ceiling', 'rps').value;
    const missed = headlineRatio !== undefined && headlineRatio < HEADLINE_RPS_TARGET;
    if (headline && servers.includes('sandbox') && (values.profile || (missed && !quick))) {
      run.profile = await profileSandbox(headline, settings, pinning, tmp);
    }

    if (!values['no-suite']) {
      log('timing the contract suite');
      run.suite = await timeContractSuite();
    }
    for (const m of measurements) {
      if (m.load && m.probe.status && !/^2/.test(String(m.probe.status))) {
        notes.push(
          `${m.server} answers ${m.caseId} with ${m.probe.status}: \`${m.probe.excerpt.replace(/\s+/g, ' ').replaceAll('|', '\\|').slice(0, 160)}\``,
        );
      }
    }
    run.seconds = (performance.now() - t0) / 1000;
    run.loadAverage[1] = os.loadavg()[0] ?? 0;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderReport(run));
    log(`report written to ${relative(process.cwd(), out) || out} (${Math.round(run.seconds)} s)`);
  } finally {
    await Promise.all(up.map((s) => s.server.stop()));
    killAll();
    rmSync(tmp, { recursive: true, force: true });
    if (postgres && 'version' in postgres) for (const schema of schemas) await dropSchema(postgres, schema);
  }
}

/** The sandbox or the mock started once more under `node --cpu-prof`: where its start-up time goes. */
async function profileStartup(
  server: 'sandbox' | 'mock',
  pinning: Pinning,
  tmp: string,
): Promise<StartupProfile | undefined> {
  const dir = join(tmp, `startup-prof-${server}`);
  const window = { fromUs: Number(process.hrtime.bigint() / 1000n), toUs: 0 };
  try {
    const running = await startServer({ name: server, pinning, tmp, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] });
    window.toUs = Number(process.hrtime.bigint() / 1000n);
    await running.stop();
  } catch (error) {
    log(`profiling the start-up of the ${server}: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return undefined;
  return { server, summary: summariseProfile(join(dir, file), window) };
}

/** The sandbox again, under `node --cpu-prof`, on the headline case: where its time goes. */
async function profileSandbox(
  c: PreparedCase,
  settings: Settings,
  pinning: Pinning,
  tmp: string,
): Promise<BenchRun['profile']> {
  const dir = join(tmp, 'cpu-prof');
  log('profiling the sandbox (node --cpu-prof)');
  const running = await startServer({
    name: 'sandbox',
    pinning,
    tmp,
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  const window = { fromUs: 0, toUs: 0 };
  const loadSettings = {
    ...settings,
    warmupSeconds: Math.min(settings.warmupSeconds, 3),
    durationSeconds: Math.min(settings.durationSeconds, 10),
    rounds: 1,
  };
  try {
    window.fromUs = Number(process.hrtime.bigint() / 1000n);
    const [m] = await measureCase(c, [{ label: 'sandbox', server: running }], loadSettings, pinning);
    window.toUs = Number(process.hrtime.bigint() / 1000n);
    if (!m?.load) return undefined;
  } finally {
    await running.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return undefined;
  return {
    caseId: c.id,
    summary: summariseProfile(join(dir, file), window),
    note: `The sandbox under \`node --cpu-prof\` on ${c.title}, samples of the load only (${loadSettings.warmupSeconds} + ${loadSettings.durationSeconds} s; start-up left out); under the profiler it runs slower than above.`,
  };
}

try {
  await main();
} catch (error) {
  // A wrong flag or value is one line; anything else keeps its stack.
  const usage =
    /^ERR_PARSE_ARGS/.test(String((error as { code?: unknown }).code)) ||
    /^--|^unknown /.test((error as Error).message);
  log(usage ? `${(error as Error).message} (--help lists the flags)` : ((error as Error).stack ?? String(error)));
  killAll();
  process.exit(1);
}
