/**
 * Which store the sandbox tests run on. `npm test` runs them on SQLite, and again on PostgreSQL in vitest's
 * `postgres` project (vitest.config.ts), which sets SANDBOX_TEST_STORE=postgres and TEST_POSTGRES_URL. On
 * PostgreSQL each sandbox gets a schema of its own in the test database, created by the store and dropped by the
 * test (a fresh one for ':memory:', dropped when the sandbox closes; one named after a data file for a test that
 * reopens its data, dropped when the test file ends), so runs never see each other's data.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Engine, openStore, type Store } from '../../src/store/store.ts';

/** The database the PostgreSQL tests use when TEST_POSTGRES_URL does not name one. */
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The command that runs every test, the PostgreSQL ones included (scripts/with-postgres.sh starts a server). */
export const POSTGRES_TEST_COMMAND = 'npm run test:postgres';

export const testEngine: Engine = process.env.SANDBOX_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export const testPostgresUrl = process.env.TEST_POSTGRES_URL || DEFAULT_TEST_POSTGRES_URL;

/** Schemas created for this test file, dropped by `dropTestSchemas`. */
const created = new Set<string>();

/** A schema name of this run: a prefix, then 16 hex characters from `seed` (or random ones). */
function schemaName(seed?: string): string {
  const hash = seed === undefined ? randomBytes(8).toString('hex') : createHash('sha256').update(seed).digest('hex');
  return `test_${hash.slice(0, 16)}`;
}

/** `url` with `?schema=<schema>`. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

/** A fresh schema of the test database (dropped at the end of the file), as `--data`. */
export function freshPostgresData(): string {
  const schema = schemaName();
  created.add(schema);
  return withSchema(testPostgresUrl, schema);
}

/**
 * `--data` for a test's data file on the engine under test: the file itself on SQLite; on PostgreSQL a schema named
 * after the file (the same file, the same schema: a test can reopen its data), fresh for ':memory:'.
 */
export function testData(dataFile: string): string {
  if (testEngine === 'sqlite') return dataFile;
  const schema = dataFile === ':memory:' ? schemaName() : schemaName(`${process.pid}\0${dataFile}`);
  created.add(schema);
  return withSchema(testPostgresUrl, schema);
}

/** The schema a `--data` URL names. */
export function schemaOf(data: string): string {
  return new URL(data).searchParams.get('schema') ?? 'public';
}

/** Runs `fn` with a client of the test database (outside any sandbox's store). */
export async function withTestDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops one schema of the test database, or every schema this file created. */
export async function dropTestSchemas(only?: string): Promise<void> {
  const schemas = only === undefined ? [...created] : [only];
  if (schemas.length === 0 || testEngine !== 'postgres') return;
  await withTestDatabase(async (client) => {
    for (const schema of schemas) {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      created.delete(schema);
    }
  });
}

/** A store on the engine under test: an SQLite file (or memory), or a schema of the test database. */
export async function openTestStore(dataFile = ':memory:'): Promise<Store> {
  return openStore(testData(dataFile));
}
