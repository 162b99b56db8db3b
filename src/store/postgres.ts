/**
 * The PostgreSQL engine (node-postgres, `pg`): one database shared by any number of sandbox instances, which then act
 * as one sandbox. The same records as the SQLite engine: JSON documents keyed by (tenant, kind, id), a tenant's own
 * rows over the sandbox data's, in the schema the URL's `?schema=` names (default `public`).
 *
 * - **No lost update.** Transactions run at READ COMMITTED and each takes, with its BEGIN, the transaction-scoped
 *   advisory lock of its tenant (and of any other tenant before its first statement on that tenant's rows): a
 *   tenant's transactions run one after the other across every instance (each reads what the previous one
 *   committed), different tenants' side by side. Taking the caller's lock first keeps the order of locks the same in
 *   every transaction (tenant, then a sequence row), so they do not deadlock; a deadlock the server breaks anyway is
 *   retried. Integer ids come from an upsert on a sequence row (atomic across instances), never from a maximum.
 * - **Reset.** Every transaction holds a shared advisory lock, a reset the exclusive one: a reset waits for the
 *   transactions in flight and the next ones wait for it.
 * - **Durable once acknowledged.** A handler's answer is sent after COMMIT returns (synchronous_commit as the server
 *   has it: on by default). A killed instance's open transaction is rolled back by the server and its locks freed.
 * - **A read cache that holds across instances** (./postgres-cache.ts): a transaction's reads are served from
 *   what this instance read before only when the tenant's version (raised by every committed write of the tenant,
 *   in the same transaction) and the store's generation (raised by a reset) are still those it read them at; both
 *   come with the BEGIN's round trip, after the tenant's lock. A read outside a transaction always asks the database.
 *   So a write acknowledged by one instance is read by the next request on any other.
 * - **Counters** (rate limits, sign-in attempts) are rows too, so they count across instances; expired ones are
 *   swept every minute (./postgres-counters.ts).
 * - **Migrations** run at start under a session advisory lock, so instances starting at once apply each exactly once
 *   (./postgres-migrations.ts).
 */
import type pg from 'pg';
import { ReadCache } from './postgres-cache.ts';
import {
  checkAnswers,
  decodeKey,
  encodeKey,
  type LockKeys,
  lockKey,
  lockKeys,
  openPool,
  type PostgresLocation,
  parsePostgresUrl,
} from './postgres-connection.ts';
import { postgresCounters, SWEEP_MS, sweepExpired } from './postgres-counters.ts';
import { migrate } from './postgres-migrations.ts';
import {
  nextId,
  parsed,
  parsedList,
  type Queryable,
  quote,
  raiseVersion,
  readBody,
  readRows,
  type Statements,
  statements,
} from './postgres-statements.ts';
import { Transaction } from './postgres-transaction.ts';
import {
  type Counters,
  findIn,
  type OpenOptions,
  type Records,
  refuseInsideTransaction,
  runInside,
  type SeedData,
  type Store,
  type StoredRow,
} from './store.ts';

export {
  DEFAULT_POOL_SIZE,
  decodeKey,
  encodeKey,
  type PostgresLocation,
  parsePostgresUrl,
} from './postgres-connection.ts';
export { SCHEMA_VERSION } from './postgres-migrations.ts';

/** Attempts of a transaction the server aborts to break a deadlock, in all. */
const RETRIES = 4;

export class PostgresStore implements Store {
  readonly engine = 'postgres';
  readonly location: string;
  readonly schema: string;
  readonly counters: Counters;
  readonly #pool: pg.Pool;
  readonly #sql: Statements;
  readonly #s: string;
  readonly #locks: LockKeys;
  readonly #cache = new ReadCache();
  #sweeper: NodeJS.Timeout | undefined;

  /** Connects, applies the migrations the schema lacks (one instance at a time), and starts the sweeper. */
  static async open(url: string, options: OpenOptions = {}): Promise<PostgresStore> {
    const target = parsePostgresUrl(url);
    const pool = openPool(target, options);
    const store = new PostgresStore(pool, target);
    try {
      await store.#migrate();
    } catch (error) {
      await pool.end().catch(() => {});
      const reason = (error as Error).message || String(error);
      throw new Error(`PostgreSQL at ${target.location}: ${reason}`);
    }
    store.#sweeper = setInterval(() => void sweepExpired(pool, store.#s), SWEEP_MS);
    store.#sweeper.unref();
    return store;
  }

  private constructor(pool: pg.Pool, target: PostgresLocation) {
    this.#pool = pool;
    this.location = target.location;
    this.schema = target.schema;
    this.#s = quote(target.schema);
    this.#sql = statements(this.#s);
    this.#locks = lockKeys(target.schema);
    this.counters = postgresCounters({
      pool,
      sql: this.#sql,
      s: this.#s,
      locks: this.#locks,
      withTransaction: (tenant, fn) => this.#withTransaction(tenant, fn),
    });
  }

  async #migrate(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await migrate(client, this.#s, this.schema, this.#locks.migrate);
    } finally {
      client.release();
    }
  }

  /**
   * Runs `fn` on one connection inside a transaction of `tenant`; COMMIT, or ROLLBACK when anything throws. A
   * transaction the server aborted to break a deadlock (or a serialization failure) runs again, a few times.
   */
  async #withTransaction<T>(tenant: string | undefined, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    refuseInsideTransaction(this);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(tenant, fn);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if ((code !== '40P01' && code !== '40001') || attempt >= RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  async #once<T>(tenant: string | undefined, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let open = true;
    let broken: Error | undefined;
    const tx = new Transaction(
      client,
      { sql: this.#sql, schema: this.#s, locks: this.#locks, cache: this.#cache },
      tenant,
      () => open,
    );
    try {
      const result = await runInside(this, () => fn(tx));
      open = false;
      if (tx.begun) await tx.commit();
      return result;
    } catch (error) {
      open = false;
      if (tx.begun) {
        // A connection that cannot even roll back is discarded, not returned to the pool.
        await client.query('ROLLBACK').catch((e: Error) => {
          broken = e;
        });
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  transaction<T>(tenant: string, fn: (tx: Records) => Promise<T>): Promise<T> {
    return this.#withTransaction(tenant, (tx) => fn(tx.records));
  }

  /** A read on its own asks the database (the cache is for transactions, which know the tenant's version). */
  async get<T>(tenant: string, kind: string, id: string | number): Promise<T | undefined> {
    refuseInsideTransaction(this);
    return parsed<T>(await readBody(this.#pool, this.#sql, encodeKey(tenant), kind, encodeKey(String(id))));
  }

  async has(tenant: string, kind: string, id: string | number): Promise<boolean> {
    return (await this.get(tenant, kind, id)) !== undefined;
  }

  /** A write on its own is a transaction of its own, under its tenant's lock like any other. */
  put(tenant: string, kind: string, id: string | number, value: unknown): Promise<void> {
    return this.transaction(tenant, (tx) => tx.put(tenant, kind, id, value));
  }

  async list<T>(tenant: string, kind: string): Promise<T[]> {
    refuseInsideTransaction(this);
    return parsedList<T>(await readRows(this.#pool, this.#sql, encodeKey(tenant), kind));
  }

  async find<T>(tenant: string, kind: string, field: string, value: unknown): Promise<T | undefined> {
    return findIn(await this.list<T>(tenant, kind), field, value);
  }

  async nextId(tenant: string, kind: string, floor: number): Promise<number> {
    refuseInsideTransaction(this);
    return nextId(this.#pool, this.#sql, tenant, kind, floor);
  }

  async seed(data: SeedData): Promise<boolean> {
    return this.#withTransaction(undefined, async (tx) => {
      await tx.begin([`SELECT pg_advisory_xact_lock(${this.#locks.reset}, 0)`]);
      const client = tx.client;
      const { rows } = await client.query(`SELECT 1 FROM ${this.#s}.records WHERE tenant = '' LIMIT 1`);
      if (rows.length > 0) return false;
      await this.#replace(client, data);
      return true;
    });
  }

  async reset(seed?: SeedData, tenant?: string): Promise<void> {
    await this.#withTransaction(undefined, async (tx) => {
      const client = tx.client;
      if (tenant !== undefined) {
        await tx.begin([`SELECT pg_advisory_xact_lock(${this.#locks.tenant}, ${lockKey(tenant)})`]);
        await client.query(`DELETE FROM ${this.#s}.records WHERE tenant = $1`, [encodeKey(tenant)]);
        await client.query(`DELETE FROM ${this.#s}.sequences WHERE tenant = $1`, [encodeKey(tenant)]);
        await client.query(raiseVersion(this.#s, encodeKey(tenant)));
        return;
      }
      // The exclusive reset lock: no transaction runs while the data is replaced (they hold it shared).
      await tx.begin([`SELECT pg_advisory_xact_lock(${this.#locks.reset}, 0)`]);
      await this.#replace(client, seed ?? {});
    });
  }

  /**
   * Every row and sequence gone, the sandbox data in their place (inside a transaction), and a new generation: every
   * instance's read cache is out of date.
   */
  async #replace(client: Queryable, seed: SeedData): Promise<void> {
    await client.query(
      `DELETE FROM ${this.#s}.records; DELETE FROM ${this.#s}.sequences;
       UPDATE ${this.#s}.store_state SET generation = generation + 1 WHERE id = 1`,
    );
    const rows = new Map<string, [string, string, string]>();
    for (const [kind, records] of Object.entries(seed)) {
      for (const record of records) {
        const id = (record as { id?: unknown }).id;
        if (id === undefined) throw new Error(`sandbox data: a ${kind} record has no id`);
        const key = encodeKey(String(id));
        rows.set(`${kind}\0${key}`, [kind, key, JSON.stringify(record)]);
      }
    }
    const columns = [0, 1, 2].map((i) => [...rows.values()].map((r) => r[i]));
    await client.query(
      `INSERT INTO ${this.#s}.records (tenant, kind, id, body)
       SELECT '', kind, id, body FROM unnest($1::text[], $2::text[], $3::text[]) AS s(kind, id, body)`,
      columns,
    );
  }

  async *records(): AsyncGenerator<StoredRow> {
    refuseInsideTransaction(this);
    const { rows } = await this.#pool.query<StoredRow>(`SELECT tenant, kind, id, body FROM ${this.#s}.records`);
    for (const row of rows) yield { ...row, tenant: decodeKey(row.tenant), id: decodeKey(row.id) };
  }

  check(): Promise<void> {
    return checkAnswers(this.#pool, this.#s);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.#pool.end();
  }
}
