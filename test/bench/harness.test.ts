/**
 * The benchmark harness end to end, in `--quick` mode with tiny durations: one case against the sandbox and the
 * ceiling, each its own process, loaded by autocannon from another. Checks the report, never a timing: machines
 * are noisy.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/spec/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `node bench/run.ts args`, bounded in time; resolves with its exit code and output. */
function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bench/run.ts'), ...args], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    // SIGTERM lets the harness stop the servers and the load generator it started.
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run bench -- --quick', () => {
  it('measures start-up, one case on the sandbox and the ceiling at two connection counts and two store sizes, and writes the report', async () => {
    const out = join(dir, 'benchmarks.md');
    const { code, output } = await runBench(
      [
        '--quick',
        ...['--cases', 'odyssee-task-put', '--servers', 'sandbox,ceiling'],
        ...['--warmup', '0.2', '--duration', '0.5', '--rounds', '1', '--no-suite', '--out', out],
        ...['--proxy-requests', '50'],
        ...['--starts', '1', '--sweep', '1', '--growth-sizes', '100,1000'],
      ],
      150_000,
    );
    expect(code, output).toBe(0);
    const report = readFileSync(out, 'utf8');

    expect(report).toMatch(/^# Benchmarks/);
    expect(report).toContain('Quick smoke run');
    for (const section of [
      '## Machine',
      '## Targets',
      '## Start-up',
      '## Ratios',
      '## Throughput and latency',
      '## Validating proxy: added latency',
      '## How the cost grows with concurrency',
      '## How the cost grows with the store',
      '## Memory of the servers under load',
    ])
      expect(report).toContain(section);
    // The proxy's added latency: the case straight and through the proxy, both answered 200 every time.
    expect(report).toMatch(
      /\| Odyssee Task PUT \(JSON, Basic\) \| 200×50 \/ 200×50 \| [\d.]+ \| [\d.]+ \| \*\*-?[\d.]+\*\* \|/,
    );
    expect(report).toMatch(
      /\| validating proxy, added latency at p50, every case \(one request at a time\) \| < 0\.3 ms \| [\d.]+ ms at most/,
    );
    expect(report).toMatch(/\| versions \| node v\d+[^|]*fastify \d[^|]*prism \d[^|]*autocannon \d/);

    const ratios = report.slice(report.indexOf('## Ratios'), report.indexOf('## Throughput'));
    expect(ratios).toContain('| case | sandbox / ceiling req/s | sandbox / ceiling p99 |');
    // The case's row has a number in both sandbox/ceiling columns; the mock and Prism were not run.
    expect(ratios).toMatch(/\| Odyssee Task PUT \(JSON, Basic\) \| \d+\.\d+ \| \d+\.\d+ \|/);
    expect(ratios).toContain('mock not measured');

    const table = report.slice(report.indexOf('## Throughput'), report.indexOf('## How the cost grows'));
    for (const server of ['sandbox', 'ceiling'])
      expect(table).toMatch(new RegExp(`\\| Odyssee Task PUT \\(JSON, Basic\\) \\| ${server} \\| 200 \\| [\\d,]+`));
    expect(report).toMatch(/\| sandbox \| \d+\.\d+ s \|/);

    // Start-up on its own: the sandbox three ways, each with a time, its CPU and its RSS; where its time goes.
    const startup = report.slice(report.indexOf('## Start-up'), report.indexOf('## Ratios'));
    // A time is in ms, or in s from one second on (a start on a busy machine).
    const time = '(?:\\d+ ms|\\d+\\.\\d\\d s)';
    for (const variant of ['sandbox', 'sandbox, cold', 'sandbox, NODE_COMPILE_CACHE set'])
      expect(startup).toMatch(
        new RegExp(`\\| ${variant} \\| [^|]+ \\| ${time} \\| [^|]+ \\| ${time} \\| [\\d.]+ MB \\|`),
      );
    expect(startup).toContain("Where the sandbox's start-up goes");

    // The targets of start-up, memory and the body limit, each with a verdict.
    const targets = report.slice(report.indexOf('## Targets'), report.indexOf('## Start-up'));
    expect(targets).toMatch(
      /\| sandbox: start to first answer \(median of 1\) \| ≤ 300 ms \| (\d+ ms|\d+\.\d\d s) .*\| (yes|\*\*no\*\*) \|/,
    );
    expect(targets).toMatch(/\| sandbox: RSS at first answer \| ≤ 100\.0 MB \| [\d.]+ MB .*\| (yes|\*\*no\*\*) \|/);
    expect(targets).toMatch(
      /\| sandbox: a 5 MB body sent with Node's fetch \| 413 every time \| 413 in \d+ of 20.*\| (yes|\*\*no\*\*) \|/,
    );
    expect(targets).toMatch(
      /\| mock: start to first answer [^|]* \| ≤ 1\.50 s \| – \(not measured\) \| not measured \|/,
    );

    // The connection sweep: the case at 1 and 10 connections, sandbox and ceiling measured, the mock not.
    const sweep = report.slice(
      report.indexOf('## How the cost grows'),
      report.indexOf('## How the cost grows with the store'),
    );
    for (const n of [1, 10])
      expect(sweep).toMatch(
        new RegExp(
          `\\| Odyssee Task PUT \\(JSON, Basic\\) \\| ${n} \\| [\\d,]+ / [\\d.]+ \\| [\\d,]+ / [\\d.]+ \\| – \\(`,
        ),
      );

    // The store growth: the headline case with 100 and with 1 000 tasks in the store, each answered 200, their ratio.
    const growth = report.slice(report.indexOf('## How the cost grows with the store'), report.indexOf('## Memory'));
    for (const tasks of ['100', '1,000'])
      expect(growth).toMatch(new RegExp(`\\| ${tasks} \\| 200 \\| [\\d,]+ \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\|`));
    expect(growth).toMatch(/1,000 tasks ÷ 100: req\/s \*\*[\d.]+\*\*, p99 [\d.]+\./);
    expect(targets).toMatch(/\| update with 1,000 tasks ÷ with 100, req\/s \| ≥ 0\.9 \| [\d.]+ \| (yes|\*\*no\*\*) \|/);
  }, 180_000);
});
