/**
 * The PostgreSQL engine's schema and its migrations: run at start under a session advisory lock, so instances
 * starting at once apply each exactly once.
 */
import type pg from 'pg';

interface Migration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

/**
 * The schema's versions, in order; `schema_migrations` lists those applied. Each runs once, in its own transaction,
 * under the migration lock. Never edit one that has shipped: add the next.
 */
const migrations: readonly Migration[] = [
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

/**
 * Applies the migrations schema `s` (quoted; `schema` as the URL names it, for messages) lacks, one instance at a
 * time: `lock` is the migration lock's key.
 */
export async function migrate(client: pg.ClientBase, s: string, schema: string, lock: number): Promise<void> {
  // Session-level: held across the migrations' own transactions, released below or when the connection ends.
  await client.query(`SELECT pg_advisory_lock(${lock}, 0)`);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await appliedVersions(client, s);
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) {
      throw new Error(
        `schema ${schema} is at version ${newest}, newer than this sandbox's ${SCHEMA_VERSION}: run a newer sandbox, or give this one another schema`,
      );
    }
    for (const migration of migrations.filter((m) => !applied.has(m.version))) await apply(client, s, migration);
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${lock}, 0)`).catch(() => {});
  }
}

async function appliedVersions(client: pg.ClientBase, s: string): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
  return new Set(rows.map((r) => r.version));
}

/** One migration in its own transaction, recorded in `schema_migrations` with it. */
async function apply(client: pg.ClientBase, s: string, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql(s));
    await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
  }
}
