/**
 * A SIGKILL of one instance under load loses no acknowledged write. Two instances on one schema of the test
 * database take a write load of every vendor, each lane one request at a time (so at most one write per lane has an
 * unknown outcome); one instance is SIGKILLed in the middle of it, the other goes on serving the same partners
 * (a lock the killed one held in an open transaction is freed by the server), and then every write either
 * instance acknowledged is read back: through the survivor, and through the killed one restarted.
 * Bounded by `bounds.loadBeforeKillMs`, half a second after the kill, and `bounds.writesPerLane` per lane.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { type ChildSandbox, killChildren, startReadyChild } from '../reliability/support/child.ts';
import { exchange } from '../reliability/support/client.ts';
import { bounds, report, timeoutFor } from '../reliability/support/settings.ts';
import { ivvyAdd, ivvyList, odysseeRead, r7Read, r7Update, tasks } from '../reliability/support/writes.ts';
import { freshPostgresData, schemaOf, withTestDatabase } from '../support/store.ts';

afterAll(() => killChildren());

const IVVY_KEY = 'sandbox-key+sigkill';

interface Ledger {
  /** iVvy adds acknowledged (id → name), and names sent whose outcome is unknown. */
  added: Map<number, string>;
  addsInFlight: Set<string>;
  /** Odyssee activity logs by the id the client chose (→ subject), acknowledged or in flight. */
  logs: Map<string, string>;
  logsInFlight: Map<string, string>;
  /** R7-Office task per instance: the title last acknowledged, and the one in flight. */
  titles: Map<number, { acked?: string; inFlight?: string }>;
  /** Writes the survivor acknowledged after the kill. */
  afterKill: number;
}

async function lane(write: (i: number) => Promise<void>, stop: () => boolean): Promise<void> {
  for (let i = 0; i < bounds.writesPerLane && !stop(); i++) {
    try {
      await write(i);
    } catch {
      return; // the connection died with the process: the outcome of this write is unknown
    }
  }
}

type Listed = Awaited<ReturnType<typeof ivvyList>>;

/** iVvy: every acknowledged add listed under its name, once; no task of this test that was never sent. */
function ivvyProblems(listed: Listed, ledger: Ledger): string[] {
  const found: string[] = [];
  const byId = new Map(listed.map((t) => [t.id, t.name]));
  if (byId.size !== listed.length) found.push('iVvy: a task id is listed twice');
  for (const [id, name] of ledger.added) {
    if (byId.get(id) !== name) found.push(`iVvy: acknowledged add ${id} (${name}) reads ${byId.get(id)}`);
  }
  const names = new Set(ledger.added.values());
  for (const t of listed.filter((t) => t.name.startsWith('sigkill '))) {
    if (!names.has(t.name) && !ledger.addsInFlight.has(t.name)) found.push(`iVvy: ${t.name} was never sent`);
  }
  return found;
}

/** R7-Office: each task reads the title last acknowledged, or the one in flight. */
async function r7Problems(instance: ChildSandbox, ledger: Ledger): Promise<string[]> {
  const found: string[] = [];
  for (const [id, known] of ledger.titles) {
    const title = ((await r7Read(instance.base, id)).body?.response as { title?: string } | undefined)?.title;
    if (title !== known.acked && title !== known.inFlight) {
      found.push(`R7 task ${id}: ${title}, not the acknowledged ${known.acked} (or in flight ${known.inFlight})`);
    }
  }
  return found;
}

/** Odyssee: every acknowledged activity log is in the schema with its subject. */
async function odysseeLogProblems(data: string, ledger: Ledger): Promise<string[]> {
  const { rows } = await withTestDatabase((client) =>
    client.query<{ id: string; body: string }>(
      `SELECT id, body FROM "${schemaOf(data)}".records WHERE tenant = 'odyssee:sandbox' AND kind = 'odyssee.task_activity_log'`,
    ),
  );
  const logs = new Map(rows.map((r) => [r.id, (JSON.parse(r.body) as { subject: string }).subject]));
  const found: string[] = [];
  for (const [id, subject] of ledger.logs) {
    if (logs.get(id) !== subject) found.push(`Odyssee log ${id} (${subject}) reads ${logs.get(id)}`);
  }
  return found;
}

/**
 * Every acknowledged write that `instance` does not read back. With `settle`, iVvy adds whose outcome was unknown and
 * that are listed count as acknowledged from then on.
 */
async function problemsSeenBy(
  instance: ChildSandbox,
  data: string,
  ledger: Ledger,
  settle: boolean,
): Promise<string[]> {
  const listed = await ivvyList(instance.base, IVVY_KEY);
  const found = [
    ...ivvyProblems(listed, ledger),
    ...(await r7Problems(instance, ledger)),
    ...(await odysseeLogProblems(data, ledger)),
  ];
  if (settle) {
    for (const t of listed) if (ledger.addsInFlight.delete(t.name)) ledger.added.set(t.id, t.name);
  }
  expect((await odysseeRead(instance.base, tasks.odyssee[0])).answer.status).toBe(200);
  return found;
}

it(
  'a SIGKILL of one of two instances under load loses no acknowledged write; the other serves on',
  async () => {
    const data = freshPostgresData();
    const [victim, survivor] = await Promise.all([
      startReadyChild({ dataFile: data }),
      startReadyChild({ dataFile: data }),
    ]);
    const ledger: Ledger = {
      added: new Map(),
      addsInFlight: new Set(),
      logs: new Map(),
      logsInFlight: new Map(),
      titles: new Map(),
      afterKill: 0,
    };
    let killed = false;
    let stopped = false;
    const lanesOf = (instance: ChildSandbox, r7Task: number, tag: string) => {
      const known: { acked?: string; inFlight?: string } = {};
      ledger.titles.set(r7Task, known);
      const count = () => {
        if (killed && instance === survivor) ledger.afterKill++;
      };
      const lanes = [0, 1].map((l) =>
        lane(
          async (i) => {
            const name = `sigkill ${tag}.${l}.${i}`;
            ledger.addsInFlight.add(name);
            const { answer, body } = await ivvyAdd(instance.base, IVVY_KEY, name);
            if (!body) throw new Error(`ivvy add: ${answer.status} ${answer.body}`);
            ledger.addsInFlight.delete(name);
            ledger.added.set(body.id, name);
            count();
          },
          () => stopped,
        ),
      );
      lanes.push(
        lane(
          async (i) => {
            known.inFlight = `sigkill ${tag}.${i}`;
            const { answer } = await r7Update(instance.base, r7Task, known.inFlight);
            if (answer.status !== 200) throw new Error(`r7 update: ${answer.status} ${answer.body}`);
            known.acked = known.inFlight;
            known.inFlight = undefined;
            count();
          },
          () => stopped,
        ),
        lane(
          async (i) => {
            const id = randomUUID();
            const subject = `sigkill log ${tag}.${i}`;
            ledger.logsInFlight.set(id, subject);
            const answer = await exchange('odyssee', instance.base.odyssee as string, {
              method: 'POST',
              path: '/api/TaskActivityLog/Save',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ id, task_id: tasks.odyssee[0], subject }),
            });
            if (answer.status !== 200) throw new Error(`odyssee log: ${answer.status} ${answer.body}`);
            ledger.logsInFlight.delete(id);
            ledger.logs.set(id, subject);
            count();
          },
          () => stopped,
        ),
      );
      return lanes;
    };
    const lanes = [...lanesOf(victim, tasks.r7[0], 'victim'), ...lanesOf(survivor, tasks.r7[1], 'survivor')];
    const [min, max] = bounds.loadBeforeKillMs;
    await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
    killed = true;
    await victim.crash();
    expect((await victim.exited).signal).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    stopped = true;
    await Promise.all(lanes);

    const problems = (instance: ChildSandbox, settle: boolean) => problemsSeenBy(instance, data, ledger, settle);

    expect(ledger.added.size + ledger.logs.size).toBeGreaterThan(0);
    expect(ledger.afterKill, 'the survivor acknowledged writes after the kill').toBeGreaterThan(0);
    expect(await problems(survivor, false)).toEqual([]);
    const ready = await fetch(`${survivor.origin}/_sandbox/ready`);
    expect(ready.status).toBe(200);

    const restarted = await startReadyChild({ dataFile: data });
    expect(await problems(restarted, true)).toEqual([]);
    // The restarted instance takes writes of the same partner at once (no lock of the killed one is left).
    expect((await ivvyAdd(restarted.base, IVVY_KEY, 'after the restart')).answer.status).toBe(200);
    expect((await r7Update(restarted.base, tasks.r7[0], 'after the restart')).answer.status).toBe(200);
    report(
      `sigkill: ${ledger.added.size} iVvy adds, ${ledger.logs.size} Odyssee logs acknowledged (${ledger.afterKill} by the survivor after the kill), all found`,
    );
    await Promise.all([survivor.stop(), restarted.stop()]);
  },
  timeoutFor(Math.max(...bounds.loadBeforeKillMs) + 30_000),
);
