/**
 * The PostgreSQL engine's statements on records, sequences and versions: the named ones each connection prepares
 * once, the reads and id allocation on them, and those a transaction sends in one round trip (with literals: several
 * statements take no parameters).
 */
import type pg from 'pg';
import { escapeLiteral } from 'pg';
import { encodeKey } from './postgres-connection.ts';

/** Epoch milliseconds by the database's clock, the same value throughout one statement (one clock for all). */
export const NOW_MS = '(floor(extract(epoch FROM statement_timestamp()) * 1000))::bigint';

/** An identifier (a schema name) quoted for SQL. */
export const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The statements of one schema, named so each connection prepares each once. */
export function statements(s: string) {
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

export type Statements = ReturnType<typeof statements>;
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** The body (tenant, kind, id) resolves to, or null. Ids and tenants as stored (encodeKey). */
export async function readBody(db: Queryable, sql: Statements, tenant: string, kind: string, id: string) {
  const { rows } = await db.query<{ body: string }>({ ...sql.get, values: [kind, id, tenant] });
  return rows[0]?.body ?? null;
}

/** Every record of a kind the tenant sees: id (as stored) → body, in id order. */
export async function readRows(db: Queryable, sql: Statements, tenant: string, kind: string) {
  const { rows } = await db.query<{ id: string; body: string }>({ ...sql.list, values: [kind, tenant] });
  return new Map(rows.map((r) => [r.id, r.body]));
}

export const parsed = <T>(body: string | null | undefined) => (body == null ? undefined : (JSON.parse(body) as T));
export const parsedList = <T>(rows: Map<string, string>) => JSON.parse(`[${[...rows.values()].join(',')}]`) as T[];

export async function nextId(db: Queryable, sql: Statements, tenant: string, kind: string, floor: number) {
  const { rows } = await db.query<{ next: number }>({ ...sql.next, values: [encodeKey(tenant), kind, floor + 1] });
  return (rows[0] as { next: number }).next;
}

/** A write a transaction keeps until its COMMIT (ids and tenants as stored). */
export interface Pending {
  tenant: string;
  kind: string;
  id: string;
  body: string;
}

/** The upserts of kept writes, as statements with literals. */
export function writeStatements(s: string, writes: Iterable<Pending>): string[] {
  return [...writes].map(
    (w) =>
      `INSERT INTO ${s}.records (tenant, kind, id, body) VALUES (${escapeLiteral(w.tenant)}, ${escapeLiteral(w.kind)}, ${escapeLiteral(w.id)}, ${escapeLiteral(w.body)}) ON CONFLICT (tenant, kind, id) DO UPDATE SET body = excluded.body`,
  );
}

/** The statement that reads a tenant's version and the store's generation (as text: bigints). */
export function versionQuery(s: string, tenant: string): string {
  return `SELECT (SELECT generation FROM ${s}.store_state WHERE id = 1)::text AS generation,
    coalesce((SELECT version FROM ${s}.tenant_versions WHERE tenant = ${escapeLiteral(tenant)}), 0)::text AS version`;
}

/** The statement that raises a tenant's version (every committed write of its rows does). */
export function raiseVersion(s: string, tenant: string): string {
  return `INSERT INTO ${s}.tenant_versions AS v (tenant, version) VALUES (${escapeLiteral(tenant)}, 1)
    ON CONFLICT (tenant) DO UPDATE SET version = v.version + 1 RETURNING version::text`;
}
