/**
 * The PostgreSQL engine's read cache holds across instances: two stores on one schema (two instances), each
 * transaction reading what the other one committed, however much either has in hand; writes a transaction keeps
 * until COMMIT are read back inside it and vanish with a rollback.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.ts';
import { freshPostgresData } from '../support/store.ts';

const seed = {
  'v.task': [
    { id: 't1', name: 'seeded' },
    { id: 't3', name: 'seeded too' },
  ],
};
const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

let a: Store;
let b: Store;
beforeEach(async () => {
  const data = freshPostgresData();
  a = await openStore(data);
  b = await openStore(data);
  stores.push(a, b);
  await a.seed(seed);
});

/** What a transaction of `tenant` on `store` reads: one record and the list. */
const read = (store: Store, tenant: string) =>
  store.transaction(tenant, async (tx) => ({
    t1: await tx.get<{ name: string }>(tenant, 'v.task', 't1'),
    list: await tx.list<{ id: string }>(tenant, 'v.task'),
  }));

describe('two instances', () => {
  it('a transaction reads what the other instance committed, though it read the record before', async () => {
    expect((await read(a, 'p')).t1).toEqual({ id: 't1', name: 'seeded' });
    await b.transaction('p', (tx) => tx.put('p', 'v.task', 't1', { id: 't1', name: 'written by b' }));
    await b.transaction('p', (tx) => tx.put('p', 'v.task', 't2', { id: 't2', name: 'added by b' }));
    const seen = await read(a, 'p');
    expect(seen.t1).toEqual({ id: 't1', name: 'written by b' });
    expect(seen.list.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
  });

  it('a reset or a partner reset through the other instance is what the next transaction reads', async () => {
    await a.transaction('p', (tx) => tx.put('p', 'v.task', 't1', { id: 't1', name: 'mine' }));
    expect((await read(a, 'p')).t1?.name).toBe('mine');
    await b.reset(undefined, 'p');
    expect((await read(a, 'p')).t1?.name).toBe('seeded');
    await a.transaction('p', (tx) => tx.put('p', 'v.task', 't1', { id: 't1', name: 'mine again' }));
    expect((await read(a, 'p')).t1?.name).toBe('mine again');
    await b.reset({ 'v.task': [{ id: 't1', name: 'new sandbox data' }] });
    expect(await read(a, 'p')).toEqual({
      t1: { id: 't1', name: 'new sandbox data' },
      list: [{ id: 't1', name: 'new sandbox data' }],
    });
  });
});

describe('one transaction', () => {
  it('reads its own writes back, lists with them in id order, before they are sent with the commit', async () => {
    await read(a, 'p');
    const seen = await a.transaction('p', async (tx) => {
      await tx.put('p', 'v.task', 't2', { id: 't2', name: 'added' });
      await tx.put('p', 'v.task', 't1', { id: 't1', name: 'changed' });
      await tx.put('p', 'v.task', 't1', { id: 't1', name: 'changed twice' });
      return {
        t1: await tx.get('p', 'v.task', 't1'),
        list: await tx.list('p', 'v.task'),
        has: await tx.has('p', 'v.task', 't2'),
      };
    });
    expect(seen).toEqual({
      t1: { id: 't1', name: 'changed twice' },
      list: [
        { id: 't1', name: 'changed twice' },
        { id: 't2', name: 'added' },
        { id: 't3', name: 'seeded too' },
      ],
      has: true,
    });
    expect(await b.list('p', 'v.task')).toEqual(seen.list);
    expect(await read(a, 'p')).toEqual({ t1: seen.t1, list: seen.list });
  });

  it('leaves nothing of a rolled-back transaction behind, in the database or in the cache', async () => {
    await read(a, 'p');
    await expect(
      a.transaction('p', async (tx) => {
        await tx.put('p', 'v.task', 't1', { id: 't1', name: 'rolled back' });
        await tx.list('p', 'v.task');
        throw new Error('a rule refused it');
      }),
    ).rejects.toThrow('a rule refused it');
    expect((await read(a, 'p')).t1?.name).toBe('seeded');
    expect((await b.get<{ name: string }>('p', 'v.task', 't1'))?.name).toBe('seeded');
  });

  it('a write to the sandbox data inside a transaction is read by every tenant after it, on every instance', async () => {
    await read(a, 'p');
    expect((await read(b, 'q')).t1?.name).toBe('seeded');
    await a.transaction('p', async (tx) => {
      await tx.put('p', 'v.task', 't2', { id: 't2', name: 'kept until commit' });
      await tx.put('', 'v.task', 't1', { id: 't1', name: 'new for everyone' });
      expect(await tx.get('p', 'v.task', 't1')).toEqual({ id: 't1', name: 'new for everyone' });
    });
    expect((await read(b, 'q')).t1?.name).toBe('new for everyone');
    expect((await a.get<{ name: string }>('p', 'v.task', 't2'))?.name).toBe('kept until commit');
  });
});
