import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Database } from './database';
import type { Dialect } from './connect';
import { initial } from './migrations/20260101T000000-initial';

/** All migrations by name (timestamped, frozen), for a dialect. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '20260101T000000-initial': initial(dialect),
  };
}

/** Bring the schema up to date. Throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`数据库迁移失败${failed ? `（${failed.migrationName}）` : ''}: ${String((error as Error).message ?? error)}`);
}
