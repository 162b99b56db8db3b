/**
 * Crash recovery: the sandbox runs as a child process (the CLI) on a temp SQLite file (or, in the `postgres`
 * project, a schema of the test database) under a write load of every vendor (iVvy adds, R7-Office and Odyssee task
 * updates, Odyssee activity logs); it is SIGKILLed in the middle of the load, restarted on the same data, and every
 * write the client saw acknowledged must be there: each added task and log with its name, and each task as its last
 * acknowledged write left it (or as the one write that was in flight at the kill, which may or may not have landed).
 * An SQLite file passes SQLite's integrity check after each crash; the stored rows are read directly too.
 *
 * Each lane writes one request at a time, so at most one write per lane has an unknown outcome. Bounded by
 * `bounds.crashCycles` kills, `bounds.loadBeforeKillMs` of load before each and `bounds.writesPerLane` per lane.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, expect, it } from 'vitest';
import { schemaOf, testData, testEngine, withTestDatabase } from '../support/store.ts';
import { type ChildSandbox, killChildren, startReadyChild } from './support/child.ts';
import { exchange } from './support/client.ts';
import { stillAnswers, tempFolder } from './support/harness.ts';
import { bounds, report, timeoutFor } from './support/settings.ts';
import { ivvyAdd, ivvyList, odysseeRead, odysseeUpdate, r7Read, r7Update, tasks } from './support/writes.ts';

const folder = tempFolder('crash');
const dataFile = join(folder.dir, 'sandbox.sqlite');
/** `--data`: the file, or its schema of the test database. */
const data = testData(dataFile);
afterAll(async () => {
  await killChildren();
  folder.remove();
});

const IVVY_KEY = 'sandbox-key+crash';
const ODYSSEE_TENANT = 'odyssee:sandbox';

/** One lane's knowledge of a record: the last value acknowledged, and the value in flight when the kill came. */
interface Known {
  acked?: string;
  inFlight?: string;
}

interface Ledger {
  /** iVvy adds acknowledged (id → name), and names sent whose outcome is unknown. */
  added: Map<number, string>;
  addsInFlight: Set<string>;
  /** Odyssee activity logs (chosen id → subject), acknowledged or in flight. */
  logs: Map<string, string>;
  logsInFlight: Map<string, string>;
  r7: Map<number, Known>;
  odyssee: Map<string, Known>;
}

const ledger: Ledger = {
  added: new Map(),
  addsInFlight: new Set(),
  logs: new Map(),
  logsInFlight: new Map(),
  r7: new Map(),
  odyssee: new Map(),
};

/**
 * Runs `write` one request at a time until it fails (the sandbox is gone), `stop()` says so or the lane has made
 * `bounds.writesPerLane` writes. `write` records what it sends before sending, and what was acknowledged after.
 */
async function lane(write: (i: number) => Promise<boolean>, stop: () => boolean): Promise<void> {
  for (let i = 0; i < bounds.writesPerLane && !stop(); i++) {
    try {
      if (!(await write(i))) return;
    } catch {
      return; // the connection died with the process: the outcome of this write is unknown
    }
  }
}

async function loadUntilKilled(sandbox: ChildSandbox, cycle: number): Promise<void> {
  let killed = false;
  const stop = () => killed;
  const base = sandbox.base;
  const lanes: Promise<void>[] = [];
  for (let l = 0; l < 3; l++) {
    lanes.push(
      lane(async (i) => {
        const name = `crash ${cycle}.${l}.${i}`;
        ledger.addsInFlight.add(name);
        const { answer, body } = await ivvyAdd(base, IVVY_KEY, name);
        if (!body) throw new Error(`ivvy add: ${answer.status} ${answer.body}`);
        ledger.addsInFlight.delete(name);
        ledger.added.set(body.id, name);
        return true;
      }, stop),
    );
  }
  for (const id of tasks.r7) {
    const known = ledger.r7.get(id) ?? {};
    ledger.r7.set(id, known);
    lanes.push(
      lane(async (i) => {
        known.inFlight = `crash ${cycle}.${id}.${i}`;
        const { answer } = await r7Update(base, id, known.inFlight);
        if (answer.status !== 200) throw new Error(`r7 update: ${answer.status} ${answer.body}`);
        known.acked = known.inFlight;
        known.inFlight = undefined;
        return true;
      }, stop),
    );
  }
  for (const id of tasks.odyssee) {
    const known = ledger.odyssee.get(id) ?? {};
    ledger.odyssee.set(id, known);
    lanes.push(
      lane(async (i) => {
        known.inFlight = `crash ${cycle}.${id.slice(0, 8)}.${i}`;
        const { answer } = await odysseeUpdate(base, id, known.inFlight);
        if (answer.status !== 200) throw new Error(`odyssee update: ${answer.status} ${answer.body}`);
        known.acked = known.inFlight;
        known.inFlight = undefined;
        return true;
      }, stop),
    );
  }
  lanes.push(
    lane(async (i) => {
      const id = randomUUID();
      const subject = `crash log ${cycle}.${i}`;
      ledger.logsInFlight.set(id, subject);
      const answer = await exchange('odyssee', base.odyssee as string, {
        method: 'POST',
        path: '/api/TaskActivityLog/Save',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, task_id: tasks.odyssee[0], subject }),
      });
      if (answer.status !== 200) throw new Error(`odyssee log: ${answer.status} ${answer.body}`);
      ledger.logsInFlight.delete(id);
      ledger.logs.set(id, subject);
      return true;
    }, stop),
  );
  const [min, max] = bounds.loadBeforeKillMs;
  await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
  killed = true;
  await sandbox.crash();
  await Promise.all(lanes);
}

/** iVvy after a restart: every acknowledged add listed under its name, once, and no task no add made. */
function ivvyProblems(listed: { id: number; name: string }[]): string[] {
  const problems: string[] = [];
  const byId = new Map(listed.map((t) => [t.id, t.name]));
  if (byId.size !== listed.length) problems.push('iVvy: a task id is listed twice');
  for (const [id, name] of ledger.added) {
    if (byId.get(id) !== name) problems.push(`iVvy: acknowledged add ${id} (${name}) reads ${byId.get(id)}`);
  }
  const crashNames = listed.filter((t) => t.name.startsWith('crash ')).map((t) => t.name);
  const unexpected = crashNames.filter((n) => ![...ledger.added.values()].includes(n) && !ledger.addsInFlight.has(n));
  if (unexpected.length > 0) problems.push(`iVvy: tasks no add made: ${unexpected.join(', ')}`);
  // An in-flight add that landed is now known; one that did not is forgotten (it is not a lost write).
  for (const task of listed) {
    if (ledger.addsInFlight.delete(task.name)) ledger.added.set(task.id, task.name);
  }
  ledger.addsInFlight.clear();
  return problems;
}

/**
 * Each record a lane wrote reads as its acknowledged value or the one in flight (`what` names it in a problem); the
 * value read is the acknowledged one from then on.
 */
async function valueProblems<Id>(
  records: Map<Id, Known>,
  read: (id: Id) => Promise<string | undefined>,
  what: string,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, known] of records) {
    const value = await read(id);
    if (known.acked === undefined && known.inFlight === undefined) continue;
    if (value !== known.acked && value !== known.inFlight) {
      problems.push(`${what} ${id}: ${value}, not the acknowledged ${known.acked} (or in-flight ${known.inFlight})`);
    }
    known.acked = value;
    known.inFlight = undefined;
  }
  return problems;
}

/** What the restarted sandbox must show: every acknowledged write, each record as one of its possible writes. */
async function problemsAfterRestart(sandbox: ChildSandbox): Promise<string[]> {
  const base = sandbox.base;
  const problems = ivvyProblems(await ivvyList(base, IVVY_KEY));
  const r7Title = async (id: number) =>
    ((await r7Read(base, id)).body?.response as { title?: string } | undefined)?.title;
  const odysseeSubject = async (id: string) => (await odysseeRead(base, id)).body?.subject as string | undefined;
  problems.push(...(await valueProblems(ledger.r7, r7Title, 'R7 task')));
  problems.push(...(await valueProblems(ledger.odyssee, odysseeSubject, 'Odyssee task')));
  problems.push(...(await stillAnswers(sandbox.origin, base)));
  return problems;
}

/** The stored activity logs of the Odyssee tenant (id → body), read from the data directly, not through a sandbox. */
async function storedLogs(): Promise<{ problems: string[]; logs: Map<string, string> }> {
  const kind = 'odyssee.task_activity_log';
  if (testEngine === 'postgres') {
    return withTestDatabase(async (client) => {
      const { rows } = await client.query<{ id: string; body: string }>(
        `SELECT id, body FROM "${schemaOf(data)}".records WHERE tenant = $1 AND kind = $2`,
        [ODYSSEE_TENANT, kind],
      );
      return { problems: [], logs: new Map(rows.map((r) => [r.id, r.body])) };
    });
  }
  const db = new DatabaseSync(dataFile, { readOnly: true });
  try {
    const problems: string[] = [];
    const check = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    if (check.map((r) => r.integrity_check).join() !== 'ok') problems.push(`integrity_check: ${JSON.stringify(check)}`);
    const rows = db.prepare('SELECT id, body FROM records WHERE tenant = ? AND kind = ?').all(ODYSSEE_TENANT, kind) as {
      id: string;
      body: string;
    }[];
    return { problems, logs: new Map(rows.map((r) => [r.id, r.body])) };
  } finally {
    db.close();
  }
}

/** Problems of the data itself: SQLite's integrity check, and every acknowledged activity log with its subject. */
async function dataProblems(): Promise<string[]> {
  const { problems, logs } = await storedLogs();
  for (const [id, subject] of ledger.logs) {
    const body = logs.get(id);
    if (body === undefined || (JSON.parse(body) as { subject?: string }).subject !== subject) {
      problems.push(`Odyssee log ${id} (${subject}) is ${body ? body.slice(0, 100) : 'missing'}`);
    }
  }
  for (const [id, subject] of ledger.logsInFlight) if (logs.has(id)) ledger.logs.set(id, subject);
  ledger.logsInFlight.clear();
  return problems;
}

it(
  `every acknowledged write survives ${bounds.crashCycles} SIGKILL(s) under load and a restart on the same data (${testEngine})`,
  async () => {
    let sandbox = await startReadyChild({ dataFile: data });
    let acknowledged = 0;
    for (let cycle = 1; cycle <= bounds.crashCycles; cycle++) {
      await loadUntilKilled(sandbox, cycle);
      const { signal } = await sandbox.exited;
      expect(signal).toBe('SIGKILL');
      // The restarted sandbox recovers the file (its WAL); the checks read through it, then (once it has stopped and
      // released its exclusive lock on the file) the data directly, then it starts again for the next cycle.
      sandbox = await startReadyChild({ dataFile: data });
      expect(await problemsAfterRestart(sandbox)).toEqual([]);
      await sandbox.stop();
      expect(await dataProblems()).toEqual([]);
      sandbox = await startReadyChild({ dataFile: data });
      acknowledged = ledger.added.size + ledger.logs.size;
      report(
        `crash ${cycle}: ${ledger.added.size} iVvy adds and ${ledger.logs.size} Odyssee logs acknowledged so far, all found after the restart`,
      );
    }
    await sandbox.stop();
    expect(await dataProblems()).toEqual([]);
    // The load must have written something for the test to mean anything.
    expect(acknowledged).toBeGreaterThan(0);
    expect([...ledger.r7.values()].some((k) => k.acked !== undefined)).toBe(true);
  },
  timeoutFor(bounds.crashCycles * (Math.max(...bounds.loadBeforeKillMs) + 30_000)),
);
