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
 * - **No read cache.** Another instance may write at any time, so every read asks the database: a write
 *   acknowledged by one instance is read by the next request on any other.
 * - **Counters** (rate limits, sign-in attempts) are rows too, so they count across instances; expired ones are
 *   swept every minute.
 * - **Migrations** run at start under a session advisory lock, so instances starting at once apply each exactly once.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  type Counters,
  type OpenOptions,
  type Records,
  refuseInsideTransaction,
  runInside,
  type SeedData,
  type StateChange,
  type Store,
  type StoredRow,
  transactionRecords,
} from './store.ts';

/** The tenant whose rows every tenant sees until it writes its own: the sandbox data. */
const SEED_TENANT = '';

/** Connections an instance keeps open at most, unless told otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** Attempts of a transaction the server aborts to break a deadlock, in all. */
const RETRIES = 4;

/** How often expired counters and states are deleted. */
const SWEEP_MS = 60_000;

/** The readiness check's limit: a database slower than this is not ready. */
const CHECK_TIMEOUT_MS = 3_000;

/** Epoch milliseconds by the database's clock, the same value throughout one statement (one clock for all). */
const NOW_MS = '(floor(extract(epoch FROM statement_timestamp()) * 1000))::bigint';

/**
 * The schema's versions, in order; `schema_migrations` lists those applied. Each runs once, in its own transaction,
 * under the migration lock. Never edit one that has shipped: add the next.
 */
const migrations: readonly { version: number; name: string; sql: (schema: string) => string }[] = [
  {
    version: 1,
    name: 'records and id sequences',
    // COLLATE "C": byte order, as SQLite's, so lists come in the same order on both engines.
    sql: (s) => `
      CREATE TABLE ${s}.records (
        tenant text COLLATE "C" NOT NULL, kind text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (tenant, kind, id)
      );
      CREATE TABLE ${s}.sequences (
        tenant text COLLATE "C" NOT NULL, kind text COLLATE "C" NOT NULL, next integer NOT NULL,
        PRIMARY KEY (tenant, kind)
      );`,
  },
  {
    version: 2,
    name: 'counters and states shared by every instance (rate limits, sign-in attempts)',
    sql: (s) => `
      CREATE TABLE ${s}.counters (key text COLLATE "C" PRIMARY KEY, count integer NOT NULL, resets_at bigint NOT NULL);
      CREATE TABLE ${s}.states (key text COLLATE "C" PRIMARY KEY, value text NOT NULL, expires_at bigint NOT NULL);`,
  },
];

/** The newest schema version this sandbox knows. */
export const SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;

/** A 32-bit key for an advisory lock, from any text. */
function lockKey(text: string): number {
  return createHash('sha256').update(text).digest().readInt32BE(0);
}

/**
 * Text as PostgreSQL can store it: `text` holds no NUL and only well-formed UTF-16, which credentials and request
 * values need not be. `%`, NUL and lone surrogates are escaped (`%25`, `%00`, `%uD800`), so distinct keys stay
 * distinct; everything else is kept as is.
 */
const unstorable = /[%\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export function encodeKey(text: string): string {
  unstorable.lastIndex = 0;
  if (!unstorable.test(text)) return text;
  return text.replace(unstorable, (c) =>
    c === '%' ? '%25' : c === '\0' ? '%00' : `%u${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
export function decodeKey(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/%(25|00|u[0-9A-F]{4})/g, (_m, code: string) =>
    code === '25' ? '%' : code === '00' ? '\0' : String.fromCharCode(Number.parseInt(code.slice(1), 16)),
  );
}

export interface PostgresLocation {
  /** What the driver connects with (the URL without `schema`). */
  connectionString: string;
  /** The schema, unquoted. */
  schema: string;
  /** The URL without its password, for messages and the health check. */
  location: string;
}

/** `postgres://user:password@host:port/db?schema=name` → what to connect with, the schema, what to show. */
export function parsePostgresUrl(url: string): PostgresLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--data ${url.replace(/:[^:@/]*@/, ':***@')} is not a valid PostgreSQL URL`);
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`--data: schema "${schema}" must be letters, digits and _ (at most 63, not starting with a digit)`);
  }
  parsed.searchParams.delete('schema');
  const connectionString = parsed.toString();
  const shown = new URL(url);
  if (shown.password) shown.password = '';
  return { connectionString, schema, location: decodeURIComponent(shown.toString()) };
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The statements of one schema, named so each connection prepares each once. */
function statements(s: string) {
  return {
    get: {
      name: 'sandbox_get',
      text: `SELECT body FROM ${s}.records WHERE kind = $1 AND id = $2 AND tenant IN ($3, '') ORDER BY tenant DESC LIMIT 1`,
    },
    list: {
      name: 'sandbox_list',
      text: `SELECT DISTINCT ON (id) body FROM ${s}.records WHERE kind = $1 AND tenant IN ($2, '') ORDER BY id, tenant DESC`,
    },
    put: {
      name: 'sandbox_put',
      text: `INSERT INTO ${s}.records (tenant, kind, id, body) VALUES ($1, $2, $3, $4)
        ON CONFLICT (tenant, kind, id) DO UPDATE SET body = excluded.body`,
    },
    next: {
      name: 'sandbox_next',
      text: `INSERT INTO ${s}.sequences AS q (tenant, kind, next) VALUES ($1, $2, $3)
        ON CONFLICT (tenant, kind) DO UPDATE SET next = q.next + 1 RETURNING next`,
    },
    hit: {
      name: 'sandbox_hit',
      text: `INSERT INTO ${s}.counters AS c (key, count, resets_at) VALUES ($1, 1, ${NOW_MS} + $2)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN c.resets_at <= ${NOW_MS} THEN 1 ELSE c.count + 1 END,
          resets_at = CASE WHEN c.resets_at <= ${NOW_MS} THEN excluded.resets_at ELSE c.resets_at END
        RETURNING count, resets_at - ${NOW_MS} AS ttl`,
    },
    readState: {
      name: 'sandbox_read_state',
      text: `SELECT ${NOW_MS} AS now, (SELECT value FROM ${s}.states WHERE key = $1 AND expires_at > ${NOW_MS}) AS value`,
    },
    writeState: {
      name: 'sandbox_write_state',
      text: `INSERT INTO ${s}.states (key, value, expires_at) VALUES ($1, $2, $3)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    },
    deleteState: { name: 'sandbox_delete_state', text: `DELETE FROM ${s}.states WHERE key = $1` },
  } as const;
}

type Statements = ReturnType<typeof statements>;
type Queryable = Pick<pg.ClientBase, 'query'>;

/** Advisory lock keys: one class per purpose and schema (two schemas never share a lock), the object in it. */
interface LockKeys {
  migrate: number;
  reset: number;
  tenant: number;
  state: number;
}

async function read<T>(db: Queryable, sql: Statements, tenant: string, kind: string, id: string) {
  const { rows } = await db.query<{ body: string }>({ ...sql.get, values: [kind, encodeKey(id), encodeKey(tenant)] });
  return rows[0] === undefined ? undefined : (JSON.parse(rows[0].body) as T);
}

async function readList<T>(db: Queryable, sql: Statements, tenant: string, kind: string): Promise<T[]> {
  const { rows } = await db.query<{ body: string }>({ ...sql.list, values: [kind, encodeKey(tenant)] });
  return JSON.parse(`[${rows.map((r) => r.body).join(',')}]`) as T[];
}

async function nextId(db: Queryable, sql: Statements, tenant: string, kind: string, floor: number) {
  const { rows } = await db.query<{ next: number }>({ ...sql.next, values: [encodeKey(tenant), kind, floor + 1] });
  return (rows[0] as { next: number }).next;
}

/**
 * One transaction on one connection. BEGIN waits for the first statement, and goes in one round trip with the shared
 * reset lock and the lock of the transaction's tenant; another tenant's rows are locked before their first statement.
 */
class Transaction {
  readonly #client: pg.PoolClient;
  readonly #sql: Statements;
  readonly #locks: LockKeys;
  readonly #tenant: string | undefined;
  readonly #locked = new Set<string>();
  #begun = false;
  readonly records: Records;

  constructor(
    client: pg.PoolClient,
    sql: Statements,
    locks: LockKeys,
    tenant: string | undefined,
    isOpen: () => boolean,
  ) {
    this.#client = client;
    this.#sql = sql;
    this.#locks = locks;
    this.#tenant = tenant;
    const db = this.#client;
    this.records = transactionRecords(
      {
        get: async <T>(tenant: string, kind: string, id: string | number) => {
          await this.#enter(tenant);
          return read<T>(db, sql, tenant, kind, String(id));
        },
        has: async (tenant, kind, id) => {
          await this.#enter(tenant);
          return (await read(db, sql, tenant, kind, String(id))) !== undefined;
        },
        put: async (tenant, kind, id, value) => {
          await this.#enter(tenant);
          await db.query({
            ...sql.put,
            values: [encodeKey(tenant), kind, encodeKey(String(id)), JSON.stringify(value)],
          });
        },
        list: async <T>(tenant: string, kind: string) => {
          await this.#enter(tenant);
          return readList<T>(db, sql, tenant, kind);
        },
        // The sequence row's own lock orders concurrent adds: no tenant lock.
        nextId: async (tenant, kind, floor) => {
          await this.#enter(undefined);
          return nextId(db, this.#sql, tenant, kind, floor);
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

  /** BEGIN (with the shared reset lock and the transaction's tenant's lock) if not yet, and `tenant`'s lock. */
  async #enter(tenant: string | undefined): Promise<void> {
    const statements: string[] = [];
    if (!this.#begun) {
      statements.push('BEGIN', `SELECT pg_advisory_xact_lock_shared(${this.#locks.reset}, 0)`);
      this.#begun = true;
      statements.push(...this.#lock(this.#tenant));
    }
    statements.push(...this.#lock(tenant));
    if (statements.length > 0) await this.#client.query(statements.join('; '));
  }

  /** The statement that takes `tenant`'s lock, unless it is held already (or the sandbox data's, never locked). */
  #lock(tenant: string | undefined): string[] {
    if (tenant === undefined || tenant === SEED_TENANT || this.#locked.has(tenant)) return [];
    this.#locked.add(tenant);
    // Integers only in the text (no parameter can be sent with several statements): nothing to escape.
    return [`SELECT pg_advisory_xact_lock(${this.#locks.tenant}, ${lockKey(tenant)})`];
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

export class PostgresStore implements Store {
  readonly engine = 'postgres';
  readonly location: string;
  readonly schema: string;
  readonly counters: Counters;
  readonly #pool: pg.Pool;
  readonly #sql: Statements;
  readonly #s: string;
  readonly #locks: LockKeys;
  #sweeper: NodeJS.Timeout | undefined;

  /** Connects, applies the migrations the schema lacks (one instance at a time), and starts the sweeper. */
  static async open(url: string, options: OpenOptions = {}): Promise<PostgresStore> {
    const target = parsePostgresUrl(url);
    const pool = new pg.Pool({
      connectionString: target.connectionString,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      // Waiting longer than this for a connection (the database is down, or every connection is busy) fails the request.
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'vendor-task-api-sandbox',
    });
    // An idle connection the server closes (a restart, a terminated backend) is dropped by the pool; the next
    // request opens another. Without a listener the error would end the process.
    pool.on('error', () => {});
    const store = new PostgresStore(pool, target);
    try {
      await store.#migrate();
    } catch (error) {
      await pool.end().catch(() => {});
      const reason = (error as Error).message || String(error);
      throw new Error(`PostgreSQL at ${target.location}: ${reason}`);
    }
    store.#sweeper = setInterval(() => void store.#sweep(), SWEEP_MS);
    store.#sweeper.unref();
    return store;
  }

  private constructor(pool: pg.Pool, target: PostgresLocation) {
    this.#pool = pool;
    this.location = target.location;
    this.schema = target.schema;
    this.#s = quote(target.schema);
    this.#sql = statements(this.#s);
    const key = (purpose: string) => lockKey(`vendor-task-api-sandbox\0${target.schema}\0${purpose}`);
    this.#locks = { migrate: key('migrate'), reset: key('reset'), tenant: key('tenant'), state: key('state') };
    this.counters = {
      hit: (k, windowMs) => this.#hit(k, windowMs),
      update: (k, change) => this.#update(k, change),
    };
  }

  async #migrate(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      // Session-level: held across the migrations' own transactions, released below or when the connection ends.
      await client.query(`SELECT pg_advisory_lock(${this.#locks.migrate}, 0)`);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.#s}`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${this.#s}.schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
        const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${this.#s}.schema_migrations`);
        const applied = new Set(rows.map((r) => r.version));
        const newest = Math.max(0, ...applied);
        if (newest > SCHEMA_VERSION) {
          throw new Error(
            `schema ${this.schema} is at version ${newest}, newer than this sandbox's ${SCHEMA_VERSION}: run a newer sandbox, or give this one another schema`,
          );
        }
        for (const migration of migrations.filter((m) => !applied.has(m.version))) {
          await client.query('BEGIN');
          try {
            await client.query(migration.sql(this.#s));
            await client.query(`INSERT INTO ${this.#s}.schema_migrations (version, name) VALUES ($1, $2)`, [
              migration.version,
              migration.name,
            ]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => {});
            throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
          }
        }
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${this.#locks.migrate}, 0)`).catch(() => {});
      }
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
    const tx = new Transaction(client, this.#sql, this.#locks, tenant, () => open);
    try {
      const result = await runInside(this, () => fn(tx));
      open = false;
      if (tx.begun) await client.query('COMMIT');
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

  async get<T>(tenant: string, kind: string, id: string | number): Promise<T | undefined> {
    refuseInsideTransaction(this);
    return read<T>(this.#pool, this.#sql, tenant, kind, String(id));
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
    return readList<T>(this.#pool, this.#sql, tenant, kind);
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
        return;
      }
      // The exclusive reset lock: no transaction runs while the data is replaced (they hold it shared).
      await tx.begin([`SELECT pg_advisory_xact_lock(${this.#locks.reset}, 0)`]);
      await this.#replace(client, seed ?? {});
    });
  }

  /** Every row and sequence gone, the sandbox data in their place, in one statement (inside a transaction). */
  async #replace(client: Queryable, seed: SeedData): Promise<void> {
    await client.query(`DELETE FROM ${this.#s}.records; DELETE FROM ${this.#s}.sequences`);
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

  async check(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.#pool.query(`SELECT 1 FROM ${this.#s}.schema_migrations LIMIT 1`), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    const { rows } = await this.#pool.query<{ count: number; ttl: string }>({
      ...this.#sql.hit,
      values: [encodeKey(key), Math.max(1, Math.round(windowMs))],
    });
    const row = rows[0] as { count: number; ttl: string };
    return { count: row.count, ttlMs: Number(row.ttl) };
  }

  /** The state's read, change and write in one transaction, under the key's advisory lock. */
  #update<S, R>(key: string, change: (state: S | undefined, now: number) => StateChange<S, R>): Promise<R> {
    const stored = encodeKey(key);
    return this.#withTransaction(undefined, async (tx) => {
      await tx.begin([`SELECT pg_advisory_xact_lock(${this.#locks.state}, ${lockKey(key)})`]);
      const client = tx.client;
      const { rows } = await client.query<{ now: string; value: string | null }>({
        ...this.#sql.readState,
        values: [stored],
      });
      const now = Number(rows[0]?.now);
      const value = rows[0]?.value;
      const next = change(value == null ? undefined : (JSON.parse(value) as S), now);
      if (next.state === undefined || next.expiresAt <= now) {
        await client.query({ ...this.#sql.deleteState, values: [stored] });
      } else {
        await client.query({
          ...this.#sql.writeState,
          values: [stored, JSON.stringify(next.state), Math.ceil(next.expiresAt)],
        });
      }
      return next.result;
    });
  }

  async #sweep(): Promise<void> {
    await this.#pool
      .query(
        `DELETE FROM ${this.#s}.counters WHERE resets_at <= ${NOW_MS}; DELETE FROM ${this.#s}.states WHERE expires_at <= ${NOW_MS}`,
      )
      .catch(() => {});
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.#pool.end();
  }
}
