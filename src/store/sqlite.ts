/**
 * The SQLite engine (node:sqlite): one file, one sandbox. Records are JSON documents in one table keyed by
 * (tenant, kind, id). Each credential is a tenant: it reads its own rows over the shared sandbox data (copy on
 * write), so two partners never see each other's changes and every one starts from the same data. WAL journal: a
 * committed write is in the file before the call returns, so it survives the process being killed
 * (synchronous=NORMAL trades only power-loss durability for throughput).
 *
 * node:sqlite is synchronous and the store's interface is not: a transaction awaits its handler between reads and
 * writes. So one lock orders everything on the connection: a transaction holds it from its start to its end, and a
 * read or write outside one waits for it (it would otherwise see the transaction's uncommitted writes). When the
 * lock is free, which is almost always, a call runs at once. The transactions of one turn of the event loop share
 * one COMMIT (group commit, see `transaction`): a call outside them commits them first.
 *
 * Reads go through a small cache (sqlite-cache.ts) of the JSON text each read resolved to (a record, a list),
 * so a repeated read parses a fresh object without a query: a sandbox request reads the same reference data over
 * and over (an Odyssee task update: a dozen reads, and lookups by ERP key that `find` answers from an index of the
 * list, parsing one record instead of the whole list). Every write through the store updates or drops what it
 * touches; a write to the sandbox data, a reset or a rolled-back transaction drops everything. So the store must be
 * its file's only user while it is open, which an exclusive SQLite lock enforces (see the constructor).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { MemoryCounters } from './memory-counters.ts';
import { ReadCache } from './sqlite-cache.ts';
import { type Batch, Lock, newBatch, settled } from './sqlite-lock.ts';
import { migrate } from './sqlite-schema.ts';
import {
  type Records,
  refuseInsideTransaction,
  runInside,
  type SeedData,
  type Store,
  type StoredRow,
  transactionRecords,
} from './store.ts';

/** The tenant whose rows every tenant sees until it writes its own: the sandbox data. */
const SEED_TENANT = '';

/**
 * WAL checkpoints: every CHECKPOINT_MS the WAL is copied into the database file by a PASSIVE checkpoint when no
 * transaction runs, so a request's COMMIT rarely pays for one (SQLite would run it inside the COMMIT that crosses
 * 1 000 pages, with its fsync). SQLite's own still runs past CHECKPOINT_PAGES, so the WAL stays bounded under any
 * load. Either way a commit is as durable as before: checkpoints only move committed pages.
 */
const CHECKPOINT_MS = 1000;
const CHECKPOINT_PAGES = 10_000;

export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  readonly location: string;
  readonly counters = new MemoryCounters();
  readonly #db: DatabaseSync;
  readonly #lock = new Lock();
  readonly #cache = new ReadCache();
  readonly #get: StatementSync;
  readonly #put: StatementSync;
  readonly #list: StatementSync;
  readonly #next: StatementSync;
  /** Records through the store's own methods, for a transaction to hand out (each wraps them in its own guard). */
  readonly #direct: Records;
  /** The open group commit: transactions done, their COMMIT not yet run (see `transaction`). */
  #batch: Batch | undefined;
  /** Whether anything was committed since the last checkpoint. */
  #written = false;
  readonly #checkpoints: NodeJS.Timeout;

  static async open(file: string): Promise<SqliteStore> {
    return new SqliteStore(file);
  }

  private constructor(file: string) {
    this.location = file;
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
    this.#db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = ${CHECKPOINT_PAGES};`,
    );
    migrate(this.#db, file);
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
    this.#direct = {
      get: <T>(tenant: string, kind: string, id: string | number) =>
        settled(() => this.#read<T>(tenant, kind, String(id))),
      has: (tenant, kind, id) => settled(() => this.#body(tenant, kind, String(id)) !== null),
      put: (tenant, kind, id, value) => settled(() => this.#write(tenant, kind, String(id), value)),
      list: <T>(tenant: string, kind: string) => settled(() => this.#readList<T>(tenant, kind)),
      find: <T>(tenant: string, kind: string, field: string, value: unknown) =>
        settled(() => this.#find<T>(tenant, kind, field, value)),
      nextId: (tenant, kind, floor) => settled(() => this.#nextId(tenant, kind, floor)),
    };
    this.#checkpoints = setInterval(() => this.#checkpoint(), CHECKPOINT_MS).unref();
  }

  /** A PASSIVE checkpoint between transactions, when something was written since the last one. */
  #checkpoint(): void {
    if (!this.#written || !this.#lock.free || this.#batch || !this.#db.isOpen || this.#db.isTransaction) return;
    this.#written = false;
    try {
      this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // A checkpoint that cannot run now (a full disk) leaves the WAL as it is: the next one, or SQLite's, retries.
      this.#written = true;
    }
  }

  /** Runs `op` outside any transaction: at once when no transaction runs, else after it. */
  #outside<T>(op: () => T): Promise<T> {
    try {
      refuseInsideTransaction(this);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#lock.free && !this.#batch) return settled(op);
    // After the transactions before it, committed: it never reads, nor joins, a commit still to come.
    return this.#lock.run(() => {
      this.#commitBatch();
      return op();
    });
  }

  /** The body (tenant, kind, id) resolves to, from the cache or the database. */
  #body(tenant: string, kind: string, id: string): string | null {
    return this.#cache.body(
      tenant,
      kind,
      id,
      () => (this.#get.get(kind, id, tenant, SEED_TENANT) as { body: string } | undefined)?.body ?? null,
    );
  }

  #read<T>(tenant: string, kind: string, id: string): T | undefined {
    const body = this.#body(tenant, kind, id);
    return body === null ? undefined : (JSON.parse(body) as T);
  }

  #write(tenant: string, kind: string, id: string, value: unknown): void {
    const body = JSON.stringify(value);
    this.#put.run(tenant, kind, id, body);
    this.#written = true;
    // Every tenant reads the sandbox data through: after a write to it, any cached read may have changed.
    if (tenant === SEED_TENANT) this.#forget();
    else this.#cache.wrote(tenant, kind, id, body);
  }

  /** The bodies of the tenant's list of a kind, from the database. */
  #listed(tenant: string, kind: string): string[] {
    return (this.#list.all(kind, tenant, tenant) as { body: string }[]).map((r) => r.body);
  }

  #readList<T>(tenant: string, kind: string): T[] {
    return JSON.parse(this.#cache.list(tenant, kind, () => this.#listed(tenant, kind))) as T[];
  }

  #find<T>(tenant: string, kind: string, field: string, value: unknown): T | undefined {
    // A parsed record's field is never the very object given: `===` matches only a primitive.
    if (typeof value === 'object' && value !== null) return undefined;
    const body = this.#cache.found(tenant, kind, field, value, () => this.#listed(tenant, kind));
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }

  #nextId(tenant: string, kind: string, floor: number): number {
    this.#written = true;
    return (this.#next.get(tenant, kind, floor + 1) as { next: number }).next;
  }

  #forget(): void {
    this.#cache.clear();
  }

  get<T>(tenant: string, kind: string, id: string | number): Promise<T | undefined> {
    return this.#outside(() => this.#read<T>(tenant, kind, String(id)));
  }

  has(tenant: string, kind: string, id: string | number): Promise<boolean> {
    return this.#outside(() => this.#body(tenant, kind, String(id)) !== null);
  }

  /** A write on its own is its own transaction (SQLite's autocommit). */
  put(tenant: string, kind: string, id: string | number, value: unknown): Promise<void> {
    return this.#outside(() => this.#write(tenant, kind, String(id), value));
  }

  list<T>(tenant: string, kind: string): Promise<T[]> {
    return this.#outside(() => this.#readList<T>(tenant, kind));
  }

  find<T>(tenant: string, kind: string, field: string, value: unknown): Promise<T | undefined> {
    return this.#outside(() => this.#find<T>(tenant, kind, field, value));
  }

  nextId(tenant: string, kind: string, floor: number): Promise<number> {
    return this.#outside(() => this.#nextId(tenant, kind, floor));
  }

  /**
   * One transaction at a time, whatever the tenant: SQLite has one writer per file anyway. Group commit: the
   * transactions that run in the same turn of the event loop (the requests that arrived together) share one SQLite
   * transaction, each in a savepoint of its own (a failing one rolls back alone), and one COMMIT, run once the turn
   * is over. Each is acknowledged only after that COMMIT, so an acknowledged write is as durable as before; when the
   * COMMIT fails, every transaction of the group fails with it.
   */
  async transaction<T>(_tenant: string, fn: (tx: Records) => Promise<T>): Promise<T> {
    refuseInsideTransaction(this);
    const { result, committed } = await this.#lock.run(() => this.#inBatch(fn));
    await committed;
    return result;
  }

  /** `fn` in a savepoint of the open batch (opened when there is none), with the lock held. */
  async #inBatch<T>(fn: (tx: Records) => Promise<T>): Promise<{ result: T; committed: Promise<void> }> {
    const batch = this.#batch ?? this.#openBatch();
    let open = true;
    const tx = transactionRecords(this.#direct, () => open);
    this.#db.exec('SAVEPOINT request');
    try {
      const result = await runInside(this, () => fn(tx));
      open = false;
      this.#db.exec('RELEASE request');
      return { result, committed: batch.committed };
    } catch (error) {
      open = false;
      // The cache holds the rolled-back writes: forget them.
      this.#forget();
      this.#rollbackRequest(error);
      throw error;
    }
  }

  /**
   * Undoes the failed transaction's savepoint. When SQLite rolled back the whole transaction instead (a full disk),
   * or the savepoint cannot be rolled back to, the batch's other transactions fail with it, never acknowledged.
   */
  #rollbackRequest(error: unknown): void {
    try {
      if (this.#db.isTransaction) {
        this.#db.exec('ROLLBACK TO request; RELEASE request');
        return;
      }
    } catch {
      // Rolled back whole, below.
    }
    const batch = this.#batch;
    this.#batch = undefined;
    try {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
    } catch {
      // Nothing left to roll back.
    }
    batch?.reject(error);
  }

  #openBatch(): Batch {
    this.#db.exec('BEGIN IMMEDIATE');
    const batch = newBatch();
    this.#batch = batch;
    // After the event loop's turn: the requests read in this turn have joined it by then.
    setImmediate(() => {
      if (this.#batch === batch) void this.#lock.run(() => this.#commitBatch());
    });
    return batch;
  }

  /** Commits the open batch, if any (with the lock held), and settles its transactions. */
  #commitBatch(): void {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    try {
      this.#db.exec('COMMIT');
      this.#written = true;
      batch.resolve();
    } catch (error) {
      // As #inTransaction: forget first; a COMMIT that failed may have rolled back already.
      this.#forget();
      try {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      } catch {
        // Nothing left to roll back.
      }
      batch.reject(error);
    }
  }

  /** BEGIN, `fn`, COMMIT, with the lock held and no batch open (seed, reset); ROLLBACK when anything throws. */
  async #inTransaction<T>(fn: (tx: Records) => Promise<T>): Promise<T> {
    let open = true;
    const tx = transactionRecords(this.#direct, () => open);
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = await runInside(this, () => fn(tx));
      open = false;
      this.#db.exec('COMMIT');
      this.#written = true;
      return result;
    } catch (error) {
      open = false;
      // The cache holds the rolled-back writes. Forget them first: a COMMIT that failed (a full disk) may have rolled
      // the transaction back already, and then ROLLBACK itself throws.
      this.#forget();
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  async seed(data: SeedData): Promise<boolean> {
    refuseInsideTransaction(this);
    return this.#lock.run(async () => {
      this.#commitBatch();
      if (this.#isSeeded()) return false;
      await this.#inTransaction(async () => this.#replace(data));
      return true;
    });
  }

  async reset(seed?: SeedData, tenant?: string): Promise<void> {
    refuseInsideTransaction(this);
    await this.#lock.run(() => {
      this.#commitBatch();
      return this.#inTransaction(async () => {
        if (tenant !== undefined) {
          this.#db.prepare('DELETE FROM records WHERE tenant = ?').run(tenant);
          this.#db.prepare('DELETE FROM sequences WHERE tenant = ?').run(tenant);
          return;
        }
        this.#replace(seed ?? {});
      });
    });
    this.#forget();
  }

  /** Every row and sequence gone, the sandbox data in their place (inside a transaction). */
  #replace(seed: SeedData): void {
    this.#db.exec('DELETE FROM records; DELETE FROM sequences;');
    for (const [kind, records] of Object.entries(seed)) {
      for (const record of records) {
        const id = (record as { id?: unknown }).id;
        if (id === undefined) throw new Error(`sandbox data: a ${kind} record has no id`);
        this.#write(SEED_TENANT, kind, String(id), record);
      }
    }
    this.#forget();
  }

  #isSeeded(): boolean {
    return this.#db.prepare('SELECT 1 FROM records WHERE tenant = ? LIMIT 1').get(SEED_TENANT) !== undefined;
  }

  async *records(): AsyncGenerator<StoredRow> {
    const rows = await this.#outside(
      () => this.#db.prepare('SELECT tenant, kind, id, body FROM records').all() as unknown as StoredRow[],
    );
    yield* rows;
  }

  async check(): Promise<void> {
    await this.#outside(() => this.#db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    clearInterval(this.#checkpoints);
    await this.#lock.run(() => {
      this.#commitBatch();
      if (this.#db.isOpen) this.#db.close();
    });
  }
}
