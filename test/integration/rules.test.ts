import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, registerOrg } from '../support/fixtures';

describe(`the server runs the form rules (${TEST_DB})`, () => {
  let t: TestApp;
  let client: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    client = new TestClient(t.app);
    await registerOrg(client);
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports rule errors at their paths on save and refuses submit with 422 and the issues', async () => {
    const data = fixture('awards').application;
    data.budget!.items![1].basis = '';
    data.team![0].age = 101;
    data.contacts!.projectLead!.mobile = '12345';
    const app = await createApplication(client, data);
    const paths = app.issues.filter((i: any) => i.level === 'error').map((i: any) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['budget.items[1].basis', 'team[0].age', 'contacts.projectLead.mobile']));
    const s = await client.post(`/api/applications/${app.id}/submit`);
    expect(s.status).toBe(422);
    expect(s.body.code).toBe('has_errors');
    expect(s.body.issues.map((i: any) => i.path)).toEqual(expect.arrayContaining(['budget.items[1].basis', 'team[0].age']));
    const after = await client.get(`/api/applications/${app.id}`);
    expect(after.body.status).toBe('draft');
    expect(after.body.number).toBeNull();
  });

  it('refuses malformed data with 400 naming the field, and changes nothing saved', async () => {
    const data = fixture('evaluation-with-partner').application;
    const app = await createApplication(client, data);
    const bad = await client.put(`/api/applications/${app.id}`, { version: app.version, data: { ...data, team: 'none' } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: any) => p.path)).toContain('data.team');
    const unknownKey = await client.put(`/api/applications/${app.id}`, { version: app.version, data: { ...data, budget: { ...data.budget, bonus: 1 } } });
    expect(unknownKey.status).toBe(400);
    expect(JSON.stringify(unknownKey.body.problems)).toContain('data.budget');
    const tooLong = await client.put(`/api/applications/${app.id}`, { version: app.version, data: { ...data, projectName: '长'.repeat(101) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.problems.map((p: any) => p.path)).toContain('data.projectName');
    const broken = await client.request('PUT', `/api/applications/${app.id}`, '{"version": 1, "data": {', { headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    const read = await client.get(`/api/applications/${app.id}`);
    expect(read.body.version).toBe(app.version);
    expect(read.body.data).toEqual(data);
  });

  it('keeps one application per organisation per sub-programme', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const first = await createApplication(c, { subProgrammes: ['standards', 'tracking'], trackingTrack: 'standards' });
    expect(first.status).toBe('draft');
    const dup = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['standards'] } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('duplicate_subprogramme');
    const dupTracking = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['tracking'], trackingTrack: 'awards' } });
    expect(dupTracking.status).toBe(409);
    const other = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } });
    expect(other.status).toBe(201);
    // switching the second to a held sub-programme is refused too
    const sw = await c.put(`/api/applications/${other.body.id}`, { version: 1, data: { subProgrammes: ['standards'] } });
    expect(sw.status).toBe(409);
    expect(sw.body.code).toBe('duplicate_subprogramme');
  });

  it('refuses an invalid sub-programme combination at creation with the field named', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const r = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['standards', 'awards'] } });
    expect(r.status).toBe(400);
    expect(r.body.problems[0].path).toBe('data.subProgrammes');
    const noTrack = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['tracking'] } });
    expect(noTrack.status).toBe(400);
    expect(noTrack.body.problems[0].path).toBe('data.trackingTrack');
  });

  it('an enterprise association may lead standards only jointly with a national society', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c, { type: 'enterprise-association' });
    const awards = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } });
    expect(awards.status).toBe(400);
    const data = fixture('standards-and-tracking').application;
    data.subProgrammes = ['standards'];
    data.trackingTrack = null;
    const std = await createApplication(c, data);
    expect(std.issues.filter((i: any) => i.level === 'error').map((i: any) => i.code)).toEqual(['lead.joint_requires_society']);
    data.contacts!.partnerUnits = [{ name: '中国某某学会', head: '张三', phone: '010-12345678', orgType: 'national-society' }];
    const ok = await c.put(`/api/applications/${std.id}`, { version: std.version, data });
    expect(ok.status).toBe(200);
    const read = await c.get(`/api/applications/${std.id}`);
    expect(read.body.issues.filter((i: any) => i.level === 'error')).toEqual([]);
  });

  it('money is exact: 0.1 + 0.2 万元 adds up to a 0.3 万元 total', async () => {
    const data = fixture('awards').application;
    data.budget = { castFunds: '0.3', otherNational: '0', selfRaised: '0', items: [
      { content: '会议费', amount: '0.1', note: '', basis: '1 次' },
      { content: '资料费', amount: '0.2', note: '', basis: '1 批' },
    ] };
    const c = new TestClient(t.app);
    await registerOrg(c);
    const app = await createApplication(c, data);
    expect(app.issues.filter((i: any) => i.path.startsWith('budget') && i.level === 'error')).toEqual([]);
  });
});

describe(`printability at submission (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a control character pasted from a PDF is an error at its field, live and on the server', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    data.team![0].name = data.team![0].name + '\u2028';
    const app = await createApplication(c, data);
    expect(app.issues.filter((i: any) => i.level === 'error')).toEqual([
      expect.objectContaining({ path: 'team[0].name', code: 'text.unprintable' }),
    ]);
    const s = await c.post(`/api/applications/${app.id}/submit`);
    expect(s.status).toBe(422);
  });

  it('refuses to submit text that no bundled font can print, naming the field and the character', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const data = fixture('awards').application;
    data.contacts!.projectLead!.title = '研究员🙂';
    const app = await createApplication(c, data);
    expect(app.issues.filter((i: any) => i.level === 'error')).toEqual([]);
    const s = await c.post(`/api/applications/${app.id}/submit`);
    expect(s.status).toBe(422);
    expect(s.body.code).toBe('has_errors');
    expect(s.body.issues).toEqual([
      expect.objectContaining({ path: 'contacts.projectLead.title', code: 'text.no_glyph', level: 'error' }),
    ]);
    expect(s.body.issues[0].message).toContain('U+1F642');
    const read = await c.get(`/api/applications/${app.id}`);
    expect(read.body.status).toBe('draft');
    expect(read.body.number).toBeNull();
  });
});
