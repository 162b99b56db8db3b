/**
 * The markdown report (docs/benchmarks.md): the machine, the versions, the ratio table and the targets, then the
 * absolute figures behind them. Absolute figures depend on the machine; the ratios, all taken in one run on the
 * same payloads, are the figures of record. The run's model and ratios are in report/model.ts, the targets in
 * report/targets.ts, the sections after the ratios in report/sections.ts and report/growth.ts.
 */
import { BIG_BODY_TRIES } from './big-body.ts';
import { growthSection } from './report/growth.ts';
import { type BenchRun, cpuRatio, format, ratio, yesNo } from './report/model.ts';
import {
  memorySection,
  postgresSection,
  profileSection,
  proxySection,
  startupSection,
  suiteSection,
  sweepSection,
  throughputSection,
} from './report/sections.ts';
import { findings, targets } from './report/targets.ts';
import { serverDescriptions } from './servers.ts';

export * from './report/model.ts';
export { addedLatency, findings, targets } from './report/targets.ts';

/** The title, the machine and the load settings. */
function machineSection(run: BenchRun): string[] {
  const { machine, settings } = run;
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${run.quick ? ' -- --quick' : ''}\` on ${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${Math.round(run.seconds)} s.` +
      (run.quick ? ' **Quick smoke run: durations too short for figures of record.**' : ''),
    'Every figure below comes from this one run, on the same payloads for every server; compare the ratios, not the',
    'absolute figures, across machines. Run it again with `npm run bench` (about 14 minutes; `-- --quick` for a',
    'smoke run that writes to reports/, `-- --help` for the flags).',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${machine.cpuModel}, ${machine.cores} cores available |`,
    `| memory | ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB |`,
    `| OS | ${machine.os} |`,
    `| versions | ${Object.entries(machine.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} |`,
    `| pinning | ${run.pinning} |`,
    `| 1-min load average | ${run.loadAverage[0].toFixed(2)} at the start, ${run.loadAverage[1].toFixed(2)} at the end (${machine.cores} cores; the server and the load generator of this run account for about 2) |`,
    `| load | autocannon, ${settings.connections} connections, no pipelining; per server per case ${settings.warmupSeconds} s warm-up (discarded), then ${settings.durationSeconds} s measured in ${settings.rounds} interleaved rounds |`,
  ];
}

function targetsSection(run: BenchRun): string[] {
  return [
    '',
    '## Targets',
    '',
    '| target | wanted | measured | met |',
    '|---|---|---|---|',
    ...targets(run).map((t) => `| ${t.name} | ${t.wanted} | ${t.measured} | ${yesNo(t.met)} |`),
    '',
    ...findings(run).map((f) => `- ${f}`),
    '',
  ];
}

function ratiosSection(run: BenchRun): string[] {
  return [
    '## Ratios',
    '',
    'One server over another on the same case: the median, over the measured rounds, of the ratio within a round',
    '(the servers of a round run back to back, so both sides see the same machine).',
    '',
    'The CPU column is the same ratio from the servers’ own CPU time per request (ceiling’s over sandbox’s), which',
    'other work on the machine barely moves: where it and the req/s ratio disagree, the machine was busy.',
    '',
    '| case | sandbox / ceiling req/s | sandbox / ceiling p99 | sandbox / ceiling CPU | sandbox / mock req/s | mock / Prism alone req/s |',
    '|---|---|---|---|---|---|',
    ...run.cases.map(
      (c) =>
        `| ${c.title} | ${format(ratio(run, c.id, 'sandbox', 'ceiling', 'rps'))} | ${format(ratio(run, c.id, 'sandbox', 'ceiling', 'p99'))} | ${format(cpuRatio(run, c.id, 'sandbox', 'ceiling'))} | ${format(ratio(run, c.id, 'sandbox', 'mock', 'rps'), '×')} | ${format(ratio(run, c.id, 'mock', 'prism', 'rps'), '×')} |`,
    ),
  ];
}

function casesSection(run: BenchRun): string[] {
  return [
    '',
    '## Cases',
    '',
    '| case | request | body |',
    '|---|---|---|',
    ...run.cases.map(
      (c) => `| ${c.title} | \`${c.method} ${c.path}\` | \`mocks/${c.sample}\` (${c.bytes} bytes, ${c.mediaType}) |`,
    ),
    '',
    '## Servers',
    '',
    ...run.servers.map((server) => `- **${server}**: ${serverDescriptions[server]}.`),
  ];
}

const method = [
  '',
  '## Method',
  '',
  '- Each server is its own process on 127.0.0.1, all pinned to one CPU; the load generator (autocannon) is another',
  '  process, pinned to a different CPU where the machine allows. The servers are started one after the other (the',
  '  start-up times are not contended) and stay up; only the one being loaded is busy.',
  '- Per case: a warm-up per server, then the measured time split into rounds; each round loads every server in',
  '  turn, starting one server later each round, so a burst of other work on the machine hits all of them alike.',
  '- Every server gets the same bytes: the sample from mocks/, the same `Content-Type`/`Accept`, and the headers',
  "  the project's partner clients (`src/contract/clients.ts`) compute, again before every autocannon run: Basic",
  '  for Odyssee; an iVvy signature, reused for the run (its date is valid for 5 minutes, a run lasts seconds, and',
  "  the sandbox does not refuse a replayed signature); an R7-Office token from the server's own sign-in endpoint",
  '  (the ceiling answers that sign-in too, unmeasured).',
  '- One request is sent before the load and its status shown when the load could not run. Servers that answer',
  '  non-2xx are still measured; their ratios are marked not comparable and left out of the targets.',
  '- Each autocannon run opens its connections afresh and is bounded in time and in request count; the warm-up',
  '  figures are discarded.',
  '- Start-up is measured before anything else runs, each start alone (startup.ts); its targets are judged on the',
  '  median wall time of the command as users run it, whose CPU time is shown beside it: where the two part, the',
  '  machine was busy. `cold` turns Node’s compile cache off: what the first start on a machine costs.',
  `- The body limit: ${BIG_BODY_TRIES} requests in a row with a 5 MB body sent with Node’s \`fetch\` (the headline case’s`,
  '  request, authorised) to the running sandbox and mock (big-body.ts).',
];

export function renderReport(run: BenchRun): string {
  return [
    ...machineSection(run),
    ...targetsSection(run),
    ...startupSection(run),
    ...ratiosSection(run),
    ...postgresSection(run),
    ...throughputSection(run),
    ...sweepSection(run),
    ...growthSection(run),
    ...memorySection(run),
    ...proxySection(run),
    ...suiteSection(run),
    ...profileSection(run),
    ...casesSection(run),
    ...method,
    ...(run.notes.length > 0 ? ['', '## Notes', '', ...run.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}
