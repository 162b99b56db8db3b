/**
 * The store's contract, on the engine under test (SQLite in `npm test`'s default project, PostgreSQL in its
 * `postgres` project): tenants over the sandbox data, lists, ids, transactions, resets, seeding, counters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Records, Store } from '../../src/store/store.ts';
import { dropTestSchemas, openTestStore } from '../support/store.ts';

const seed = { 'v.task': [{ id: 't1', name: 'seeded' }], 'v.lead': [{ id: 7, name: 'lead' }] };
const dirs: string[] = [];
const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(() => dropTestSchemas());

async function fresh(file = ':memory:'): Promise<Store> {
  const store = await openTestStore(file);
  open.push(store);
  await store.reset(seed);
  return store;
}

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-'));
  dirs.push(dir);
  return join(dir, 'data.sqlite');
}

describe('Store', () => {
  it('serves the sandbox data to every tenant until it writes its own copy', async () => {
    const store = await fresh();
    expect(await store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    await store.put('a', 'v.task', 't1', { id: 't1', name: 'changed by a' });
    expect(await store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'changed by a' });
    expect(await store.get('b', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    expect(await store.has('b', 'v.task', 't2')).toBe(false);
  });

  it('lists a tenant its own records over the sandbox data, each id once, in byte order', async () => {
    const store = await fresh();
    await store.put('a', 'v.task', 't1', { id: 't1', name: 'mine' });
    await store.put('a', 'v.task', 't2', { id: 't2', name: 'new' });
    await store.put('a', 'v.task', 'T3', { id: 'T3', name: 'upper case sorts first' });
    expect(await store.list('a', 'v.task')).toEqual([
      { id: 'T3', name: 'upper case sorts first' },
      { id: 't1', name: 'mine' },
      { id: 't2', name: 'new' },
    ]);
    expect(await store.list('b', 'v.task')).toEqual([{ id: 't1', name: 'seeded' }]);
  });

  it("finds a tenant's first record by a field's value, as a search of its list would, and follows its writes", async () => {
    const store = await fresh();
    await store.put('a', 'v.task', 't2', { id: 't2', code: 'X', on: true });
    await store.put('a', 'v.task', 't3', { id: 't3', code: 'X', n: 0 });
    expect(await store.find('a', 'v.task', 'code', 'X')).toEqual({ id: 't2', code: 'X', on: true });
    expect(await store.find('a', 'v.task', 'on', true)).toEqual({ id: 't2', code: 'X', on: true });
    expect(await store.find('a', 'v.task', 'on', 'true')).toBeUndefined();
    expect(await store.find('a', 'v.task', 'n', 0)).toEqual({ id: 't3', code: 'X', n: 0 });
    // A record without the field is found by undefined, as `list.find(r => r.code === undefined)` finds it.
    expect(await store.find('a', 'v.task', 'code', undefined)).toEqual({ id: 't1', name: 'seeded' });
    expect(await store.find('a', 'v.task', 'name', { nested: true })).toBeUndefined();
    expect(await store.find('b', 'v.task', 'code', 'X')).toBeUndefined();
    // A write moves the answer: the index is never stale.
    await store.put('a', 'v.task', 't2', { id: 't2', code: 'Y' });
    expect(await store.find('a', 'v.task', 'code', 'X')).toEqual({ id: 't3', code: 'X', n: 0 });
    await store.transaction('a', (tx) => tx.put('a', 'v.task', 't1', { id: 't1', code: 'X' }));
    expect(await store.transaction('a', (tx) => tx.find('a', 'v.task', 'code', 'X'))).toEqual({ id: 't1', code: 'X' });
    // A rolled-back write leaves nothing behind.
    await expect(
      store.transaction('a', async (tx) => {
        await tx.put('a', 'v.task', 't0', { id: 't0', code: 'X' });
        expect(await tx.find('a', 'v.task', 'code', 'X')).toEqual({ id: 't0', code: 'X' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await store.find('a', 'v.task', 'code', 'X')).toEqual({ id: 't1', code: 'X' });
    // A reset of the tenant drops its writes.
    await store.reset(undefined, 'a');
    expect(await store.find('a', 'v.task', 'code', 'X')).toBeUndefined();
  });

  it('keeps a document as written: key order, nested values, text of any kind', async () => {
    const store = await fresh();
    const value = { z: 1, a: { y: [1, 'two', null], b: true }, text: 'ünïcödé \u0000 \ud800 "quoted" \\' };
    await store.put('a', 'v.doc', 'd1', value);
    const read = await store.get('a', 'v.doc', 'd1');
    expect(read).toEqual(value);
    expect(Object.keys(read as object)).toEqual(['z', 'a', 'text']);
  });

  it('keeps keys apart whatever their text (NUL, %), and stores any', async () => {
    const store = await fresh();
    const tenants = ['a\u0000b', 'a%00b', 'a%', 'a', 'a%25'];
    for (const [i, tenant] of tenants.entries()) await store.put(tenant, 'v.task', `id\u0000${i}`, { i });
    for (const [i, tenant] of tenants.entries()) {
      expect(await store.get(tenant, 'v.task', `id\u0000${i}`)).toEqual({ i });
      expect(await store.list(tenant, 'v.task')).toEqual([{ i }, { id: 't1', name: 'seeded' }]);
    }
    const rows: string[] = [];
    for await (const row of store.records()) if (row.kind === 'v.task' && row.tenant !== '') rows.push(row.tenant);
    expect(rows.sort()).toEqual([...tenants].sort());
    // A lone surrogate (which neither engine keeps as such) is stored and read back all the same.
    await store.put('b\ud800', 'v.task', 'x\udc00', { lone: true });
    expect(await store.get('b\ud800', 'v.task', 'x\udc00')).toEqual({ lone: true });
  });

  it('numbers new records above a floor, per tenant', async () => {
    const store = await fresh();
    expect(await store.nextId('a', 'v.lead', 100)).toBe(101);
    expect(await store.nextId('a', 'v.lead', 100)).toBe(102);
    expect(await store.nextId('b', 'v.lead', 100)).toBe(101);
  });

  it('gives 100 concurrent ids, 100 distinct ones, in and out of transactions', async () => {
    const store = await fresh();
    const ids = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0 ? store.nextId('shared', 'v.x', 0) : store.transaction('a', (tx) => tx.nextId('shared', 'v.x', 0)),
      ),
    );
    expect(new Set(ids).size).toBe(100);
    expect(Math.max(...ids)).toBe(100);
  });

  it('rolls a failed transaction back whole', async () => {
    const store = await fresh();
    await expect(
      store.transaction('a', async (tx) => {
        await tx.put('a', 'v.task', 't9', { id: 't9' });
        await tx.put('a', 'v.task', 't1', { id: 't1', name: 'rolled back' });
        throw new Error('rule broken');
      }),
    ).rejects.toThrow('rule broken');
    expect(await store.has('a', 'v.task', 't9')).toBe(false);
    expect(await store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
  });

  it('commits a transaction whole, and reads its own writes inside it', async () => {
    const store = await fresh();
    const seen = await store.transaction('a', async (tx) => {
      await tx.put('a', 'v.task', 't9', { id: 't9' });
      return tx.list('a', 'v.task');
    });
    expect(seen).toEqual([{ id: 't1', name: 'seeded' }, { id: 't9' }]);
    expect(await store.get('a', 'v.task', 't9')).toEqual({ id: 't9' });
  });

  it('refuses the store itself inside one of its transactions, and the records once it has ended', async () => {
    const store = await fresh();
    let kept: Records | undefined;
    await expect(
      store.transaction('a', async (tx) => {
        kept = tx;
        return store.get('a', 'v.task', 't1');
      }),
    ).rejects.toThrow(/inside one of its transactions/);
    await expect((kept as NonNullable<typeof kept>).get('a', 'v.task', 't1')).rejects.toThrow(/after it ended/);
    expect(await store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
  });

  it('loses no update: 50 concurrent read-modify-write transactions of one tenant', async () => {
    const store = await fresh();
    await store.put('a', 'v.counter', 'c', { id: 'c', n: 0 });
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.transaction('a', async (tx) => {
          const current = (await tx.get<{ n: number }>('a', 'v.counter', 'c'))?.n ?? 0;
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.put('a', 'v.counter', 'c', { id: 'c', n: current + 1 });
        }),
      ),
    );
    expect(await store.get('a', 'v.counter', 'c')).toEqual({ id: 'c', n: 50 });
  });

  it('forgets one tenant, or every tenant, on reset', async () => {
    const store = await fresh();
    await store.put('a', 'v.task', 't1', { id: 't1', name: 'a' });
    await store.put('b', 'v.task', 't1', { id: 't1', name: 'b' });
    await store.reset(undefined, 'a');
    expect(await store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    expect(await store.get('b', 'v.task', 't1')).toEqual({ id: 't1', name: 'b' });
    await store.reset(seed);
    expect(await store.get('b', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
  });

  it('loads the sandbox data once: a store that has it keeps its data', async () => {
    const store = await openTestStore(tempFile());
    open.push(store);
    expect(await store.seed(seed)).toBe(true);
    await store.put('a', 'v.task', 't2', { id: 't2' });
    expect(await store.seed({ 'v.task': [{ id: 'other' }] })).toBe(false);
    expect(await store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    expect(await store.get('a', 'v.task', 't2')).toEqual({ id: 't2' });
  });

  it('keeps committed writes across a reopen', async () => {
    const file = tempFile();
    const first = await openTestStore(file);
    await first.seed(seed);
    await first.put('a', 'v.task', 't2', { id: 't2' });
    await first.close();
    const second = await openTestStore(file);
    open.push(second);
    expect(await second.seed(seed)).toBe(false);
    expect(await second.get('a', 'v.task', 't2')).toEqual({ id: 't2' });
  });

  it('answers its readiness check', async () => {
    const store = await fresh();
    await expect(store.check()).resolves.toBeUndefined();
  });
});

describe('Store counters', () => {
  it('count hits in a fixed window that starts at its first hit', async () => {
    const store = await fresh();
    const first = await store.counters.hit('k', 60_000);
    expect(first.count).toBe(1);
    expect(first.ttlMs).toBeGreaterThan(59_000);
    expect(first.ttlMs).toBeLessThanOrEqual(60_000);
    expect((await store.counters.hit('k', 60_000)).count).toBe(2);
    expect((await store.counters.hit('other', 60_000)).count).toBe(1);
  });

  it('start a new window once the last one has ended', async () => {
    const store = await fresh();
    expect((await store.counters.hit('short', 50)).count).toBe(1);
    expect((await store.counters.hit('short', 50)).count).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await store.counters.hit('short', 50)).count).toBe(1);
  });

  it('update a state atomically: 40 concurrent increments make 40', async () => {
    const store = await fresh();
    await Promise.all(
      Array.from({ length: 40 }, () =>
        store.counters.update<number, void>('n', (n, now) => ({
          state: (n ?? 0) + 1,
          expiresAt: now + 60_000,
          result: undefined,
        })),
      ),
    );
    const read = await store.counters.update<number, number | undefined>('n', (n, now) => ({
      state: n,
      expiresAt: now + 60_000,
      result: n,
    }));
    expect(read).toBe(40);
  });

  it('forget a state once it expires or is cleared', async () => {
    const store = await fresh();
    const set = (state: string | undefined, ms: number) =>
      store.counters.update<string, string | undefined>('s', (old, now) => ({
        state,
        expiresAt: now + ms,
        result: old,
      }));
    await set('kept briefly', 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await set('again', 60_000)).toBeUndefined();
    expect(await set(undefined, 60_000)).toBe('again');
    expect(await set('last', 60_000)).toBeUndefined();
  });
});
