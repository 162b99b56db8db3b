/**
 * The PostgreSQL engine's counters (rate limits, sign-in attempts): rows, so they count across instances; expired
 * ones are swept every minute.
 */
import type pg from 'pg';
import { encodeKey, type LockKeys, lockKey } from './postgres-connection.ts';
import { NOW_MS, type Statements } from './postgres-statements.ts';
import type { Transaction } from './postgres-transaction.ts';
import type { Counters, StateChange } from './store.ts';

/** How often expired counters and states are deleted. */
export const SWEEP_MS = 60_000;

/** What the counters use of their store: its pool, statements, schema (quoted), locks and transactions. */
export interface CounterStore {
  pool: pg.Pool;
  sql: Statements;
  s: string;
  locks: LockKeys;
  withTransaction<T>(tenant: undefined, fn: (tx: Transaction) => Promise<T>): Promise<T>;
}

export function postgresCounters(store: CounterStore): Counters {
  return {
    hit: (key, windowMs) => hit(store, key, windowMs),
    update: (key, change) => update(store, key, change),
  };
}

async function hit(store: CounterStore, key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
  const { rows } = await store.pool.query<{ count: number; ttl: string }>({
    ...store.sql.hit,
    values: [encodeKey(key), Math.max(1, Math.round(windowMs))],
  });
  const row = rows[0] as { count: number; ttl: string };
  return { count: row.count, ttlMs: Number(row.ttl) };
}

/** The state's read, change and write in one transaction, under the key's advisory lock. */
function update<S, R>(
  store: CounterStore,
  key: string,
  change: (state: S | undefined, now: number) => StateChange<S, R>,
): Promise<R> {
  const stored = encodeKey(key);
  const { sql } = store;
  return store.withTransaction(undefined, async (tx) => {
    await tx.begin([`SELECT pg_advisory_xact_lock(${store.locks.state}, ${lockKey(key)})`]);
    const client = tx.client;
    const { rows } = await client.query<{ now: string; value: string | null }>({ ...sql.readState, values: [stored] });
    const now = Number(rows[0]?.now);
    const value = rows[0]?.value;
    const next = change(value == null ? undefined : (JSON.parse(value) as S), now);
    if (next.state === undefined || next.expiresAt <= now) {
      await client.query({ ...sql.deleteState, values: [stored] });
    } else {
      await client.query({
        ...sql.writeState,
        values: [stored, JSON.stringify(next.state), Math.ceil(next.expiresAt)],
      });
    }
    return next.result;
  });
}

/** Deletes the expired counters and states; a failure waits for the next sweep. */
export async function sweepExpired(pool: pg.Pool, s: string): Promise<void> {
  await pool
    .query(
      `DELETE FROM ${s}.counters WHERE resets_at <= ${NOW_MS}; DELETE FROM ${s}.states WHERE expires_at <= ${NOW_MS}`,
    )
    .catch(() => {});
}
