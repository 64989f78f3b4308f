import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type FixedClock } from '../../src/domain/clock';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, registerOrg } from '../support/fixtures';
import { multipart, PDF } from '../support/uploads';

function upload(client: TestClient, id: string, name: string, content: Buffer) {
  return client.request('POST', `/api/applications/${id}/attachments`, undefined, multipart(name, content));
}

for (const tz of ['America/Chicago', 'UTC']) {
  describe(`the deadline is 2023-05-19 23:59:59 北京时间, server under TZ=${tz} (${TEST_DB})`, () => {
    let t: TestApp;
    const savedTz = process.env.TZ;
    beforeAll(async () => {
      process.env.TZ = tz;
      t = await createTestApp();
    });
    afterAll(async () => {
      await t.close();
      process.env.TZ = savedTz;
    });
    afterEach(() => {
      expect(new Date(2023, 0, 1).getTimezoneOffset()).toBe(tz === 'UTC' ? 0 : 360);
    });

    it('accepts a submission at 23:59:59 and refuses one at 00:00:00 with the deadline in the message', async () => {
      const a = new TestClient(t.app);
      await registerOrg(a);
      const appA = await createApplication(a, fixture('awards').application);
      const b = new TestClient(t.app);
      await registerOrg(b);
      const appB = await createApplication(b, fixture('awards').application);

      t.clock.set('2023-05-19T23:59:59+08:00');
      const ok = await a.post(`/api/applications/${appA.id}/submit`);
      expect(ok.status).toBe(200);
      expect(ok.body.submittedAt).toBe('2023-05-19T15:59:59.000Z');

      t.clock.set('2023-05-20T00:00:00+08:00');
      const late = await b.post(`/api/applications/${appB.id}/submit`);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('deadline_passed');
      expect(late.body.message).toContain('2023年5月19日 23:59:59（北京时间）');
      expect((await b.get(`/api/applications/${appB.id}`)).body.status).toBe('draft');
    });

    it('after the deadline refuses every write path: save, submit, withdraw, create, attachments', async () => {
      t.clock.set('2023-05-12T10:00:00+08:00');
      const c = new TestClient(t.app);
      await registerOrg(c);
      const draft = await createApplication(c, { ...fixture('evaluation-with-partner').application });
      const up = await upload(c, draft.id, '附件.pdf', PDF);
      expect(up.status).toBe(201);
      const c2 = new TestClient(t.app);
      await registerOrg(c2);
      const sub = await createApplication(c2, fixture('awards').application);
      expect((await c2.post(`/api/applications/${sub.id}/submit`)).status).toBe(200);

      t.clock.set('2023-05-20T00:00:00+08:00');
      const save = await c.put(`/api/applications/${draft.id}`, { version: draft.version, data: { ...draft.data, projectName: '迟到的修改' } });
      expect(save.status).toBe(409);
      expect(save.body.code).toBe('deadline_passed');
      expect(save.body.deadline).toBe('2023年5月19日 23:59:59（北京时间）');
      expect((await c.post(`/api/applications/${draft.id}/submit`)).body.code).toBe('deadline_passed');
      expect((await c2.post(`/api/applications/${sub.id}/withdraw`)).body.code).toBe('deadline_passed');
      expect((await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } })).body.code).toBe('deadline_passed');
      expect((await upload(c, draft.id, '迟到.pdf', PDF)).body.code).toBe('deadline_passed');
      const list = await c.get(`/api/applications/${draft.id}/attachments`);
      expect((await c.delete(`/api/applications/${draft.id}/attachments/${list.body[0].id}`)).body.code).toBe('deadline_passed');

      const read = await c.get(`/api/applications/${draft.id}`);
      expect(read.body.data.projectName).toBe(draft.data.projectName);
      expect(read.body.editable).toBe(false);
      const read2 = await c2.get(`/api/applications/${sub.id}`);
      expect(read2.body.status).toBe('submitted');
      expect(read2.body.withdrawable).toBe(false);

      // refused submit attempts are recorded
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', draft.id).where('action', '=', 'application.submit_refused').execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].details).code).toBe('deadline_passed');
      // and so are refused saves and withdrawals
      const refused = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id', 'at']).where('action', 'in', ['application.save_refused', 'application.withdraw_refused']).where('entity_id', 'in', [draft.id, sub.id]).orderBy('id').execute();
      expect(refused.map((r) => [r.action, r.entity_id])).toEqual([
        ['application.save_refused', draft.id],
        ['application.withdraw_refused', sub.id],
      ]);
      expect(refused[0].at).toBe('2023-05-19T16:00:00.000Z');
    });
  });
}

describe(`one instant per request: what is checked against the deadline is what is stamped (${TEST_DB})`, () => {
  // every read of this clock moves it on 15 ms, as a request that waits for a lock sees time pass
  const base = fixedClock('2023-05-19T23:59:59.970+08:00');
  const clock: FixedClock = { ...base, now: () => {
    const d = base.now();
    base.advance(15);
    return d;
  } };
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a submit accepted just before 24:00 is stored and audited with a 提交时间 before 24:00', async () => {
    base.set('2023-05-10T09:00:00+08:00');
    const c = new TestClient(t.app);
    await registerOrg(c);
    const app = await createApplication(c, fixture('awards').application);
    const saved = await c.put(`/api/applications/${app.id}`, { version: app.version, data: fixture('awards').application });
    expect(saved.status).toBe(200);
    base.set('2023-05-19T23:59:59.990+08:00');
    const s = await c.post(`/api/applications/${app.id}/submit`);
    expect(s.status).toBe(200);
    const closes = Date.parse('2023-05-19T23:59:59.999+08:00');
    expect(Date.parse(s.body.submittedAt)).toBeLessThanOrEqual(closes);
    expect(base.now().getTime(), 'the clock moved past 24:00 during the request').toBeGreaterThan(closes);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['at']).where('entity_id', '=', app.id).where('action', '=', 'application.submit').executeTakeFirstOrThrow();
    expect(audit.at).toBe(s.body.submittedAt);
  });
});
