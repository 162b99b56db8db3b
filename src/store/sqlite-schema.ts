/** The SQLite file's schema: its versions, and how a file is brought to the latest. */
import type { DatabaseSync } from 'node:sqlite';

/**
 * The schema's versions, in order; the file's `user_version` is the last one applied. Each runs once, in its own
 * transaction. Never edit one that has shipped: add the next.
 */
const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'records and id sequences',
    // IF NOT EXISTS: files written before migrations were versioned have these tables at user_version 0.
    sql: `
      CREATE TABLE IF NOT EXISTS records (
        tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant, kind, id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS sequences (
        tenant TEXT NOT NULL, kind TEXT NOT NULL, next INTEGER NOT NULL, PRIMARY KEY (tenant, kind)
      ) WITHOUT ROWID;`,
  },
];

/** Applies every migration the file lacks; refuses a file a newer sandbox wrote. */
export function migrate(db: DatabaseSync, file: string): void {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  const latest = migrations.at(-1)?.version ?? 0;
  if (version > latest) {
    db.close();
    throw new Error(
      `the data file ${file} has schema version ${version}, newer than this sandbox's ${latest}: run a newer sandbox, or give this one another file`,
    );
  }
  for (const migration of migrations.filter((m) => m.version > version)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      db.close();
      throw new Error(
        `the data file ${file}: migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
      );
    }
  }
}
