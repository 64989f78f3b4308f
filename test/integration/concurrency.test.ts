import * as repo from '../../src/server/features/applications/applications.repository';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, PASSWORD, registerOrg } from '../support/fixtures';

describe(`concurrent edits and submits (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('two sessions of the same administrator: a save based on an old version is refused with the current one', async () => {
    const tab1 = new TestClient(t.app);
    const { email } = await registerOrg(tab1);
    const tab2 = new TestClient(t.app);
    expect((await tab2.post('/api/auth/login', { login: email, password: PASSWORD })).status).toBe(200);
    const data = fixture('awards').application;
    const app = await createApplication(tab1, data);

    const s1 = await tab1.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, projectName: '第一个窗口的名称' } });
    expect(s1.status).toBe(200);
    const s2 = await tab2.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, basis: '第二个窗口写的内容' } });
    expect(s2.status).toBe(409);
    expect(s2.body.code).toBe('version_conflict');
    expect(s2.body.current.version).toBe(2);
    expect(s2.body.current.data.projectName).toBe('第一个窗口的名称');

    // the second tab merges and saves on the new version
    const merged = { ...s2.body.current.data, basis: '第二个窗口写的内容' };
    const s3 = await tab2.put(`/api/applications/${app.id}`, { version: 2, data: merged });
    expect(s3.status).toBe(200);
    const read = await tab1.get(`/api/applications/${app.id}`);
    expect(read.body.data.projectName).toBe('第一个窗口的名称');
    expect(read.body.data.basis).toBe('第二个窗口写的内容');
    expect(read.body.version).toBe(3);
  });

  it('simultaneous saves on one version: exactly one wins', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    const app = await createApplication(c, data);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => c.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, projectName: `并发 ${i}` } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const read = await c.get(`/api/applications/${app.id}`);
    expect(read.body.version).toBe(2);
  });

  it('two simultaneous submits give one submission, one 申报编号, one audit record', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const app = await createApplication(c, fixture('evaluation-with-partner').application);
    const [a, b, d] = await Promise.all([0, 1, 2].map(() => c.post(`/api/applications/${app.id}/submit`)));
    expect([a.status, b.status, d.status]).toEqual([200, 200, 200]);
    expect(new Set([a.body.number, b.body.number, d.body.number]).size).toBe(1);
    const audits = await t.ctx.db.selectFrom('audit_log').select('action').where('entity_id', '=', app.id).where('action', '=', 'application.submit').execute();
    expect(audits).toHaveLength(1);
  });

  it('numbers are sequential per sub-programme prefix and never reused', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = new TestClient(t.app);
      await registerOrg(c);
      const app = await createApplication(c, fixture('awards').application);
      numbers.push((await c.post(`/api/applications/${app.id}/submit`)).body.number);
    }
    const seq = numbers.map((n) => Number(n.slice(-4)));
    expect(numbers.every((n) => n.startsWith('2023-JL-'))).toBe(true);
    expect(seq[1]).toBe(seq[0] + 1);
    expect(seq[2]).toBe(seq[1] + 1);
  });

  it('a number is kept through withdraw and resubmit, and a new one is given when the 专项 changed meanwhile', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('standards-and-tracking').application;
    data.subProgrammes = ['standards'];
    data.trackingTrack = null;
    const app = await createApplication(c, data);
    const first = (await c.post(`/api/applications/${app.id}/submit`)).body.number as string;
    expect(first).toMatch(/^2023-BZ-\d{4}$/);
    const post = async (step: string) => {
      const r = await c.post(`/api/applications/${app.id}/${step}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    await post('withdraw');
    expect((await post('submit')).number).toBe(first);
    const w = await post('withdraw');
    // now a 国际科技奖励 application: the BZ number would name the wrong 专项
    const awards = fixture('awards').application;
    const saved = await c.put(`/api/applications/${app.id}`, { version: w.version, data: awards });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const again = await post('submit');
    expect(again.number).toMatch(/^2023-JL-\d{4}$/);
    const audit = await t.ctx.db.selectFrom('audit_log').select('details').where('entity_id', '=', app.id).where('action', '=', 'application.submit').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ number: again.number, previousNumber: first });
  });

  it('every save writes an audit record with what changed, in the same transaction', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    const app = await createApplication(c, data);
    const next = structuredClone(data);
    next.team![2].age = 49;
    next.budget!.items![0].note = '新备注';
    await c.put(`/api/applications/${app.id}`, { version: 1, data: next });
    const rows = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', app.id).where('action', '=', 'application.save').execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].details).changed).toEqual(['team[2].age', 'budget.items[0].note']);
    expect(rows[0].actor_user_id).toBeTruthy();
  });
  it('a save that loses the race between its read and its write writes nothing, neither data nor audit', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    const app = await createApplication(c, data);
    // another tab saved first: the row is at version 2 now
    expect((await c.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, plan: '第一个标签页' } })).status).toBe(200);
    const stored = () => t.ctx.db.selectFrom('applications').select(['organisation_id', 'revision']).where('id', '=', app.id).executeTakeFirstOrThrow();
    const { organisation_id, revision } = await stored();
    const audit = { at: new Date().toISOString(), actorUserId: 'u', organisationId: organisation_id, details: '{}', ip: null };
    const write = (plan: string) => ({ data: JSON.stringify({ ...data, plan }), updatedAt: audit.at, revision: 'r-' + plan });
    // the write also checks the organisation: not another's, even at the right version and revision
    expect(await repo.saveWithAudit(t.ctx.db, t.ctx.dialect, app.id, { version: 2, revision }, write('别家的'), { ...audit, organisationId: 'another-org' })).toBe(false);
    // and the revision: the right version number with other text (a database that went back in time)
    expect(await repo.saveWithAudit(t.ctx.db, t.ctx.dialect, app.id, { version: 2, revision: 'another-revision' }, write('另一个第2版'), audit)).toBe(false);
    // the losing save still believes version 1 is current
    expect(await repo.saveWithAudit(t.ctx.db, t.ctx.dialect, app.id, { version: 1, revision }, write('过期的'), audit)).toBe(false);
    // a submitted application is not written even at its own version and revision
    const submitted = await c.post(`/api/applications/${app.id}/submit`);
    expect(submitted.status).toBe(200);
    expect(await repo.saveWithAudit(t.ctx.db, t.ctx.dialect, app.id, { version: 3, revision: (await stored()).revision }, write('提交后'), audit)).toBe(false);
    const row = await t.ctx.db.selectFrom('applications').selectAll().where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.data).plan).toBe('第一个标签页');
    expect(row.version).toBe(3);
    const saves = await t.ctx.db.selectFrom('audit_log').select('actor_user_id').where('entity_id', '=', app.id).where('action', '=', 'application.save').execute();
    expect(saves.map((r) => r.actor_user_id)).not.toContain('u');
    expect(saves).toHaveLength(1);
    // and the API says why, with the current text
    const late = await c.put(`/api/applications/${app.id}`, { version: 2, data });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('not_editable');
  });

  it('a version written by another server process is never overwritten from what this process remembers, and the audit diff is against what is stored', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    const app = await createApplication(c, data);
    // this process saves version 2 (and remembers it) …
    expect((await c.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, projectName: '本进程保存的名称' } })).status).toBe(200);
    // … then another instance on the same database writes version 3
    const { organisation_id, revision } = await t.ctx.db.selectFrom('applications').select(['organisation_id', 'revision']).where('id', '=', app.id).executeTakeFirstOrThrow();
    const other = { ...data, projectName: '本进程保存的名称', basis: '另一台服务器上保存的依据' };
    const audit = { at: new Date().toISOString(), actorUserId: 'other-instance', organisationId: organisation_id, details: '{}', ip: null };
    expect(await repo.saveWithAudit(t.ctx.db, t.ctx.dialect, app.id, { version: 2, revision }, { data: JSON.stringify(other), updatedAt: audit.at, revision: 'other-instance-3' }, audit)).toBe(true);

    // a save based on version 2 is refused with version 3, which this process never saw
    const stale = await c.put(`/api/applications/${app.id}`, { version: 2, data: { ...data, plan: '基于旧版本' } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.current).toMatchObject({ version: 3, data: { basis: '另一台服务器上保存的依据' } });

    // a save based on version 3 is written, and its audit names only what it changed from 3
    const next = await c.put(`/api/applications/${app.id}`, { version: 3, data: { ...other, plan: '在第3版上修改' } });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    const last = await t.ctx.db.selectFrom('audit_log').select('details').where('entity_id', '=', app.id).where('action', '=', 'application.save').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(last.details)).toEqual({ fromVersion: 3, toVersion: 4, changed: ['plan'] });
    const row = await t.ctx.db.selectFrom('applications').select(['data', 'version']).where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(row.version).toBe(4);
    expect(JSON.parse(row.data)).toMatchObject({ projectName: '本进程保存的名称', basis: '另一台服务器上保存的依据', plan: '在第3版上修改' });
  });

  it('another organisation cannot save an application the server has just saved or opened for its owner', async () => {
    const owner = new TestClient(t.app);
    await registerOrg(owner);
    const data = fixture('awards').application;
    const app = await createApplication(owner, data);
    expect((await owner.put(`/api/applications/${app.id}`, { version: 1, data: { ...data, plan: '所有者的计划' } })).status).toBe(200);
    expect((await owner.get(`/api/applications/${app.id}`)).status).toBe(200);
    const intruder = new TestClient(t.app);
    await registerOrg(intruder);
    const r = await intruder.put(`/api/applications/${app.id}`, { version: 2, data: { ...data, plan: '别家的计划' } });
    expect(r.status).toBe(404);
    const row = await t.ctx.db.selectFrom('applications').select(['data', 'version']).where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(JSON.parse(row.data).plan).toBe('所有者的计划');
  });
});
