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
 *   swept every minute.
 * - **Migrations** run at start under a session advisory lock, so instances starting at once apply each exactly once.
 */
import { createHash } from 'node:crypto';
import pg, { escapeLiteral } from 'pg';
import { type Known, ReadCache, recordKey, withWrites } from './postgres-cache.ts';
import {
  type Counters,
  findIn,
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
  {
    version: 3,
    name: "tenants' versions and the store's generation, for read caches that hold across instances",
    sql: (s) => `
      CREATE TABLE ${s}.tenant_versions (tenant text COLLATE "C" PRIMARY KEY, version bigint NOT NULL);
      CREATE TABLE ${s}.store_state (id integer PRIMARY KEY CHECK (id = 1), generation bigint NOT NULL);
      INSERT INTO ${s}.store_state (id, generation) VALUES (1, 1);`,
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
      text: `SELECT DISTINCT ON (id) id, body FROM ${s}.records WHERE kind = $1 AND tenant IN ($2, '') ORDER BY id, tenant DESC`,
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

/** The body (tenant, kind, id) resolves to, or null. Ids and tenants as stored (encodeKey). */
async function readBody(db: Queryable, sql: Statements, tenant: string, kind: string, id: string) {
  const { rows } = await db.query<{ body: string }>({ ...sql.get, values: [kind, id, tenant] });
  return rows[0]?.body ?? null;
}

/** Every record of a kind the tenant sees: id (as stored) → body, in id order. */
async function readRows(db: Queryable, sql: Statements, tenant: string, kind: string) {
  const { rows } = await db.query<{ id: string; body: string }>({ ...sql.list, values: [kind, tenant] });
  return new Map(rows.map((r) => [r.id, r.body]));
}

const parsed = <T>(body: string | null | undefined) => (body == null ? undefined : (JSON.parse(body) as T));
const parsedList = <T>(rows: Map<string, string>) => JSON.parse(`[${[...rows.values()].join(',')}]`) as T[];

async function nextId(db: Queryable, sql: Statements, tenant: string, kind: string, floor: number) {
  const { rows } = await db.query<{ next: number }>({ ...sql.next, values: [encodeKey(tenant), kind, floor + 1] });
  return (rows[0] as { next: number }).next;
}

/** A write a transaction keeps until its COMMIT (ids and tenants as stored). */
interface Pending {
  tenant: string;
  kind: string;
  id: string;
  body: string;
}

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
class Transaction {
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

/** The upserts of kept writes, as statements with literals. */
function writeStatements(s: string, writes: Iterable<Pending>): string[] {
  return [...writes].map(
    (w) =>
      `INSERT INTO ${s}.records (tenant, kind, id, body) VALUES (${escapeLiteral(w.tenant)}, ${escapeLiteral(w.kind)}, ${escapeLiteral(w.id)}, ${escapeLiteral(w.body)}) ON CONFLICT (tenant, kind, id) DO UPDATE SET body = excluded.body`,
  );
}

/** The statement that reads a tenant's version and the store's generation (as text: bigints). */
function versionQuery(s: string, tenant: string): string {
  return `SELECT (SELECT generation FROM ${s}.store_state WHERE id = 1)::text AS generation,
    coalesce((SELECT version FROM ${s}.tenant_versions WHERE tenant = ${escapeLiteral(tenant)}), 0)::text AS version`;
}

/** The statement that raises a tenant's version (every committed write of its rows does). */
function raiseVersion(s: string, tenant: string): string {
  return `INSERT INTO ${s}.tenant_versions AS v (tenant, version) VALUES (${escapeLiteral(tenant)}, 1)
    ON CONFLICT (tenant) DO UPDATE SET version = v.version + 1 RETURNING version::text`;
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
  readonly #cache = new ReadCache();
  #sweeper: NodeJS.Timeout | undefined;

  /** Connects, applies the migrations the schema lacks (one instance at a time), and starts the sweeper. */
  static async open(url: string, options: OpenOptions = {}): Promise<PostgresStore> {
    const target = parsePostgresUrl(url);
    const pool = new pg.Pool({
      connectionString: target.connectionString,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      // Waiting longer than this for a connection fails the request: a database that does not answer, or a burst of
      // requests of one partner queued behind each other (a thousand at once take a few seconds).
      connectionTimeoutMillis: 30_000,
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
