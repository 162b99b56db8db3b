/**
 * Several sandbox instances on one PostgreSQL database act as one sandbox. Two instances, each its own process
 * started as a user starts it (`node src/cli/sandbox.ts --data postgres://…`), on one schema of the test database,
 * and a client that spreads its requests over both as a load balancer would:
 *
 * - a write acknowledged by one is read by the other at once (no instance serves a stale copy);
 * - partner isolation and a reset hold across them;
 * - 200 concurrent updates spread over both end as one of them, and concurrent updates of different fields all land;
 * - parallel adds spread over both get ids that are unique (iVvy per partner, R7-Office across partners);
 * - an R7-Office token issued by one is accepted by the other;
 * - the vendors' rate limits and R7-Office's sign-in throttle count the requests of both;
 * - migrations: instances starting at once on a fresh schema apply each migration once.
 *
 * Every load is bounded in count. A SIGKILL of one instance under load is in ./sigkill.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/index.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { type ChildSandbox, killChildren, startReadyChild } from '../reliability/support/child.ts';
import { exchange } from '../reliability/support/client.ts';
import {
  ivvyAdd,
  ivvyList,
  odysseeRead,
  odysseeUpdate,
  r7Read,
  r7Update,
  tasks,
  type Written,
} from '../reliability/support/writes.ts';
import { freshPostgresData, schemaOf, withTestDatabase } from '../support/store.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const statuses = (written: Written[]) => [...new Set(written.map((w) => w.answer.status))];
const json = { 'content-type': 'application/json', accept: 'application/json' };
/** The title in an R7-Office task answer. */
const titleOf = (written: Written) => (written.body?.response as { title?: string } | undefined)?.title;

/** Two instances on one schema; `pick(i)` is the one the i-th request goes to (round robin). */
async function twoInstances(args: { rateLimit?: boolean; args?: string[] } = {}) {
  const data = freshPostgresData();
  const [a, b] = await Promise.all([
    startReadyChild({ dataFile: data, ...args }),
    startReadyChild({ dataFile: data, ...args }),
  ]);
  const instances = [a, b] as [ChildSandbox, ChildSandbox];
  return { data, a, b, instances, pick: (i: number) => instances[i % 2] as ChildSandbox };
}

afterAll(() => killChildren());

describe('two instances on one database', () => {
  let a: ChildSandbox;
  let b: ChildSandbox;
  let pick: (i: number) => ChildSandbox;
  beforeAll(async () => {
    ({ a, b, pick } = await twoInstances());
  });

  it('read your write: 30 writes through one instance, each read at once through the other, then the other way', async () => {
    // One instance only reads while the other writes: a copy it kept of an earlier read would show.
    for (const i of range(30)) {
      const [writer, reader] = i < 15 ? [a, b] : [b, a];
      const subject = `read-your-write ${i}`;
      expect((await odysseeUpdate(writer.base, tasks.odyssee[0], subject)).answer.status).toBe(200);
      expect((await odysseeRead(reader.base, tasks.odyssee[0])).body?.subject).toBe(subject);

      const title = `read-your-write ${i}`;
      expect((await r7Update(writer.base, tasks.r7[0], title)).answer.status).toBe(200);
      expect(titleOf(await r7Read(reader.base, tasks.r7[0]))).toBe(title);

      const added = await ivvyAdd(writer.base, 'sandbox-key+ryw', `read-your-write ${i}`);
      const listed = await ivvyList(reader.base, 'sandbox-key+ryw');
      expect(listed.find((t) => t.id === added.body?.id)?.name).toBe(`read-your-write ${i}`);
    }
  });

  it('partner isolation and a reset hold across instances', async () => {
    const id = tasks.odyssee[1];
    const original = (await odysseeRead(a.base, id, 'sandbox+iso-b')).body?.subject;
    expect((await odysseeUpdate(a.base, id, 'only partner A', 'sandbox+iso-a')).answer.status).toBe(200);
    expect((await odysseeRead(b.base, id, 'sandbox+iso-a')).body?.subject).toBe('only partner A');
    expect((await odysseeRead(b.base, id, 'sandbox+iso-b')).body?.subject).toBe(original);
    expect((await odysseeRead(a.base, id, 'sandbox+iso-a')).body?.subject).toBe('only partner A');

    // An iVvy task partner A changed through instance A, which has it in hand (its read cache)...
    const ivvyId = tasks.ivvy[2];
    const seeded = (await ivvyList(a.base, 'sandbox-key+iso-a')).find((t) => t.id === ivvyId) as unknown as Record<
      string,
      unknown
    >;
    const partial = (instance: ChildSandbox, fields: Record<string, unknown>) =>
      exchange('ivvy', instance.base.ivvy as string, {
        method: 'POST',
        path: '/api/1.0/crm?action=addOrUpdateTask',
        headers: json,
        body: JSON.stringify({ id: ivvyId, ...fields }),
        credentials: { apiKey: 'sandbox-key+iso-a' },
      });
    expect((await partial(a, { description: 'before the reset' })).status).toBe(200);

    // A reset through one instance is what the other serves next, to reads and to writes alike.
    const reset = await fetch(`${b.origin}/_sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect((await odysseeRead(a.base, id, 'sandbox+iso-a')).body?.subject).toBe(original);
    expect((await partial(a, { name: 'after the reset' })).status).toBe(200);
    const after = (await ivvyList(b.base, 'sandbox-key+iso-a')).find((t) => t.id === ivvyId);
    expect(after).toMatchObject({ name: 'after the reset', description: seeded.description });
  });

  it('an R7-Office token issued by one instance is accepted by the other', async () => {
    const signIn = await fetch(`${a.base['r7-office']}/api/2.0/authentication.json`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ userName: 'sandbox+token@example.com', password: 'sandbox' }),
    });
    expect(signIn.status).toBe(201);
    const { token } = ((await signIn.json()) as { response: { token: string } }).response;
    const read = await fetch(`${b.base['r7-office']}/api/2.0/crm/task/${tasks.r7[2]}`, {
      headers: { authorization: token, accept: 'application/json' },
    });
    expect(read.status, await read.clone().text()).toBe(200);
    expect(((await read.json()) as { response: { id: number } }).response.id).toBe(tasks.r7[2]);
  });

  it('200 concurrent updates of one task, spread over both: the task ends as exactly one acknowledged write', async () => {
    const id = tasks.r7[1];
    const writes = await Promise.all(
      range(200).map(async (i) => ({ title: `spread ${i}`, written: await r7Update(pick(i).base, id, `spread ${i}`) })),
    );
    expect(statuses(writes.map((w) => w.written))).toEqual([200]);
    const final = titleOf(await r7Read(a.base, id));
    const winners = writes.filter((w) => titleOf(w.written) === final);
    expect(winners).toHaveLength(1);
    expect(titleOf(await r7Read(b.base, id))).toBe(final);
  });

  it('no lost update: 20 rounds of five concurrent one-field updates of one task, spread over both, keep all five', async () => {
    // Each update sends one field and the task keeps the others (ivvy.task update semantics): an update that read
    // the task before another one committed and then wrote it back whole would put that field's old value back.
    const apiKey = 'sandbox-key+partial';
    const id = tasks.ivvy[0];
    const lost: string[] = [];
    for (const round of range(20)) {
      const fields: Record<string, unknown> = {
        name: `name ${round}`,
        description: `description ${round}`,
        status: [1, 2][round % 2],
        priority: ['low', 'high'][round % 2],
        endDatetime: `2030-01-${String(round + 1).padStart(2, '0')} 10:00:00`,
      };
      const answers = await Promise.all(
        Object.entries(fields).map(([field, value], i) =>
          exchange('ivvy', pick(i + round).base.ivvy as string, {
            method: 'POST',
            path: '/api/1.0/crm?action=addOrUpdateTask',
            headers: json,
            body: JSON.stringify({ id, [field]: value }),
            credentials: { apiKey },
          }),
        ),
      );
      expect([...new Set(answers.map((x) => x.status))]).toEqual([200]);
      const task = (await ivvyList(pick(round + 1).base, apiKey)).find((t) => t.id === id) as unknown as Record<
        string,
        unknown
      >;
      const want = { ...fields, endDatetime: `${fields.endDatetime} UTC` };
      for (const [field, value] of Object.entries(want)) {
        if (task[field] !== value)
          lost.push(`round ${round}: ${field} is ${String(task[field])}, not ${String(value)}`);
      }
    }
    expect(lost).toEqual([]);
  });

  it('the same job suggestion saved 40 times at once over both instances adds its planning once', async () => {
    const job = '465cd9f6-60fc-4b63-8386-9fd2780ae406';
    const body = JSON.stringify({
      name: 'Suggested from two instances',
      project_reference_back_office: 'sample string 5',
      job_type_code: 'REPAIR',
      job_status_code: 'Suggested',
      suggested_user_id: 'abf642f9-e00d-42e5-9e35-4599721f85f9',
      suggested_date_start: '2025-11-03T08:00:00Z',
    });
    const credentials = { user: 'sandbox+suggest' };
    const answers = await Promise.all(
      range(40).map((i) =>
        exchange('odyssee', pick(i).base.odyssee as string, {
          method: 'PUT',
          path: `/api/Jobs(${job})`,
          headers: json,
          body,
          credentials,
        }),
      ),
    );
    expect([...new Set(answers.map((x) => x.status))]).toEqual([200]);
    const list = await exchange('odyssee', b.base.odyssee as string, {
      method: 'GET',
      path: `/api/Jobs(${job})/job_planning`,
      headers: { accept: 'application/json' },
      credentials,
    });
    expect((JSON.parse(list.body) as { value: unknown[] }).value).toHaveLength(1);
  });

  it('200 iVvy adds spread over both: 200 new tasks, ids unique, each with its name', async () => {
    const apiKey = 'sandbox-key+spread-adds';
    const before = await ivvyList(a.base, apiKey);
    const adds = await Promise.all(
      range(200).map(async (i) => ({ name: `add ${i}`, written: await ivvyAdd(pick(i).base, apiKey, `add ${i}`) })),
    );
    expect(statuses(adds.map((x) => x.written))).toEqual([200]);
    expect(new Set(adds.map((x) => x.written.body?.id)).size).toBe(200);
    const after = await ivvyList(b.base, apiKey);
    expect(after).toHaveLength(before.length + 200);
    const byId = new Map(after.map((t) => [t.id, t.name]));
    for (const add of adds) expect(byId.get(add.written.body?.id as number)).toBe(add.name);
  });

  it('100 R7-Office adds by two partners spread over both: 100 distinct ids (one sequence for every partner)', async () => {
    const add = async (i: number) => {
      const user = i % 4 < 2 ? 'sandbox+seq-one@example.com' : 'sandbox+seq-two@example.com';
      const answer = await exchange('r7-office', pick(i).base['r7-office'] as string, {
        method: 'PUT',
        path: '/api/2.0/crm/task/0',
        headers: json,
        body: JSON.stringify({ title: `seq ${i}`, deadline: '2025-06-01T10:00:00.000Z', categoryid: 1234 }),
        credentials: { user },
      });
      expect(answer.status, answer.body).toBe(200);
      return (JSON.parse(answer.body) as { response: { id: number } }).response.id;
    };
    const ids = await Promise.all(range(100).map(add));
    expect(new Set(ids).size).toBe(100);
  });
});

describe('limits count across instances', () => {
  let a: ChildSandbox;
  let b: ChildSandbox;
  beforeAll(async () => {
    ({ a, b } = await twoInstances({ rateLimit: true, args: ['--rate-limits', 'ivvy=4/60'] }));
  });

  it('iVvy: 4 requests a minute in all, whichever instance answers: the 5th and 6th are refused', async () => {
    const list = (instance: ChildSandbox) =>
      exchange('ivvy', instance.base.ivvy as string, {
        method: 'POST',
        path: '/api/1.0/crm?action=getTaskList',
        headers: json,
        body: '{}',
        credentials: { apiKey: 'sandbox-key+shared-rate' },
      });
    const got: number[] = [];
    for (const instance of [a, b, a, b, a, b]) got.push((await list(instance)).status);
    expect(got).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('R7-Office: the sixth failed sign-in within a minute is refused, on either instance, and so is the right password', async () => {
    const doc = await loadSpec('r7-office');
    const blocked = doc['x-errors']?.['login-blocked']?.message as string;
    const failed = doc['x-errors']?.['authentication-failed']?.message as string;
    expect(blocked).toMatch(/Too many attempts/);
    const signIn = async (instance: ChildSandbox, password: string) => {
      const res = await fetch(`${instance.base['r7-office']}/api/2.0/authentication.json`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ userName: 'sandbox+throttled@example.com', password }),
      });
      return { status: res.status, message: ((await res.json()) as { error?: { message?: string } }).error?.message };
    };
    const answers = [];
    for (const instance of [a, b, a, b, a]) answers.push(await signIn(instance, 'wrong'));
    expect(answers.map((x) => x.message)).toEqual([failed, failed, failed, failed, failed]);
    expect(await signIn(b, 'wrong')).toEqual({ status: 500, message: blocked });
    expect(await signIn(a, 'sandbox')).toEqual({ status: 500, message: blocked });
    expect(await signIn(b, 'sandbox')).toEqual({ status: 500, message: blocked });
  });
});

describe('migrations', () => {
  const opened: Store[] = [];
  afterAll(async () => {
    for (const store of opened) await store.close();
  });

  it('six instances starting at once on a fresh schema apply each migration once, and all start', async () => {
    const data = freshPostgresData();
    const stores = await Promise.all(range(6).map(() => openStore(data)));
    opened.push(...stores);
    const rows = await withTestDatabase(async (client) =>
      (await client.query(`SELECT version FROM "${schemaOf(data)}".schema_migrations ORDER BY version`)).rows.map(
        (r: { version: number }) => r.version,
      ),
    );
    expect(rows).toEqual([1, 2, 3]);
    const seeded = await Promise.all(stores.map((s) => s.seed({ 'v.k': [{ id: 'x' }] })));
    expect(seeded.filter(Boolean)).toHaveLength(1);
    for (const store of stores) expect(await store.get('t', 'v.k', 'x')).toEqual({ id: 'x' });
  });

  it('refuses a schema a newer sandbox migrated, naming both versions', async () => {
    const data = freshPostgresData();
    opened.push(await openStore(data));
    await withTestDatabase((client) =>
      client.query(`INSERT INTO "${schemaOf(data)}".schema_migrations (version, name) VALUES (99, 'from the future')`),
    );
    await expect(openStore(data)).rejects.toThrow(/at version 99, newer than this sandbox's 3/);
  });

  it('says where and why when the database does not answer, without the password', async () => {
    await expect(openStore('postgres://someone:secret@127.0.0.1:1/nothing')).rejects.toThrow(
      /^PostgreSQL at postgres:\/\/someone@127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/,
    );
    await expect(openStore('postgres://someone:secret@127.0.0.1:1/nothing')).rejects.not.toThrow(/secret/);
  });
});
