/**
 * The PostgreSQL the sandbox-pg servers run on: which one (the --postgres flag, BENCH_POSTGRES_URL,
 * TEST_POSTGRES_URL, else 127.0.0.1:5432), its version and the settings that decide what a commit costs, a schema
 * of its own per server, dropped at the end.
 */
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchPostgres =
  | {
      /** The URL without its password, for the report. */
      url: string;
      version: string;
      /** `synchronous_commit`, `fsync`, `shared_buffers`, `max_connections` as the server has them. */
      settings: Record<string, string>;
      withSchema(schema: string): string;
      connectionString: string;
    }
  | { unavailable: string };

function hidePassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/** The server to measure on, or why there is none. */
export async function postgresFor(flag: string | undefined): Promise<BenchPostgres> {
  const connectionString = flag || process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL || DEFAULT_URL;
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const version =
      (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
    const settings: Record<string, string> = {};
    for (const name of ['synchronous_commit', 'fsync', 'shared_buffers', 'max_connections']) {
      settings[name] = (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name] ?? '?';
    }
    return {
      url: hidePassword(connectionString),
      version: version.split(' ')[0] ?? version,
      settings,
      connectionString,
      withSchema: (schema) => {
        const url = new URL(connectionString);
        url.searchParams.set('schema', schema);
        return url.toString();
      },
    };
  } catch (error) {
    return { unavailable: `no PostgreSQL at ${hidePassword(connectionString)} (${(error as Error).message})` };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops a schema a sandbox-pg server made (best effort: the report is written either way). */
export async function dropSchema(postgres: BenchPostgres, schema: string): Promise<void> {
  if ('unavailable' in postgres) return;
  const client = new pg.Client({ connectionString: postgres.connectionString, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch {
    // left for the next run's owner to drop; its name says which run made it
  } finally {
    await client.end().catch(() => {});
  }
}
