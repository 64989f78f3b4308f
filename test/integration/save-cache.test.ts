import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { changedPaths } from '../../src/server/features/applications/applications.service';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, PASSWORD, registerOrg } from '../support/fixtures';

/**
 * Adversarial checks of the saved-data cache (saved-data-cache.ts): a save whose base version
 * this process remembers must be answered and written exactly as a save that read the row.
 */
describe(`saves based on a remembered version (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a stale save of a submitted application is refused as not_editable even when its sub-programmes break the rules', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    const app = await createApplication(c, data); // this process now remembers version 1
    expect((await c.post(`/api/applications/${app.id}/submit`)).status).toBe(200); // version 2, submitted

    // a tab still on version 1 clears the 专项 (the editor autosaves whatever is typed)
    const stale = await c.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, subProgrammes: [] } });
    // the same request based on a version this process does not remember (the row is read): 409 not_editable
    const unknown = await c.put(`/api/applications/${app.id}`, { version: 2, data: { ...data, subProgrammes: [] } });
    expect(unknown.status).toBe(409);
    expect(unknown.body.code).toBe('not_editable');
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 409, code: 'not_editable' });
  });

  it('a stale save after a withdrawal gets version_conflict with the current data (the merge dialog), not 400, when its sub-programmes break the rules', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    const app = await createApplication(c, data); // remembered: version 1
    expect((await c.post(`/api/applications/${app.id}/submit`)).status).toBe(200);
    expect((await c.post(`/api/applications/${app.id}/withdraw`)).body.version).toBe(3);

    const stale = await c.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, subProgrammes: ['awards', 'evaluation'] } });
    expect(stale.status, JSON.stringify(stale.body)).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.current.version).toBe(3);
  });

  /**
   * Two server instances on one database (the second has its own database handle, so its own
   * cache), and the database goes back in time while both keep running — a failover to an
   * asynchronous standby, a point-in-time recovery or pg_restore over the live database
   * (docs/operations.md: "when the database is back the same processes carry on"). Version
   * numbers are then reused with other data, and an instance that remembers the lost version
   * takes it for what is stored.
   */
  describe('when the database loses its last writes under running instances', () => {
    let other: FastifyInstance;
    beforeAll(async () => {
      const db2 = t.ctx.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result });
      other = await buildApp({ ...t.ctx, db: db2 });
    });
    afterAll(async () => {
      await other.close();
    });

    /** What a restore to "now" gives back later: the application, its 专项 rows and the audit log. */
    async function snapshot(id: string) {
      const row = await t.ctx.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const subs = await t.ctx.db.selectFrom('application_subprogrammes').selectAll().where('application_id', '=', id).execute();
      const lastAudit = (await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m as number;
      return async () => {
        const { id: _, ...columns } = row;
        await t.ctx.db.updateTable('applications').set(columns).where('id', '=', id).execute();
        await t.ctx.db.deleteFrom('application_subprogrammes').where('application_id', '=', id).execute();
        if (subs.length) await t.ctx.db.insertInto('application_subprogrammes').values(subs).execute();
        await t.ctx.db.deleteFrom('audit_log').where('id', '>', Number(lastAudit)).execute();
      };
    }

    it('the audit diff of the next save through the instance that remembers the lost version is against what is stored', async () => {
      const a = new TestClient(t.app);
      const { email } = await registerOrg(a);
      const b = new TestClient(other);
      expect((await b.post('/api/auth/login', { login: email, password: PASSWORD })).status).toBe(200);
      const data = fixture('awards').application;
      const app = await createApplication(a, data);
      const restore = await snapshot(app.id);
      // instance A saves version 2 (and remembers it); the database then loses that write
      expect((await a.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, plan: '丢失的第2版' } })).status).toBe(200);
      await restore();
      // the applicant, through instance B, reads version 1 and saves a different version 2
      const seen = await b.get(`/api/applications/${app.id}`);
      expect(seen.body.version).toBe(1);
      const v2 = { ...data, basis: '恢复后写的第2版' };
      expect((await b.put(`/api/applications/${app.id}`, { version: 1, data: v2 })).status).toBe(200);
      // the next save, on version 2, reaches instance A
      const v3 = { ...v2, outcomes: '第3版只改了预期成果' };
      expect((await a.put(`/api/applications/${app.id}`, { version: 2, data: v3 })).status).toBe(200);
      const last = await t.ctx.db.selectFrom('audit_log').select('details').where('entity_id', '=', app.id).where('action', '=', 'application.save').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(changedPaths(v2, v3)).toEqual(['outcomes']);
      expect(JSON.parse(last.details).changed).toEqual(['outcomes']);
    });

    it('a sub-programme change through the instance that remembers the lost version is still checked: one application per 专项 per organisation', async () => {
      const a = new TestClient(t.app);
      const { email } = await registerOrg(a);
      const b = new TestClient(other);
      expect((await b.post('/api/auth/login', { login: email, password: PASSWORD })).status).toBe(200);
      const awards = fixture('awards').application; // 专项 awards
      const x = await createApplication(a, awards);
      const restore = await snapshot(x.id);
      // through A: X moves to 评估 (evaluation) as version 2 — A remembers it; then that write is lost
      expect((await a.put(`/api/applications/${x.id}`, { version: 1, data: { ...awards, subProgrammes: ['evaluation'] } })).status).toBe(200);
      await restore();
      // through B: 评估 is free again, so the society starts its 评估 application Y, and edits X (still 奖励) to version 2
      const y = await createApplication(b, fixture('evaluation-with-partner').application);
      expect((await b.put(`/api/applications/${x.id}`, { version: 1, data: { ...awards, plan: '恢复后修改' } })).status).toBe(200);
      // through A: X, version 2, now says 评估 — which Y holds
      const moved = await a.put(`/api/applications/${x.id}`, { version: 2, data: { ...awards, plan: '恢复后修改', subProgrammes: ['evaluation'] } });
      expect.soft(moved.status, JSON.stringify(moved.body)).toBe(409);
      expect.soft(moved.body.code).toBe('duplicate_subprogramme');

      // the 专项 the data names are the ones held in application_subprogrammes
      const rows = await t.ctx.db.selectFrom('applications').select(['id', 'data']).where('id', 'in', [x.id, y.id]).execute();
      const held = await t.ctx.db.selectFrom('application_subprogrammes').select(['application_id', 'sub_programme']).where('application_id', 'in', [x.id, y.id]).execute();
      const inData = rows.map((r) => ({ id: r.id, subs: JSON.parse(r.data).subProgrammes })).sort((p, q) => p.id.localeCompare(q.id));
      const inTable = [x.id, y.id].sort().map((id) => ({ id, subs: held.filter((h) => h.application_id === id).map((h) => h.sub_programme) }));
      expect.soft(inTable).toEqual(inData);
      // and the society cannot have two 评估 applications submitted
      const submitted = [];
      for (const id of [x.id, y.id]) {
        const r = await a.post(`/api/applications/${id}/submit`);
        if (r.status === 200) submitted.push(r.body.number);
      }
      expect(submitted.filter((n: string) => n.startsWith('2023-PJ-'))).toHaveLength(1);
    });
  });
});
