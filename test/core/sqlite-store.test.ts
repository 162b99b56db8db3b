/** What only the SQLite engine does: one sandbox per file, and its schema version in the file. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';

const seed = { 'v.task': [{ id: 't1', name: 'seeded' }] };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-'));
  dirs.push(dir);
  return join(dir, 'data.sqlite');
}

describe('the SQLite store', () => {
  it('refuses a second store on the same file while the first is open, and allows it once closed', async () => {
    const file = tempFile();
    const first = await openStore(file);
    await first.seed(seed);
    await expect(openStore(file)).rejects.toThrow(/in use by another process/);
    await first.close();
    const second = await openStore(file);
    expect(await second.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'seeded' });
    await second.close();
  });

  it('commits the transactions that arrive together once, a failing one rolled back alone, every other kept', async () => {
    const file = tempFile();
    const store = await openStore(file);
    await store.seed(seed);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        store.transaction('a', async (tx) => {
          await tx.put('a', 'v.task', `n${i}`, { id: `n${i}`, i });
          if (i === 7) throw new Error('this one fails');
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toHaveLength(49);
    expect(results[7]).toMatchObject({ status: 'rejected', reason: new Error('this one fails') });
    // One COMMIT for all of them: the WAL holds a few pages, not a page or more per transaction.
    expect(statSync(`${file}-wal`).size).toBeLessThan(49 * 4096);
    // A read outside right after sees them all, and so does the next store on the file.
    expect(await store.list('a', 'v.task')).toHaveLength(50);
    await store.close();
    const reopened = await openStore(file);
    expect(await reopened.list('a', 'v.task')).toHaveLength(50);
    expect(await reopened.has('a', 'v.task', 'n7')).toBe(false);
    await reopened.close();
  });

  it('records its schema version in the file, and opens a file written before versions without losing data', async () => {
    const file = tempFile();
    const old = new DatabaseSync(file);
    old.exec(`
      CREATE TABLE records (tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant, kind, id)) WITHOUT ROWID;
      CREATE TABLE sequences (tenant TEXT NOT NULL, kind TEXT NOT NULL, next INTEGER NOT NULL,
        PRIMARY KEY (tenant, kind)) WITHOUT ROWID;
      INSERT INTO records VALUES ('', 'v.task', 't1', '{"id":"t1","name":"old"}');`);
    old.close();
    const store = await openStore(file);
    expect(await store.seed(seed)).toBe(false);
    expect(await store.get('a', 'v.task', 't1')).toEqual({ id: 't1', name: 'old' });
    await store.close();
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
    db.close();
  });

  it('refuses a file a newer sandbox wrote', async () => {
    const file = tempFile();
    const db = new DatabaseSync(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    await expect(openStore(file)).rejects.toThrow(/schema version 99, newer than this sandbox's 1/);
  });
});
