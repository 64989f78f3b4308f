import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Database } from './database';
import type { Dialect } from './connect';
import { initial } from './migrations/20260101T000000-initial';
import { applicationRevision } from './migrations/20261129T000000-application-revision';
import { applicationTextLz4 } from './migrations/20261129T010000-application-text-lz4';
import { sessionChangeNotify } from './migrations/20261130T000000-session-change-notify';

/** All migrations by name (timestamped, frozen), for a dialect. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '20260101T000000-initial': initial(dialect),
    '20261129T000000-application-revision': applicationRevision,
    '20261129T010000-application-text-lz4': applicationTextLz4(dialect),
    '20261130T000000-session-change-notify': sessionChangeNotify(dialect),
  };
}

/**
 * Bring the schema up to date. Throws with the failing migration's error. On PostgreSQL the
 * migration bookkeeping lives in the connection's current schema (the first of its
 * search_path, or `pgSchema`): without naming it Kysely could take another schema's
 * migration lock table for ours when several schemas share one database.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect, pgSchema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    migrationTableSchema = pgSchema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? 'public';
  }
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`数据库迁移失败${failed ? `（${failed.migrationName}）` : ''}: ${String((error as Error).message ?? error)}`);
}
