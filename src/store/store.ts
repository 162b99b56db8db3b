import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** Sandbox data: entity kind → records, each with its id. */
export type SeedData = Record<string, Record<string, unknown>[]>;

/** The tenant whose rows every tenant sees until it writes its own: the sandbox data. */
const SEED_TENANT = '';

/**
 * Records as JSON documents in one SQLite table, keyed by (tenant, kind, id). Each credential is a tenant: it reads
 * its own rows over the shared sandbox data (copy on write), so two partners never see each other's changes and
 * every one starts from the same data. WAL journal: a committed write is in the file before the call returns, so
 * it survives the process being killed (synchronous=NORMAL trades only power-loss durability for throughput).
 */
export class Store {
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #get: StatementSync;
  readonly #put: StatementSync;
  readonly #list: StatementSync;
  readonly #next: StatementSync;

  constructor(file: string) {
    this.file = file;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file);
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

  get<T>(tenant: string, kind: string, id: string | number): T | undefined {
    const row = this.#get.get(kind, String(id), tenant, SEED_TENANT) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  has(tenant: string, kind: string, id: string | number): boolean {
    return this.#get.get(kind, String(id), tenant, SEED_TENANT) !== undefined;
  }

  put(tenant: string, kind: string, id: string | number, value: unknown): void {
    this.#put.run(tenant, kind, String(id), JSON.stringify(value));
  }

  list<T>(tenant: string, kind: string): T[] {
    return (this.#list.all(kind, tenant, tenant) as { body: string }[]).map((r) => JSON.parse(r.body) as T);
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
      this.#db.exec('ROLLBACK');
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
  }

  /** Whether the sandbox data is loaded (a fresh file has none). */
  isSeeded(): boolean {
    return this.#db.prepare('SELECT 1 FROM records WHERE tenant = ? LIMIT 1').get(SEED_TENANT) !== undefined;
  }

  close(): void {
    this.#db.close();
  }
}
