/**
 * The PostgreSQL engine's transaction: one connection, its locks taken with its first statement, its writes kept
 * and sent with its COMMIT.
 */
import type pg from 'pg';
import { type Known, type ReadCache, recordKey, withWrites } from './postgres-cache.ts';
import { encodeKey, type LockKeys, lockKey } from './postgres-connection.ts';
import {
  nextId,
  type Pending,
  parsed,
  parsedList,
  raiseVersion,
  readBody,
  readRows,
  type Statements,
  versionQuery,
  writeStatements,
} from './postgres-statements.ts';
import { findIn, type Records, transactionRecords } from './store.ts';

/** The tenant whose rows every tenant sees until it writes its own: the sandbox data. */
const SEED_TENANT = '';

/**
 * One transaction on one connection, in few round trips:
 *
 * - BEGIN waits for the first statement and goes with the shared reset lock, the lock of the transaction's tenant
 *   and that tenant's version (another tenant's lock and version come before its first statement);
 * - reads are answered by this transaction's own writes, then by the read cache when this instance holds the
 *   tenant's records at its current version (./postgres-cache.ts), then by the database;
 * - writes are kept until COMMIT and go with it, with the written tenants' versions raised, in one round trip
 *   (as literals: several statements take no parameters). While the tenant's lock is held nothing else changes its
 *   rows, so the database plus these writes is what the transaction reads: a list is the database's (or the
 *   cache's) with the writes merged in.
 *
 * A write to the sandbox data itself (only a reset makes one) goes out at once and turns both off for the rest of
 * the transaction.
 */
export class Transaction {
  readonly #client: pg.PoolClient;
  readonly #sql: Statements;
  readonly #s: string;
  readonly #locks: LockKeys;
  readonly #cache: ReadCache;
  readonly #tenant: string | undefined;
  /** Tenants locked, with what the cache knows of each (as of its version at the lock). */
  readonly #known = new Map<string, Known>();
  /** Writes not sent yet, by tenant\0kind\0id: the last write of a record wins. */
  readonly #pending = new Map<string, Pending>();
  /** The sandbox data was written: no deferred writes, no cache, from then on. */
  #direct = false;
  #begun = false;
  readonly records: Records;

  constructor(
    client: pg.PoolClient,
    store: { sql: Statements; schema: string; locks: LockKeys; cache: ReadCache },
    tenant: string | undefined,
    isOpen: () => boolean,
  ) {
    this.#client = client;
    this.#sql = store.sql;
    this.#s = store.schema;
    this.#locks = store.locks;
    this.#cache = store.cache;
    this.#tenant = tenant;
    this.records = transactionRecords(
      {
        get: async <T>(tenant: string, kind: string, id: string | number) =>
          parsed<T>(await this.#body(encodeKey(tenant), kind, encodeKey(String(id)))),
        has: async (tenant, kind, id) => (await this.#body(encodeKey(tenant), kind, encodeKey(String(id)))) !== null,
        put: (tenant, kind, id, value) =>
          this.#put(encodeKey(tenant), kind, encodeKey(String(id)), JSON.stringify(value)),
        list: async <T>(tenant: string, kind: string) => parsedList<T>(await this.#rows(encodeKey(tenant), kind)),
        find: async <T>(tenant: string, kind: string, field: string, value: unknown) =>
          findIn(parsedList<T>(await this.#rows(encodeKey(tenant), kind)), field, value),
        // The sequence row's own lock orders concurrent adds: no tenant lock.
        nextId: async (tenant, kind, floor) => {
          await this.#enter(undefined);
          return nextId(this.#client, this.#sql, tenant, kind, floor);
        },
      },
      isOpen,
    );
  }

  get begun(): boolean {
    return this.#begun;
  }

  /** The connection, for the store's own statements beyond Records (after `begin`). */
  get client(): pg.PoolClient {
    return this.#client;
  }

  /** What the cache holds of a (stored) tenant, when it may be used. */
  #knownOf(tenant: string): Known | undefined {
    return this.#direct ? undefined : this.#known.get(tenant);
  }

  async #body(tenant: string, kind: string, id: string): Promise<string | null> {
    await this.#enter(tenant);
    const mine = this.#pending.get(`${tenant}\0${recordKey(kind, id)}`);
    if (mine) return mine.body;
    const known = this.#knownOf(tenant);
    const kept = known && this.#cache.record(known, kind, id);
    if (kept !== undefined) return kept;
    const body = await readBody(this.#client, this.#sql, tenant, kind, id);
    if (known) this.#cache.rememberRecord(known, kind, id, body);
    return body;
  }

  async #rows(tenant: string, kind: string): Promise<Map<string, string>> {
    await this.#enter(tenant);
    const known = this.#knownOf(tenant);
    let rows = known?.lists.get(kind);
    if (!rows) {
      rows = await readRows(this.#client, this.#sql, tenant, kind);
      if (known) this.#cache.rememberList(known, kind, rows);
    }
    const mine = [...this.#pending.values()].filter((w) => w.tenant === tenant && w.kind === kind);
    return mine.length === 0 ? rows : withWrites(rows, mine);
  }

  async #put(tenant: string, kind: string, id: string, body: string): Promise<void> {
    await this.#enter(tenant);
    if (tenant === SEED_TENANT || this.#direct) {
      await this.#flush();
      this.#direct = true;
      await this.#client.query({ ...this.#sql.put, values: [tenant, kind, id, body] });
      return;
    }
    const key = `${tenant}\0${recordKey(kind, id)}`;
    this.#pending.delete(key);
    this.#pending.set(key, { tenant, kind, id, body });
  }

  /** Sends the writes kept so far (before a write that turns deferring off). */
  async #flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    await this.#client.query(writeStatements(this.#s, this.#pending.values()).join('; '));
    this.#pending.clear();
  }

  /**
   * BEGIN (with the shared reset lock) if not yet, and the lock and version of the transaction's tenant and of
   * `tenant`, if not yet held: one round trip.
   */
  async #enter(tenant: string | undefined): Promise<void> {
    const statements: string[] = [];
    const reading: string[] = [];
    if (!this.#begun) {
      statements.push('BEGIN', `SELECT pg_advisory_xact_lock_shared(${this.#locks.reset}, 0)`);
      this.#begun = true;
      if (this.#tenant !== undefined) this.#lock(encodeKey(this.#tenant), statements, reading);
    }
    if (tenant !== undefined) this.#lock(tenant, statements, reading);
    // The versions after the locks: each reads what the last holder of its tenant's lock committed.
    statements.push(...reading.map((locked) => versionQuery(this.#s, locked)));
    if (statements.length === 0) return;
    const results = await this.#client.query(statements.join('; '));
    const all = (Array.isArray(results) ? results : [results]) as pg.QueryResult[];
    const versions = all.slice(all.length - reading.length);
    for (const [i, locked] of reading.entries()) {
      const row = versions[i]?.rows[0] as { version: string; generation: string };
      this.#known.set(locked, this.#cache.at(locked, row.version, row.generation));
    }
  }

  /** Adds the statement that takes a (stored) tenant's lock, unless it is held already or is the sandbox data's. */
  #lock(tenant: string, statements: string[], reading: string[]): void {
    if (tenant === SEED_TENANT || this.#known.has(tenant) || reading.includes(tenant)) return;
    // A lock key is an integer, a literal is escaped: no parameters can go with several statements.
    statements.push(`SELECT pg_advisory_xact_lock(${this.#locks.tenant}, ${lockKey(tenant)})`);
    reading.push(tenant);
  }

  /** COMMIT with the kept writes and the written tenants' versions raised, in one round trip; then the cache. */
  async commit(): Promise<void> {
    const writes = [...this.#pending.values()];
    const tenants = [...new Set(writes.map((w) => w.tenant))];
    const statements = [
      ...writeStatements(this.#s, writes),
      ...tenants.map((tenant) => raiseVersion(this.#s, tenant)),
      // The sandbox data changed: what any instance holds of any tenant is out of date.
      ...(this.#direct ? [`UPDATE ${this.#s}.store_state SET generation = generation + 1 WHERE id = 1`] : []),
      'COMMIT',
    ];
    const results = await this.#client.query(statements.join('; '));
    const all = (Array.isArray(results) ? results : [results]) as pg.QueryResult[];
    for (const [i, tenant] of tenants.entries()) {
      const version = (all[writes.length + i]?.rows[0] as { version: string } | undefined)?.version;
      const known = this.#known.get(tenant);
      if (known && version !== undefined && !this.#direct) {
        this.#cache.committed(
          known,
          version,
          writes.filter((w) => w.tenant === tenant),
        );
      }
    }
  }

  /** Starts the transaction with `extra` statements (locks) when it has not begun. */
  async begin(extra: string[] = []): Promise<void> {
    const statements = [
      ...(this.#begun ? [] : ['BEGIN', `SELECT pg_advisory_xact_lock_shared(${this.#locks.reset}, 0)`]),
      ...extra,
    ];
    this.#begun = true;
    if (statements.length > 0) await this.#client.query(statements.join('; '));
  }
}
