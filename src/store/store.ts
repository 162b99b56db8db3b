import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** Sandbox data: entity kind → records, each with its id. */
export type SeedData = Record<string, Record<string, unknown>[]>;

/** The tenant whose rows every tenant sees until it writes its own: the sandbox data. */
const SEED_TENANT = '';

/** Entries each read cache holds at most (the oldest goes first), so the cache cannot outgrow the data. */
const CACHED = 5000;

const recordKey = (tenant: string, kind: string, id: string) => `${tenant}\0${kind}\0${id}`;
const listKey = (tenant: string, kind: string) => `${tenant}\0${kind}`;

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

/**
 * Records as JSON documents in one SQLite table, keyed by (tenant, kind, id). Each credential is a tenant: it reads
 * its own rows over the shared sandbox data (copy on write), so two partners never see each other's changes and
 * every one starts from the same data. WAL journal: a committed write is in the file before the call returns, so
 * it survives the process being killed (synchronous=NORMAL trades only power-loss durability for throughput).
 *
 * Reads go through a small cache of the JSON text each read resolved to (a record, or a tenant's list of a kind),
 * so a repeated read parses a fresh object without a query: a sandbox request reads the same reference data over
 * and over (an Odyssee task update: 12 reads and 7 lists). Every write through the store updates or drops what it
 * touches; a write to the sandbox data, a reset or a rolled-back transaction drops everything. So the store must be
 * its file's only user while it is open, which an exclusive SQLite lock enforces (see the constructor).
 */
export class Store {
  readonly file: string;
  readonly #db: DatabaseSync;
  /** (tenant, kind, id) → the body that read resolved to, `null` when there was none. */
  readonly #records = new Map<string, string | null>();
  /** (tenant, kind) → the list's JSON array text. */
  readonly #lists = new Map<string, string>();
  readonly #get: StatementSync;
  readonly #put: StatementSync;
  readonly #list: StatementSync;
  readonly #next: StatementSync;

  constructor(file: string) {
    this.file = file;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file);
    // One writer per file, held for as long as the store is open (the read cache below relies on it): a second
    // sandbox on the same file is refused at once with a clear message instead of serving stale reads. The lock is
    // the operating system's, so a killed process leaves none behind.
    this.#db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA busy_timeout = 0;');
    try {
      this.#db.exec('BEGIN IMMEDIATE; COMMIT;');
    } catch (error) {
      this.#db.close();
      const reason = (error as Error).message;
      throw new Error(
        /locked|busy/i.test(reason)
          ? `the data file ${file} is in use by another process (another sandbox?): stop it, or give this one another file with --data`
          : `the data file ${file} cannot be written: ${reason}`,
      );
    }
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS records (
        tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant, kind, id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS sequences (
        tenant TEXT NOT NULL, kind TEXT NOT NULL, next INTEGER NOT NULL, PRIMARY KEY (tenant, kind)
      ) WITHOUT ROWID;
    `);
    this.#get = this.#db.prepare(
      'SELECT body FROM records WHERE kind = ? AND id = ? AND tenant IN (?, ?) ORDER BY tenant DESC LIMIT 1',
    );
    this.#put = this.#db.prepare(
      'INSERT INTO records (tenant, kind, id, body) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, kind, id) DO UPDATE SET body = excluded.body',
    );
    this.#list = this.#db.prepare(`
      SELECT body FROM records r WHERE kind = ? AND (tenant = ? OR (tenant = '' AND NOT EXISTS (
        SELECT 1 FROM records o WHERE o.tenant = ? AND o.kind = r.kind AND o.id = r.id))) ORDER BY id`);
    this.#next = this.#db.prepare(`
      INSERT INTO sequences (tenant, kind, next) VALUES (?, ?, ?)
      ON CONFLICT (tenant, kind) DO UPDATE SET next = next + 1 RETURNING next`);
  }

  /** The body (tenant, kind, id) resolves to, from the cache or the database. */
  #body(tenant: string, kind: string, id: string): string | null {
    const key = recordKey(tenant, kind, id);
    let body = this.#records.get(key);
    if (body === undefined) {
      body = (this.#get.get(kind, id, tenant, SEED_TENANT) as { body: string } | undefined)?.body ?? null;
      remember(this.#records, key, body);
    }
    return body;
  }

  get<T>(tenant: string, kind: string, id: string | number): T | undefined {
    const body = this.#body(tenant, kind, String(id));
    return body === null ? undefined : (JSON.parse(body) as T);
  }

  has(tenant: string, kind: string, id: string | number): boolean {
    return this.#body(tenant, kind, String(id)) !== null;
  }

  put(tenant: string, kind: string, id: string | number, value: unknown): void {
    const body = JSON.stringify(value);
    this.#put.run(tenant, kind, String(id), body);
    if (tenant === SEED_TENANT) {
      // Every tenant reads the sandbox data through: any cached read may have changed.
      this.#forget();
      return;
    }
    remember(this.#records, recordKey(tenant, kind, String(id)), body);
    this.#lists.delete(listKey(tenant, kind));
  }

  list<T>(tenant: string, kind: string): T[] {
    const key = listKey(tenant, kind);
    let text = this.#lists.get(key);
    if (text === undefined) {
      const rows = this.#list.all(kind, tenant, tenant) as { body: string }[];
      text = `[${rows.map((r) => r.body).join(',')}]`;
      remember(this.#lists, key, text);
    }
    return JSON.parse(text) as T[];
  }

  #forget(): void {
    this.#records.clear();
    this.#lists.clear();
  }

  /** The next integer id of a kind for a tenant, above every id the sandbox data has (`floor`). */
  nextId(tenant: string, kind: string, floor: number): number {
    const row = this.#next.get(tenant, kind, floor + 1) as { next: number };
    return row.next;
  }

  /** Runs `fn` in one transaction: all its writes land, or none. */
  transaction<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      // The cache holds the rolled-back writes. Forget them first: a COMMIT that failed (a full disk) may have rolled
      // the transaction back already, and then ROLLBACK itself throws.
      this.#forget();
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Replaces the sandbox data and forgets every tenant's changes (a tenant's only, when named). */
  reset(seed?: SeedData, tenant?: string): void {
    this.transaction(() => {
      if (tenant !== undefined) {
        this.#db.prepare('DELETE FROM records WHERE tenant = ?').run(tenant);
        this.#db.prepare('DELETE FROM sequences WHERE tenant = ?').run(tenant);
        return;
      }
      this.#db.exec('DELETE FROM records; DELETE FROM sequences;');
      for (const [kind, records] of Object.entries(seed ?? {})) {
        for (const record of records) {
          const id = (record as { id?: unknown }).id;
          if (id === undefined) throw new Error(`sandbox data: a ${kind} record has no id`);
          this.put(SEED_TENANT, kind, String(id), record);
        }
      }
    });
    this.#forget();
  }

  /** Every stored row, every tenant and kind, as stored (for audits: the file itself is locked while open). */
  *records(): Generator<{ tenant: string; kind: string; id: string; body: string }> {
    for (const row of this.#db.prepare('SELECT tenant, kind, id, body FROM records').iterate()) {
      yield row as { tenant: string; kind: string; id: string; body: string };
    }
  }

  /** Whether the sandbox data is loaded (a fresh file has none). */
  isSeeded(): boolean {
    return this.#db.prepare('SELECT 1 FROM records WHERE tenant = ? LIMIT 1').get(SEED_TENANT) !== undefined;
  }

  close(): void {
    this.#db.close();
  }
}
