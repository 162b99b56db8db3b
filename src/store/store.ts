/**
 * The sandbox's store: one interface, two engines. `--data` (DATA_FILE) chooses: a `postgres://` (or
 * `postgresql://`) URL is PostgreSQL (src/store/postgres.ts), shared by any number of sandbox instances; anything
 * else is an SQLite file (src/store/sqlite.ts), `:memory:` keeping nothing, one sandbox per file.
 *
 * Both engines give the same guarantees: every write runs in a transaction (all of it lands or none), concurrent
 * writes lose no update, a write is durable once acknowledged, each tenant (credential) reads its own rows over the
 * shared sandbox data and never another's, and a reset restores the sandbox data. The schema is created and
 * upgraded at start by versioned migrations.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Sandbox data: entity kind → records, each with its id. */
export type SeedData = Record<string, Record<string, unknown>[]>;

/** A stored row, as stored (for audits). */
export interface StoredRow {
  tenant: string;
  kind: string;
  id: string;
  body: string;
}

/** Records by (tenant, kind, id): a tenant reads its own record, else the sandbox data's. */
export interface Records {
  get<T>(tenant: string, kind: string, id: string | number): Promise<T | undefined>;
  has(tenant: string, kind: string, id: string | number): Promise<boolean>;
  put(tenant: string, kind: string, id: string | number, value: unknown): Promise<void>;
  /** The tenant's records of a kind over the sandbox data's, each id once, ordered by id (byte order). */
  list<T>(tenant: string, kind: string): Promise<T[]>;
  /**
   * The first record of the tenant's list of a kind (in its order) whose `field` is `value` (`===`): what looking a
   * record up by a key other than its id (an ERP code) needs, without parsing the whole list where the engine keeps
   * an index.
   */
  find<T>(tenant: string, kind: string, field: string, value: unknown): Promise<T | undefined>;
  /** The next integer id of a kind for a tenant, above every id the sandbox data has (`floor`); never given twice. */
  nextId(tenant: string, kind: string, floor: number): Promise<number>;
}

/** What a state change returns: the new state (undefined forgets it), until when it is kept, and the caller's answer. */
export interface StateChange<S, R> {
  state: S | undefined;
  /** Epoch milliseconds after which the state is forgotten. */
  expiresAt: number;
  result: R;
}

/**
 * Small state that must be the same for every instance of the sandbox: rate-limit windows and sign-in attempts.
 * SQLite keeps it in the process (one sandbox per file); PostgreSQL in the database, so it counts across instances.
 */
export interface Counters {
  /**
   * Counts one hit of `key` in a fixed window of `windowMs` that starts at the window's first hit: the hits so far in
   * the window (this one included) and the milliseconds until it ends.
   */
  hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
  /**
   * Reads the state kept under `key` (undefined when none or expired), hands it to `change` with the time (epoch
   * milliseconds), and keeps what `change` returns: atomically, no other update of the key in between.
   */
  update<S, R>(key: string, change: (state: S | undefined, now: number) => StateChange<S, R>): Promise<R>;
}

export interface Store extends Records {
  readonly engine: 'sqlite' | 'postgres';
  /** Where the data lives, without secrets: the file, or the PostgreSQL URL without its password. */
  readonly location: string;
  readonly counters: Counters;
  /**
   * Runs `fn` in one transaction of `tenant` (the caller's): all its writes land, or none (it throws). Inside, read
   * and write through the records `fn` is given, never through the store itself (that is refused: it would be
   * outside the transaction). A tenant's transactions run one at a time, so a read-modify-write never loses a
   * concurrent update. `fn` may run more than once (PostgreSQL retries a transaction the server chose to abort to
   * break a deadlock), so it must not act outside the store.
   */
  transaction<T>(tenant: string, fn: (tx: Records) => Promise<T>): Promise<T>;
  /** Loads the sandbox data when there is none yet (a fresh store); true when it did. Safe when instances race. */
  seed(data: SeedData): Promise<boolean>;
  /** Replaces the sandbox data and forgets every tenant's changes (a tenant's only, when named). */
  reset(seed?: SeedData, tenant?: string): Promise<void>;
  /** Every stored row, every tenant and kind, as stored (for audits). */
  records(): AsyncIterable<StoredRow>;
  /** Throws when the store cannot answer now (the readiness check). */
  check(): Promise<void>;
  close(): Promise<void>;
}

export type Engine = Store['engine'];

/** Whether `--data` names a PostgreSQL database rather than an SQLite file. */
export const isPostgresUrl = (data: string): boolean => /^postgres(?:ql)?:\/\//i.test(data);

export interface OpenOptions {
  /** PostgreSQL: connections this instance keeps open at most. */
  poolSize?: number;
}

/** Opens the store `--data` names, migrated to the current schema. The PostgreSQL driver loads only when used. */
export async function openStore(data: string, options: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(data)) {
    const { PostgresStore } = await import('./postgres.ts');
    return PostgresStore.open(data, options);
  }
  const { SqliteStore } = await import('./sqlite.ts');
  return SqliteStore.open(data);
}

/** The store whose transaction the running code is inside, if any (it follows awaits and callbacks). */
const insideTransaction = new AsyncLocalStorage<object>();

/** Runs `fn` as the inside of `store`'s transaction. */
export function runInside<T>(store: object, fn: () => Promise<T>): Promise<T> {
  return insideTransaction.run(store, fn);
}

/**
 * Refuses a call to the store itself from inside one of its own transactions: it would read or write outside the
 * transaction (PostgreSQL) or wait for the transaction it is part of (SQLite). A mistake in a handler, said loudly.
 */
export function refuseInsideTransaction(store: object): void {
  if (insideTransaction.getStore() === store) {
    throw new Error("a store call inside one of its transactions: use the transaction's records (fn's argument)");
  }
}

/** `find` over a list: the first record whose `field` is `value`. */
export function findIn<T>(list: readonly T[], field: string, value: unknown): T | undefined {
  return list.find((r) => (r as Record<string, unknown>)[field] === value);
}

/** The records of one transaction, usable only while it runs (a late call is a mistake, refused). */
export function transactionRecords(records: Records, isOpen: () => boolean): Records {
  const ended = () => Promise.reject(new Error("a transaction's records used after it ended"));
  return {
    get: <T>(tenant: string, kind: string, id: string | number) =>
      isOpen() ? records.get<T>(tenant, kind, id) : ended(),
    has: (tenant, kind, id) => (isOpen() ? records.has(tenant, kind, id) : ended()),
    put: (tenant, kind, id, value) => (isOpen() ? records.put(tenant, kind, id, value) : ended()),
    list: <T>(tenant: string, kind: string) => (isOpen() ? records.list<T>(tenant, kind) : ended()),
    find: <T>(tenant: string, kind: string, field: string, value: unknown) =>
      isOpen() ? records.find<T>(tenant, kind, field, value) : ended(),
    nextId: (tenant, kind, floor) => (isOpen() ? records.nextId(tenant, kind, floor) : ended()),
  };
}
