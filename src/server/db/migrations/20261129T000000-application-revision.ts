import type { Kysely } from 'kysely';

/**
 * `applications.revision`: a random token written with every change of an application's
 * data, so that a version number and its revision together name one text even if the
 * database ever goes back in time (a failover to an asynchronous standby, a point-in-time
 * recovery) and a version number is used again for other text. The draft save writes only
 * if the row still has the revision it was based on (saved-data-cache.ts). Rows from before
 * this migration get '' until their next save. Frozen: later changes go in new migrations.
 */
export const applicationRevision = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('applications')
      .addColumn('revision', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('applications').dropColumn('revision').execute();
  },
};
