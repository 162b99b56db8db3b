/**
 * The report's sections after the targets and ratios, each a list of markdown lines (empty when the run did not
 * measure it): start-up, the sandbox on PostgreSQL, throughput and latency, the connection sweep, memory, the
 * validating proxy, the contract suite, the profile.
 */
import type { ServerName } from '../servers.ts';
import { medianOf } from '../startup.ts';
import {
  allSuccessful,
  type BenchRun,
  type CaseInfo,
  find,
  format,
  int,
  MB,
  type Measurement,
  ms,
  ratio,
  seconds,
  share,
  statusText,
} from './model.ts';

/** The sandbox on PostgreSQL beside SQLite: one instance, then two behind the same load (what sharing costs). */
export function postgresSection(run: BenchRun): string[] {
  const pg = run.postgres;
  if (!pg) return [];
  const out = ['', '## The sandbox on PostgreSQL', ''];
  if ('unavailable' in pg) {
    return [...out, `Not measured in this run: ${pg.unavailable} (\`npm run bench -- --postgres <url>\`).`];
  }
  const measured = (server: ServerName, caseId: string) => find(run, caseId, server)?.load;
  const rps = (server: ServerName, caseId: string) => {
    const load = measured(server, caseId);
    return load ? int(load.rps) : '–';
  };
  const p99 = (server: ServerName, caseId: string) => {
    const load = measured(server, caseId);
    return load ? ms(load.latencyMs.p99) : '–';
  };
  const cpu = (server: ServerName, caseId: string) => {
    const us = find(run, caseId, server)?.cpuUsPerRequest;
    return us === undefined ? '–' : String(Math.round(us));
  };
  const settings = Object.entries(pg.settings)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `The same sandbox on PostgreSQL ${pg.version} (${settings}) on this machine, not pinned: its server processes`,
    'share both CPUs with the sandbox and the load generator, and their CPU time is not in the CPU column (the',
    "sandbox processes' own). sandbox-pg-2 is two instances on one schema, both on the server CPU, the connections",
    'split between them: the same CPU as one instance, so the ratio is the cost of sharing, not a scale-out (on more',
    'cores each instance would have its own). Every case writes as one partner, so each write waits for the one',
    "before it (the tenant's lock; SQLite's single writer alike): each request is a transaction and a commit.",
    '',
    '| case | SQLite req/s | PostgreSQL req/s | × SQLite | 2 instances req/s | × 1 instance | p99 ms (SQLite / PG / PG ×2) | CPU µs/req (SQLite / PG / PG ×2) |',
    '|---|---|---|---|---|---|---|---|',
    ...run.cases.map(
      (c) =>
        `| ${c.title} | ${rps('sandbox', c.id)} | ${rps('sandbox-pg', c.id)} | ${format(ratio(run, c.id, 'sandbox-pg', 'sandbox', 'rps'))} | ${rps('sandbox-pg-2', c.id)} | ${format(ratio(run, c.id, 'sandbox-pg-2', 'sandbox-pg', 'rps'))} | ${p99('sandbox', c.id)} / ${p99('sandbox-pg', c.id)} / ${p99('sandbox-pg-2', c.id)} | ${cpu('sandbox', c.id)} / ${cpu('sandbox-pg', c.id)} / ${cpu('sandbox-pg-2', c.id)} |`,
    ),
  );
  if (run.spread) {
    const spread = { ...run, measurements: run.spread.measurements };
    const c = run.cases.find((x) => x.id === run.headlineCase);
    const load = (server: ServerName) => find(spread, run.headlineCase, server)?.load;
    const cell = (server: ServerName) => {
      const l = load(server);
      return l ? `${int(l.rps)} (p99 ${ms(l.latencyMs.p99)} ms)` : '–';
    };
    out.push(
      '',
      `${c?.title ?? run.headlineCase} again, the same load spread over ${run.spread.partners} partners (each request as the`,
      'next partner in turn): their writes need not wait for each other on PostgreSQL (a lock per partner); SQLite',
      'has one writer whatever the partner.',
      '',
      '| | SQLite | PostgreSQL | 2 instances | PostgreSQL × SQLite | 2 instances × 1 |',
      '|---|---|---|---|---|---|',
      `| req/s | ${cell('sandbox')} | ${cell('sandbox-pg')} | ${cell('sandbox-pg-2')} | ${format(ratio(spread, run.headlineCase, 'sandbox-pg', 'sandbox', 'rps'))} | ${format(ratio(spread, run.headlineCase, 'sandbox-pg-2', 'sandbox-pg', 'rps'))} |`,
    );
  }
  return out;
}

/** The start-up table (startup.ts) and where each server's start-up time goes. */
export function startupSection(run: BenchRun): string[] {
  if (!run.startup) return [];
  const out = [
    '## Start-up',
    '',
    `Each server started ${run.startup.starts} times on its own (after one discarded start that fills the caches), one`,
    'start at a time on the server CPU, in interleaved rounds: from spawning the process to its first HTTP answer',
    '(wall), the CPU time (every thread) it had used by then, which other work on the machine barely moves, and its',
    'resident set at that moment. Medians, with the range of the wall times.',
    '',
    '| server | how | start to first answer | (range) | CPU by then | RSS at first answer | wall × Prism |',
    '|---|---|---|---|---|---|---|',
  ];
  const prism = run.startup.results.find((r) => r.server === 'prism');
  const prismWall = prism ? medianOf(prism, 'wallMs') : undefined;
  for (const r of run.startup.results) {
    if (r.error || r.samples.length === 0) {
      out.push(`| ${r.label} | ${r.how} | – (${r.error ?? 'no start'}) | | | | |`);
      continue;
    }
    const wall = medianOf(r, 'wallMs') as number;
    const walls = r.samples.map((x) => x.wallMs);
    const cpu = medianOf(r, 'cpuMs');
    const rss = medianOf(r, 'rssBytes');
    out.push(
      `| ${r.label} | ${r.how} | ${seconds(wall)} | ${seconds(Math.min(...walls))}–${seconds(Math.max(...walls))} | ${cpu === undefined ? '–' : seconds(cpu)} | ${rss === undefined ? '–' : MB(rss)} | ${prismWall ? (wall / prismWall).toFixed(2) : '–'} |`,
    );
  }
  for (const p of run.startup.profiles) {
    out.push(
      '',
      `Where the ${p.server}'s start-up goes: one more start under \`node --cpu-prof\` (slower than above), from spawn to`,
      `first answer, ${Math.round(p.summary.busyMs)} ms of CPU sampled.`,
      '',
      '| area (self time) | share |',
      '|---|---|',
      ...p.summary.areas.filter((a) => a.area !== 'idle').map((a) => `| ${a.area} | ${share(a.share)} |`),
    );
  }
  out.push('');
  return out;
}

/** Requests per second and p99 at each connection count: how the cost grows with concurrency. */
export function sweepSection(run: BenchRun): string[] {
  const levels = run.connectionLevels ?? [run.settings.connections];
  if (levels.length < 2 || !run.sweep) return [];
  const at = (caseId: string, server: ServerName, connections: number): Measurement | undefined =>
    connections === run.settings.connections
      ? find(run, caseId, server)
      : run.sweep?.find((m) => m.caseId === caseId && m.server === server && m.connections === connections);
  const cell = (m: Measurement | undefined) =>
    m?.load ? `${int(m.load.rps)} / ${ms(m.load.latencyMs.p99)}` : `– (${m?.error ?? 'not measured'})`;
  const rel = (a: Measurement | undefined, b: Measurement | undefined, on: 'rps' | 'p99') => {
    if (!a?.load || !b?.load) return '–';
    const value = on === 'rps' ? a.load.rps / b.load.rps : a.load.latencyMs.p99 / b.load.latencyMs.p99;
    const caveat = allSuccessful(a) && allSuccessful(b) ? '' : ' (not comparable)';
    return `${value.toFixed(2)}${caveat}`;
  };
  const out = [
    '',
    '## How the cost grows with concurrency',
    '',
    `Each case at ${levels.join(', ')} connections: requests per second / p99 latency in ms. The ${run.settings.connections}-connection`,
    'figures are the ones above; the others come from shorter runs (at most 2 s warm-up, 4 s measured in up to 2',
    'rounds), loading the sandbox, the ceiling and the mock in turn.',
    '',
    '| case | connections | sandbox | ceiling | mock | sandbox ÷ ceiling req/s | sandbox ÷ ceiling p99 |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of run.cases) {
    for (const n of levels) {
      const [s, ce, m] = (['sandbox', 'ceiling', 'mock'] as const).map((server) => at(c.id, server, n));
      out.push(
        `| ${c.title} | ${n} | ${cell(s)} | ${cell(ce)} | ${cell(m)} | ${rel(s, ce, 'rps')} | ${rel(s, ce, 'p99')} |`,
      );
    }
  }
  return out;
}

/** Every case on every server: requests per second, latency quantiles and CPU per request. */
export function throughputSection(run: BenchRun): string[] {
  const out = [
    '',
    '## Throughput and latency',
    '',
    'Requests per second: the median of the rounds (their lowest and highest after it). Latency: per response, from',
    'the load generator (sub-millisecond), over every response of every measured round. CPU: the server process’s',
    'CPU time (all threads) over the case’s warm-up and rounds, per response.',
    '',
    '| case | server | status | req/s (rounds) | × ceiling | p50 ms | p90 ms | p99 ms | max ms | CPU µs/req |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of run.cases) {
    for (const server of run.servers) {
      const m = find(run, c.id, server);
      if (m) out.push(throughputRow(run, c, server, m));
    }
  }
  return out;
}

function throughputRow(run: BenchRun, c: CaseInfo, server: ServerName, m: Measurement): string {
  if (!m.load)
    return `| ${c.title} | ${server} | ${m.probe.status || '–'} | – (${m.error ?? 'not measured'}) | | | | | | |`;
  const vs = server === 'ceiling' ? '1' : format(ratio(run, c.id, server, 'ceiling', 'rps')).replace(/ \(.*$/, '');
  const l = m.load.latencyMs;
  const each = m.load.rounds.map((x) => x.rps);
  const spread = each.length > 1 ? ` (${int(Math.min(...each))}–${int(Math.max(...each))})` : '';
  return `| ${c.title} | ${server} | ${statusText(m.load, m.probe)} | ${int(m.load.rps)}${spread} | ${vs} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.max)} | ${m.cpuUsPerRequest === undefined ? '–' : Math.round(m.cpuUsPerRequest)} |`;
}

/** Each server process's start-up, RSS at first answer and peak RSS under the load. */
export function memorySection(run: BenchRun): string[] {
  const out = [
    '',
    '## Memory of the servers under load',
    '',
    'The processes the load ran against, each started once: start-up as above but a single start, so noisier than',
    'the start-up table. Peak RSS: the process’s VmHWM (its highest resident set since it started, start-up',
    'included) after all its cases.',
    '',
    '| server | start-up to first answer | RSS at first answer | peak RSS | × sandbox peak RSS |',
    '|---|---|---|---|---|',
  ];
  const sandboxRss = run.serverStats.find((s) => s.server === 'sandbox')?.peakRssBytes;
  for (const s of run.serverStats) {
    if (s.error) {
      out.push(`| ${s.label} | – (${s.error}) | | | |`);
      continue;
    }
    const rel = s.peakRssBytes && sandboxRss ? (s.peakRssBytes / sandboxRss).toFixed(2) : '–';
    out.push(
      `| ${s.label} | ${s.startupMs === undefined ? '–' : `${(s.startupMs / 1000).toFixed(2)} s`} | ${s.rssAtReadyBytes === undefined ? '–' : MB(s.rssAtReadyBytes)} | ${s.peakRssBytes === undefined ? '–' : MB(s.peakRssBytes)} | ${rel} |`,
    );
  }
  return out;
}

/** The validating proxy's added latency, per run (paced, back to back) and case. */
export function proxySection(run: BenchRun): string[] {
  if (!run.proxyLatency) return [];
  const pl = run.proxyLatency;
  const out = [
    '',
    '## Validating proxy: added latency',
    '',
    `\`npm run proxy -- --target <sandbox>\` in front of the sandbox. ${pl.note} Latency: from sending the request to`,
    'the last byte of the answer, in ms; added = through the proxy minus straight to the sandbox, at the same quantile.',
    'Requests back to back: the next is sent as soon as the answer is in, so the checks of one exchange (on the',
    "proxy's check thread) compete for the shared server CPU with the next exchange and the sandbox.",
  ];
  if (pl.error) out.push('', `Not measured: ${pl.error}`);
  const title = (id: string) => run.cases.find((c) => c.id === id)?.title ?? id;
  const codes = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([k, n]) => `${k}×${n}`)
      .join(' ');
  for (const r of pl.runs) {
    out.push(
      '',
      `${r.periodMs ? `One request every ${r.periodMs} ms` : 'Back to back'}, ${r.requests} requests per case and side:`,
      '',
      '| case | statuses (straight / proxied) | straight p50 | proxied p50 | **added p50** | straight p99 | proxied p99 | added p99 |',
      '|---|---|---|---|---|---|---|---|',
      ...r.cases.map(
        (c) =>
          `| ${title(c.caseId)} | ${codes(c.direct.statuses)} / ${codes(c.proxied.statuses)} | ${ms(c.direct.p50)} | ${ms(c.proxied.p50)} | **${ms(c.proxied.p50 - c.direct.p50)}** | ${ms(c.direct.p99)} | ${ms(c.proxied.p99)} | ${ms(c.proxied.p99 - c.direct.p99)} |`,
      ),
    );
  }
  return out;
}

export function suiteSection(run: BenchRun): string[] {
  if (!run.suite) return ['', '## Contract suite', '', 'Not timed in this run (`--no-suite`).'];
  return [
    '',
    '## Contract suite',
    '',
    `\`${run.suite.command}\` (the whole contract suite against an in-process sandbox): **${run.suite.seconds.toFixed(1)} s** wall time, ${run.suite.passed ? 'passed' : '**failed**'}${run.suite.summary ? ` (${run.suite.summary})` : ''}.`,
  ];
}

/** The sandbox's CPU profile under the load: by area, by project function, the hottest functions. */
export function profileSection(run: BenchRun): string[] {
  if (!run.profile) return [];
  const p = run.profile;
  return [
    '',
    '## Where the sandbox’s time goes',
    '',
    `${p.note} ${Math.round(p.summary.busyMs)} ms of busy CPU time sampled (idle excluded).`,
    '',
    '| area (self time) | share |',
    '|---|---|',
    ...p.summary.areas.map((a) => `| ${a.area} | ${share(a.share)} |`),
    '',
    '| project function (inclusive) | share |',
    '|---|---|',
    ...p.summary.project.map((f) => `| \`${f.fn}\` | ${share(f.share)} |`),
    '',
    '| hottest functions (self) | share |',
    '|---|---|',
    ...p.summary.hottest.map((f) => `| \`${f.fn}\` | ${share(f.share)} |`),
  ];
}
