import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.ts';

const seed = { 'v.task': [{ id: 't1', name: 'seeded' }], 'v.lead': [{ id: 7, name: 'lead' }] };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(): Store {
  const store = new Store(':memory:');
  store.reset(seed);
  return store;
}

describe('Store', () => {
  it('serves the sandbox data to every tenant until it writes its own copy', () => {
    const store = fresh();
    expect(store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    store.put('a', 'v.task', 't1', { id: 't1', name: 'changed by a' });
    expect(store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'changed by a' });
    expect(store.get('b', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
  });

  it('lists a tenant its own records over the sandbox data, each id once', () => {
    const store = fresh();
    store.put('a', 'v.task', 't1', { id: 't1', name: 'mine' });
    store.put('a', 'v.task', 't2', { id: 't2', name: 'new' });
    expect(store.list('a', 'v.task')).toEqual([
      { id: 't1', name: 'mine' },
      { id: 't2', name: 'new' },
    ]);
    expect(store.list('b', 'v.task')).toEqual([{ id: 't1', name: 'seeded' }]);
  });

  it('numbers new records above a floor, per tenant', () => {
    const store = fresh();
    expect(store.nextId('a', 'v.lead', 100)).toBe(101);
    expect(store.nextId('a', 'v.lead', 100)).toBe(102);
    expect(store.nextId('b', 'v.lead', 100)).toBe(101);
  });

  it('rolls a failed transaction back whole', () => {
    const store = fresh();
    expect(() =>
      store.transaction(() => {
        store.put('a', 'v.task', 't9', { id: 't9' });
        throw new Error('rule broken');
      }),
    ).toThrow('rule broken');
    expect(store.has('a', 'v.task', 't9')).toBe(false);
  });

  it('forgets one tenant, or every tenant, on reset', () => {
    const store = fresh();
    store.put('a', 'v.task', 't1', { id: 't1', name: 'a' });
    store.put('b', 'v.task', 't1', { id: 't1', name: 'b' });
    store.reset(undefined, 'a');
    expect(store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    expect(store.get('b', 'v.task', 't1')).toEqual({ id: 't1', name: 'b' });
    store.reset(seed);
    expect(store.get('b', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
  });

  it('keeps committed writes in its file across a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    dirs.push(dir);
    const file = join(dir, 'data.sqlite');
    const first = new Store(file);
    first.reset(seed);
    first.put('a', 'v.task', 't2', { id: 't2' });
    first.close();
    const second = new Store(file);
    expect(second.isSeeded()).toBe(true);
    expect(second.get('a', 'v.task', 't2')).toEqual({ id: 't2' });
    second.close();
  });
});

describe('Store on a file', () => {
  it('refuses a second store on the same file while the first is open, and allows it once closed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    dirs.push(dir);
    const file = join(dir, 'data.sqlite');
    const first = new Store(file);
    first.reset(seed);
    expect(() => new Store(file)).toThrow(/in use by another process/);
    first.close();
    const second = new Store(file);
    expect(second.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    second.close();
  });
});
