/**
 * Storage faults, with the sandbox as a child process (the CLI) on a data file that already holds the sandbox data
 * and a few known writes:
 *
 * - a full disk, two ways: a real tiny tmpfs when the tests may mount one (root on Linux; writes fail with
 *   ENOSPC), which is then grown to show the sandbox recovers without a restart, and a file-size limit on the
 *   process (`ulimit -f`, RLIMIT_FSIZE: writes past it fail with EFBIG; works anywhere, unprivileged). The small
 *   form runs one of them (the tmpfs when it can), the long form both;
 * - no room at all at start-up (a fresh data file under a one-block file-size limit);
 * - a read-only data file and a read-only data folder (as an unprivileged user when the tests run as root, since
 *   root ignores file modes).
 *
 * What must hold: a write the store cannot make answers a documented 5xx in the vendor's shape (or the error the
 * vendor's spec names for a failed save: iVvy's `error-occurred`), without a stack trace,
 * reads keep answering with the last acknowledged state (never the refused write), a start-up that cannot work is
 * a clean refusal (exit code, one `sandbox: …` line), and afterwards the file passes SQLite's integrity check and
 * still holds everything acknowledged before and during the fault.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/index.ts';
import { startSandbox } from '../support/sandbox.ts';
import { skipWhy } from '../support/skip.ts';
import { answerProblems } from './support/checks.ts';
import { type ChildSandbox, killChildren, type SpawnOptions, startChild, startReadyChild } from './support/child.ts';
import type { Answer } from './support/client.ts';
import { stillAnswers, tempFolder } from './support/harness.ts';
import { bounds, report, timeoutFor } from './support/settings.ts';
import { ivvyAdd, ivvyList, odysseeRead, odysseeUpdate, r7Read, r7Update, tasks } from './support/writes.ts';

const folder = tempFolder('faults');
// An unprivileged child must reach the data files below.
chmodSync(folder.dir, 0o755);
const mounted: string[] = [];
const IVVY_KEY = 'sandbox-key+faults';
const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

/** Whether this run may mount a tmpfs: tried once on an empty folder, unmounted at once. */
function canMountTmpfs(): boolean {
  if (!isRoot) return false;
  const probe = join(folder.dir, 'mount-probe');
  mkdirSync(probe);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'reliability-probe', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const tmpfs = canMountTmpfs();
/** Who runs the children whose file permissions must bite: `nobody` when the tests run as root. */
const unprivileged = isRoot ? { uid: 65534, gid: 65534 } : undefined;

afterAll(async () => {
  await killChildren();
  for (const point of mounted) {
    try {
      execFileSync('umount', [point], { stdio: 'ignore' });
    } catch {
      execFileSync('umount', ['-l', point], { stdio: 'ignore' });
    }
  }
  folder.remove();
});

interface Known {
  r7Title: string;
  odysseeSubject: string;
  ivvyId: number;
  ivvyName: string;
}

/** The sandbox data and one known write per vendor, made once through an in-process sandbox, then copied. */
const template = join(folder.dir, 'template', 'sandbox.sqlite');
let known: Known;

beforeAll(async () => {
  mkdirSync(join(template, '..'));
  const sandbox = await startSandbox({ dataFile: template });
  try {
    const written = {
      r7Title: 'written before the fault',
      odysseeSubject: 'written before the fault',
      ivvyName: 'before the fault',
    };
    expect((await r7Update(sandbox.base, tasks.r7[0], written.r7Title)).answer.status).toBe(200);
    expect((await odysseeUpdate(sandbox.base, tasks.odyssee[0], written.odysseeSubject)).answer.status).toBe(200);
    const added = await ivvyAdd(sandbox.base, IVVY_KEY, written.ivvyName);
    expect(added.answer.status).toBe(200);
    known = { ...written, ivvyId: added.body?.id as number };
  } finally {
    // Closing checkpoints the WAL: the file alone holds everything.
    await sandbox.close();
  }
});

/** A copy of the template data file at `file`; returns the known writes it holds. */
function seededFile(file: string): Known {
  mkdirSync(join(file, '..'), { recursive: true });
  copyFileSync(template, file);
  return known;
}

/** Problems with what a sandbox reads back of the known writes (and the R7 task's last acknowledged title). */
async function knownProblems(base: Record<string, string>, known: Known, r7Title = known.r7Title): Promise<string[]> {
  const problems: string[] = [];
  const title = ((await r7Read(base, tasks.r7[0])).body?.response as { title?: string } | undefined)?.title;
  if (title !== r7Title) problems.push(`R7 task ${tasks.r7[0]} reads ${title}, not ${r7Title}`);
  const subject = (await odysseeRead(base, tasks.odyssee[0])).body?.subject;
  if (subject !== known.odysseeSubject) problems.push(`Odyssee task reads ${subject}, not ${known.odysseeSubject}`);
  const listed = await ivvyList(base, IVVY_KEY);
  if (listed.find((t) => t.id === known.ivvyId)?.name !== known.ivvyName)
    problems.push(`iVvy task ${known.ivvyId} is gone`);
  return problems;
}

/** SQLite's own check of the file, and the known writes read back through a fresh in-process sandbox. */
async function fileProblems(file: string, known: Known, r7Title?: string): Promise<string[]> {
  const db = new DatabaseSync(file);
  const check = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map(
    (r) => r.integrity_check,
  );
  db.close();
  const sandbox = await startSandbox({ dataFile: file });
  try {
    return [
      ...(check.join() === 'ok' ? [] : [`integrity_check: ${check.join('; ')}`]),
      ...(await knownProblems(sandbox.base, known, r7Title)),
    ];
  } finally {
    await sandbox.close();
  }
}

const description = 'd'.repeat(64 * 1024);

/**
 * Writes R7 tasks with a 64 KiB description until the store refuses three in a row (at most `max` writes), then
 * one write per other vendor; returns the last acknowledged title and every refused answer.
 */
async function fillUp(sandbox: ChildSandbox, max = 400) {
  let lastAcked: string | undefined;
  const refused: { vendor: string; operation: string; answer: Answer }[] = [];
  let inARow = 0;
  for (let i = 0; i < max && inARow < 3; i++) {
    const title = `filling ${i}`;
    const { answer } = await r7Update(sandbox.base, tasks.r7[0], title, { description });
    if (answer.status === 200) {
      lastAcked = title;
      inARow = 0;
    } else {
      refused.push({ vendor: 'r7-office', operation: 'updateTask', answer });
      inARow++;
    }
  }
  if (refused.length > 0) {
    const odyssee = await odysseeUpdate(sandbox.base, tasks.odyssee[1], `refused ${'s'.repeat(100)}`, undefined, {
      remark: description,
    });
    if (odyssee.answer.status !== 200)
      refused.push({ vendor: 'odyssee', operation: 'updateTask', answer: odyssee.answer });
    const ivvy = await ivvyAdd(sandbox.base, IVVY_KEY, `refused ${description}`);
    if (ivvy.answer.status !== 200) refused.push({ vendor: 'ivvy', operation: 'addOrUpdateTask', answer: ivvy.answer });
  }
  return { lastAcked, refused };
}

/**
 * Every refused write must be a documented error in its vendor's shape: a 5xx, except where the spec names the
 * error a store failure raises (iVvy's `error-occurred`, a 400 with its own specificCode: "raised only when the
 * store fails").
 */
async function refusalProblems(refused: { vendor: string; operation: string; answer: Answer }[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { vendor, operation, answer } of refused) {
    const storeFailure = (await loadSpec(vendor))['x-errors']?.['error-occurred'];
    const named =
      storeFailure !== undefined &&
      answer.status === storeFailure.status &&
      (JSON.parse(answer.body) as { specificCode?: unknown }).specificCode === storeFailure.specificCode;
    const found = await answerProblems(vendor, operation, answer, { serverError: !named });
    problems.push(...found.map((p) => `${vendor}: ${p}`));
  }
  return problems;
}

/** Runs the CLI under a shell that first limits the size of any file the process writes (512-byte blocks). */
const fileSizeLimit =
  (bytes: number): SpawnOptions['wrap'] =>
  (argv) => ['/bin/sh', '-c', `ulimit -f ${Math.ceil(bytes / 512)} && exec "$@"`, 'sh', ...argv];

const hasShell = process.platform !== 'win32';

describe('a full disk', () => {
  // The small form fills the disk one way: a real tmpfs when it can be mounted, else the file-size limit.
  it.skipIf(
    skipWhy(
      !(hasShell && (bounds.everyFullDisk || !tmpfs)),
      'a full disk by file-size limit',
      hasShell
        ? 'the small form fills the disk one way, and a tmpfs can be mounted here (RELIABILITY=long runs both)'
        : 'no POSIX shell for ulimit',
    ),
  )(
    'file-size limit (RLIMIT_FSIZE): refused writes answer a vendor-shaped 5xx, reads keep the last acknowledged state, the file stays whole',
    async () => {
      const file = join(folder.dir, 'fsize', 'sandbox.sqlite');
      const known = seededFile(file);
      const limit = statSync(file).size + 256 * 1024;
      const sandbox = await startReadyChild({ dataFile: file, wrap: fileSizeLimit(limit) });
      const { lastAcked, refused } = await fillUp(sandbox);
      report(
        `file-size limit ${limit} bytes: ${refused.length} writes refused after the last acknowledged "${lastAcked}"`,
      );
      expect(refused.length, 'the limit was reached').toBeGreaterThan(0);
      expect(await refusalProblems(refused)).toEqual([]);
      expect(await knownProblems(sandbox.base, known, lastAcked ?? known.r7Title)).toEqual([]);
      expect(await stillAnswers(sandbox.origin, sandbox.base)).toEqual([]);
      await sandbox.stop();
      expect(await fileProblems(file, known, lastAcked ?? known.r7Title)).toEqual([]);
    },
    timeoutFor(60_000),
  );

  it.skipIf(
    skipWhy(!tmpfs, 'a full disk on a tiny tmpfs', 'mounting a tmpfs needs root on Linux, and was refused here'),
  )(
    'a tiny tmpfs: refused writes answer a vendor-shaped 5xx; once the disk grows, writes work again without a restart',
    async (ctx) => {
      const point = join(folder.dir, 'tmpfs');
      const seed = join(folder.dir, 'tmpfs-seed', 'sandbox.sqlite');
      const known = seededFile(seed);
      const size = Math.ceil((statSync(seed).size + 320 * 1024) / 4096) * 4;
      mkdirSync(point);
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}k,mode=0755`, 'reliability-test', point], {
          stdio: 'pipe',
        });
      } catch (error) {
        return ctx.skip(`mount refused: ${(error as Error).message.split('\n')[0]}`);
      }
      mounted.push(point);
      const file = join(point, 'sandbox.sqlite');
      copyFileSync(seed, file);
      const sandbox = await startReadyChild({ dataFile: file });
      const { lastAcked, refused } = await fillUp(sandbox);
      report(`tmpfs of ${size} KiB: ${refused.length} writes refused after the last acknowledged "${lastAcked}"`);
      expect(refused.length, 'the disk filled up').toBeGreaterThan(0);
      expect(await refusalProblems(refused)).toEqual([]);
      expect(await knownProblems(sandbox.base, known, lastAcked ?? known.r7Title)).toEqual([]);
      // Room again: the same process writes, no restart needed.
      execFileSync('mount', ['-o', 'remount,size=64m', point], { stdio: 'pipe' });
      const after = await r7Update(sandbox.base, tasks.r7[0], 'after the disk grew');
      expect(after.answer.status, after.answer.body).toBe(200);
      expect(await knownProblems(sandbox.base, known, 'after the disk grew')).toEqual([]);
      await sandbox.stop();
      expect(await fileProblems(file, known, 'after the disk grew')).toEqual([]);
    },
    timeoutFor(60_000),
  );

  it.skipIf(skipWhy(!hasShell, 'no room at all at start-up', 'no POSIX shell for ulimit'))(
    'no room at all at start-up: a clean refusal with a message, no stack trace',
    async () => {
      const file = join(folder.dir, 'no-room', 'sandbox.sqlite');
      const outcome = await startChild({ dataFile: file, wrap: fileSizeLimit(512) });
      expect(outcome.ready, 'the sandbox must not start without room for its data').toBe(false);
      if (outcome.ready) return;
      expect(outcome.code).not.toBe(0);
      expect(outcome.output).toMatch(/^sandbox: \S.*$/m);
      expect(outcome.output).not.toMatch(/^\s+at /m);
    },
    timeoutFor(30_000),
  );
});

const readOnlyUntestable = skipWhy(
  !(hasShell && (isRoot || process.getuid?.() !== 0)),
  'read-only storage',
  'no POSIX shell to run an unprivileged child',
);
describe.skipIf(readOnlyUntestable)('read-only storage', () => {
  const cases: [string, { file: number; dir: number }][] = [
    ['a read-only data file', { file: 0o444, dir: 0o777 }],
    ['a read-only data folder', { file: 0o666, dir: 0o555 }],
  ];
  let n = 0;

  it.each(cases)(
    '%s: a clean refusal at start-up, or reads that answer and writes that answer a vendor-shaped 5xx; the data intact',
    async (_name, modes) => {
      const dir = join(folder.dir, `read-only-${n++}`);
      const file = join(dir, 'sandbox.sqlite');
      const known = seededFile(file);
      chmodSync(file, modes.file);
      chmodSync(dir, modes.dir);
      try {
        const outcome = await startChild({ dataFile: file, ...(unprivileged ? { user: unprivileged } : {}) });
        if (!outcome.ready) {
          report(`${_name}: refused at start-up: ${outcome.output.trim()}`);
          expect(outcome.code).not.toBe(0);
          expect(outcome.output).toMatch(/^sandbox: \S.*$/m);
          expect(outcome.output).not.toMatch(/^\s+at /m);
        } else {
          const sandbox = outcome.sandbox;
          expect(await knownProblems(sandbox.base, known)).toEqual([]);
          const write = await r7Update(sandbox.base, tasks.r7[0], 'not on a read-only disk');
          report(`${_name}: started; a write answers ${write.answer.status} ${write.answer.body}`);
          expect(
            await refusalProblems([{ vendor: 'r7-office', operation: 'updateTask', answer: write.answer }]),
          ).toEqual([]);
          expect(await knownProblems(sandbox.base, known)).toEqual([]);
          await sandbox.stop();
        }
      } finally {
        chmodSync(dir, 0o755);
        chmodSync(file, 0o644);
      }
      expect(await fileProblems(file, known)).toEqual([]);
    },
    timeoutFor(60_000),
  );
});
