import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL: compress the applications' JSON texts (`data`, `submitted_data`) with lz4
 * instead of the default pglz when PostgreSQL stores them out of line (TOAST; a draft is
 * about 15 KB). Measured here on a fixture draft: an UPDATE of `data` took about 800 µs with
 * lz4 against 1,000–1,160 µs with pglz, for the same size on disk; every deadline-day save
 * pays it. Values already stored keep their compression until rewritten. A server built
 * without lz4 (or older than PostgreSQL 14) keeps pglz: the change is skipped, not failed.
 * SQLite stores text uncompressed: nothing to do. Frozen: later changes go in new migrations.
 */
export function applicationTextLz4(dialect: 'sqlite' | 'postgres') {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`do $$ begin
        alter table applications alter column data set compression lz4;
        alter table applications alter column submitted_data set compression lz4;
      exception when feature_not_supported or syntax_error then
        raise notice 'lz4 compression not available: applications keep pglz';
      end $$`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`do $$ begin
        alter table applications alter column data set compression default;
        alter table applications alter column submitted_data set compression default;
      exception when feature_not_supported or syntax_error then null;
      end $$`.execute(db);
    },
  };
}
