import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/server/db/connect';
import { migrateToLatest, migrations } from '../../src/server/db/migrate';
import { createSchema, createTestApp, dropSchema, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, registerOrg } from '../support/fixtures';

describe(`migrations (${TEST_DB})`, () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('20261129T000000-application-revision gives applications saved before it an empty revision, and keeps their text', async () => {
    const url = process.env.TEST_DATABASE_URL;
    const schema = url ? await createSchema(url) : undefined;
    if (url && schema) closers.push(() => dropSchema(url, schema));
    const { db, dialect, close } = connect({ databaseUrl: url, dataDir: ':memory:', pgSchema: schema, poolSize: 2 });
    closers.push(close);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(dialect) }, ...(schema ? { migrationTableSchema: schema } : {}) });
    expect((await migrator.migrateTo('20260101T000000-initial')).error).toBeUndefined();
    // an application as the first schema stored it
    await db.insertInto('calls').values({ code: 'c', definition: '{}', created_at: 'x', updated_at: 'x' }).execute();
    await db.insertInto('organisations').values({ id: 'o', name: '中国测试学会', uscc: '51100000500000000X', type: 'national-society', verification: 'unverified', created_at: 'x' } as never).execute();
    const old = { id: 'a', call_code: 'c', organisation_id: 'o', status: 'draft', version: 7, number: null, data: '{"projectName":"旧的申报书"}', submitted_at: null, submitted_data: null, submitted_hash: null, created_by: 'someone', created_at: 'x', updated_at: 'y' };
    await db.insertInto('applications').values(old as never).execute();
    await migrateToLatest(db, dialect, schema);
    const row = await db.selectFrom('applications').selectAll().where('id', '=', 'a').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ...old, revision: '' });
  });

  it('an application with the empty revision of the migration opens and saves, and gets a revision of its own', async () => {
    const t: TestApp = await createTestApp();
    closers.push(() => t.close());
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    const app = await createApplication(c, data);
    const created = await t.ctx.db.selectFrom('applications').select('revision').where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(created.revision).toMatch(/^[0-9a-f-]{36}$/);
    // as if it had been saved before the migration (and this process had not seen it)
    await t.ctx.db.updateTable('applications').set({ revision: '' }).where('id', '=', app.id).execute();
    expect((await c.get(`/api/applications/${app.id}`)).status).toBe(200);
    const saved = await c.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, plan: '迁移后的第一次保存' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const row = await t.ctx.db.selectFrom('applications').select(['revision', 'version', 'data']).where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(row.revision).not.toBe('');
    expect(JSON.parse(row.data).plan).toBe('迁移后的第一次保存');
  });

  it.runIf(TEST_DB === 'postgres')('20261129T010000-application-text-lz4: the JSON texts of applications are compressed with lz4 (PostgreSQL)', async () => {
    const t: TestApp = await createTestApp();
    closers.push(() => t.close());
    const { rows } = await sql<{ attname: string; attcompression: string }>`
      select attname, attcompression from pg_attribute
      where attrelid = 'applications'::regclass and attname in ('data', 'submitted_data') order by attname`.execute(t.ctx.db);
    expect(rows).toEqual([
      { attname: 'data', attcompression: 'l' },
      { attname: 'submitted_data', attcompression: 'l' },
    ]);
  });
});
