import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, loadFixtures, registerFixtureOrg } from '../support/fixtures';

describe(`applicant journey with each fixture (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const expectedPrefix: Record<string, string> = {
    awards: '2023-JL-',
    'evaluation-with-partner': '2023-PJ-',
    'standards-and-tracking': '2023-BZ-',
  };

  for (const f of loadFixtures()) {
    it(`${f.name}: register, create, fill, validate, submit, read back unchanged`, async () => {
      const client = new TestClient(t.app);
      const user = await registerFixtureOrg(client, f);
      expect(user.organisation.uscc).toBe(f.organisation.uscc);
      expect(user.organisation.verification).toBe('verified');

      // create with the sub-programmes only, then fill in the whole form
      const created = await createApplication(client, { subProgrammes: f.application.subProgrammes, trackingTrack: f.application.trackingTrack ?? null });
      expect(created.status).toBe('draft');
      expect(created.version).toBe(1);
      expect(created.issues.some((i: any) => i.path === 'projectName' && i.level === 'error')).toBe(true);

      const saved = await client.put(`/api/applications/${created.id}`, { version: 1, data: f.application });
      expect(saved.status).toBe(200);
      expect(saved.body).toEqual({ version: 2, updatedAt: expect.any(String) });
      const checked = await client.get(`/api/applications/${created.id}`);
      expect(checked.body.issues.filter((i: any) => i.level === 'error')).toEqual([]);

      const submitted = await client.post(`/api/applications/${created.id}/submit`);
      expect(submitted.status).toBe(200);
      expect(submitted.body.number).toMatch(new RegExp(`^${expectedPrefix[f.name]}\\d{4}$`));
      expect(submitted.body.contentHash).toMatch(/^[0-9a-f]{8}$/);

      const read = await client.get(`/api/applications/${created.id}`);
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual(f.application);
      expect(read.body.status).toBe('submitted');
      expect(read.body.number).toBe(submitted.body.number);
      expect(read.body.editable).toBe(false);
      expect(read.body.withdrawable).toBe(true);

      const list = await client.get('/api/applications');
      expect(list.body).toHaveLength(1);
      expect(list.body[0]).toMatchObject({ id: created.id, number: submitted.body.number, status: 'submitted', projectName: f.application.projectName, errorCount: 0 });

      // a submitted application is read-only
      const late = await client.put(`/api/applications/${created.id}`, { version: read.body.version, data: { ...f.application, projectName: '改' } });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('not_editable');
    });
  }

  it('withdraw while the window is open, edit, submit again: the 申报编号 is kept', async () => {
    const f = loadFixtures()[0];
    const client = new TestClient(t.app);
    await registerFixtureOrg(client, { ...f, organisation: { ...f.organisation, uscc: '51100000500099991D', adminEmail: 'w@example.cn' } });
    const created = await createApplication(client, f.application);
    const first = await client.post(`/api/applications/${created.id}/submit`);
    expect(first.status).toBe(200);
    const w = await client.post(`/api/applications/${created.id}/withdraw`);
    expect(w.status).toBe(200);
    expect(w.body.status).toBe('draft');
    const edit = await client.put(`/api/applications/${created.id}`, { version: w.body.version, data: { ...f.application, projectName: f.application.projectName + '（修订）' } });
    expect(edit.status).toBe(200);
    const again = await client.post(`/api/applications/${created.id}/submit`);
    expect(again.status).toBe(200);
    expect(again.body.number).toBe(first.body.number);
    expect(again.body.contentHash).not.toBe(first.body.contentHash);
  });

  it('public call page data: the 2023 call with four sub-programmes and its window', async () => {
    const client = new TestClient(t.app);
    const r = await client.get('/api/calls/2023-xhgf');
    expect(r.status).toBe(200);
    expect(r.body.subProgrammes.map((s: any) => s.code)).toEqual(['standards', 'awards', 'evaluation', 'tracking']);
    expect(r.body.window).toEqual({ opens: '2023-04-28', closes: '2023-05-19' });
    expect(r.body.state).toBe('open');
    expect(r.body.deadlineText).toBe('2023年5月19日 23:59:59（北京时间）');
    const list = await client.get('/api/calls');
    expect(list.body.map((c: any) => c.code)).toEqual(['2023-xhgf']);
    const missing = await client.get('/api/calls/nope');
    expect(missing.status).toBe(404);
  });

  it('serves the OpenAPI document listing the main routes', async () => {
    const r = await new TestClient(t.app).get('/api/openapi.json');
    expect(r.status).toBe(200);
    for (const p of ['/api/session', '/api/auth/register', '/api/auth/login', '/api/applications', '/api/applications/{id}', '/api/applications/{id}/submit', '/api/applications/{id}/pdf'])
      expect(Object.keys(r.body.paths)).toContain(p);
  });
});
