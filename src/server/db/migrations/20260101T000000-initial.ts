import { type Kysely, sql } from 'kysely';

/** Initial schema. Frozen: later changes go in new migrations. */
export function initial(dialect: 'sqlite' | 'postgres') {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  const autoId = (col: any) => (dialect === 'postgres' ? col.generatedByDefaultAsIdentity().primaryKey() : col.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('organisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('uscc', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('verification', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('mobile', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .execute();
      // one administrator account per organisation (notice 四.1)
      await db.schema.createIndex('users_one_admin_per_org').on('users').column('organisation_id').unique().execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('calls')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('applications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('call_code', 'text', (c) => c.notNull().references('calls.code'))
        .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.unique())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .addColumn('submitted_data', 'text')
        .addColumn('submitted_hash', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('applications_org').on('applications').columns(['organisation_id', 'call_code']).execute();
      await db.schema
        .createTable('application_subprogrammes')
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
        .addColumn('call_code', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'text', (c) => c.notNull())
        .addColumn('sub_programme', 'text', (c) => c.notNull())
        .addUniqueConstraint('application_subprogrammes_one_per_org', ['call_code', 'organisation_id', 'sub_programme'])
        .execute();
      await db.schema.createIndex('application_subprogrammes_app').on('application_subprogrammes').column('application_id').execute();
      await db.schema
        .createTable('number_sequences')
        .addColumn('call_code', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('number_sequences_pk', ['call_code', 'prefix'])
        .execute();
      await db.schema
        .createTable('attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', sql.raw(blob) as any, (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attachments_app').on('attachments').column('application_id').execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'integer', autoId)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_user_id', 'text')
        .addColumn('organisation_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('audit_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const t of ['audit_log', 'attachments', 'number_sequences', 'application_subprogrammes', 'applications', 'calls', 'sessions', 'users', 'organisations'])
        await db.schema.dropTable(t).ifExists().execute();
    },
  };
}
