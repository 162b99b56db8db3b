/**
 * Where the PostgreSQL engine connects and how it names things there: the URL (with its `?schema=`), the pool, the
 * advisory lock keys, keys as `text` can hold them, and the readiness check.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { OpenOptions } from './store.ts';

/** Connections an instance keeps open at most, unless told otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** The readiness check's limit: a database slower than this is not ready. */
const CHECK_TIMEOUT_MS = 3_000;

/** A 32-bit key for an advisory lock, from any text. */
export function lockKey(text: string): number {
  return createHash('sha256').update(text).digest().readInt32BE(0);
}

/** Advisory lock keys: one class per purpose and schema (two schemas never share a lock), the object in it. */
export interface LockKeys {
  migrate: number;
  reset: number;
  tenant: number;
  state: number;
}

/** The lock classes of one schema. */
export function lockKeys(schema: string): LockKeys {
  const key = (purpose: string) => lockKey(`vendor-task-api-sandbox\0${schema}\0${purpose}`);
  return { migrate: key('migrate'), reset: key('reset'), tenant: key('tenant'), state: key('state') };
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

/** The pool of one instance's connections to `target`. */
export function openPool(target: PostgresLocation, options: OpenOptions): pg.Pool {
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
  return pool;
}

/** Whether the database answers for schema `s` (quoted) within CHECK_TIMEOUT_MS; throws why not. */
export async function checkAnswers(pool: pg.Pool, s: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([pool.query(`SELECT 1 FROM ${s}.schema_migrations LIMIT 1`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
