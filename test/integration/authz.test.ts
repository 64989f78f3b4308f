import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, registerOrg } from '../support/fixtures';
import { multipart, PNG } from '../support/uploads';

describe(`organisation A reaches nothing of organisation B (${TEST_DB})`, () => {
  let t: TestApp;
  let a: TestClient;
  let b: TestClient;
  let anon: TestClient;
  let appB: any;
  let attB: any;
  let orgB: string;

  beforeAll(async () => {
    t = await createTestApp();
    a = new TestClient(t.app);
    b = new TestClient(t.app);
    anon = new TestClient(t.app);
    await registerOrg(a);
    orgB = (await registerOrg(b)).user.organisation.id;
    await createApplication(a, { subProgrammes: ['awards'] });
    appB = await createApplication(b, fixture('awards').application);
    const m = multipart('b.png', PNG, 'file', 'image/png');
    attB = (await b.request('POST', `/api/applications/${appB.id}/attachments`, undefined, m)).body;
    expect(attB.id).toBeTruthy();
  });
  afterAll(async () => {
    await t.close();
  });

  const routes = () => [
    ['GET', `/api/applications/${appB.id}`],
    ['PUT', `/api/applications/${appB.id}`],
    ['POST', `/api/applications/${appB.id}/submit`],
    ['POST', `/api/applications/${appB.id}/withdraw`],
    ['GET', `/api/applications/${appB.id}/pdf`],
    ['GET', `/api/applications/${appB.id}/docx`],
    ['GET', `/api/applications/${appB.id}/attachments`],
    ['POST', `/api/applications/${appB.id}/attachments`],
    ['GET', `/api/applications/${appB.id}/attachments/${attB.id}`],
    ['DELETE', `/api/applications/${appB.id}/attachments/${attB.id}`],
  ];

  it('another organisation gets 404 on every route of B’s application', async () => {
    for (const [method, url] of routes()) {
      const body = method === 'PUT' ? { version: appB.version, data: { projectName: '被篡改' } } : method === 'POST' && !url.endsWith('attachments') ? {} : undefined;
      const r = url.endsWith('/attachments') && method === 'POST'
        ? await a.request('POST', url, undefined, multipart('x.png', PNG, 'file', 'image/png'))
        : await a.request(method, url, body);
      expect([403, 404], `${method} ${url} → ${r.status}`).toContain(r.status);
      expect(JSON.stringify(r.body)).not.toContain(appB.data.projectName);
    }
    const read = await b.get(`/api/applications/${appB.id}`);
    expect(read.body.data).toEqual(appB.data);
    expect(read.body.version).toBe(appB.version);
    expect(read.body.status).toBe('draft');
    expect((await b.get(`/api/applications/${appB.id}/attachments`)).body).toHaveLength(1);
  });

  it('anonymous callers get 401 on every application route', async () => {
    await anon.refreshSession();
    for (const [method, url] of routes()) {
      const r = await anon.request(method, url, method === 'PUT' ? { version: 1, data: {} } : method === 'GET' ? undefined : {});
      expect(r.status, `${method} ${url}`).toBe(401);
    }
    expect((await anon.get('/api/applications')).status).toBe(401);
  });

  it('list filters cannot reach another organisation', async () => {
    const r = await a.get(`/api/applications?organisationId=${orgB}`);
    expect(r.status).toBe(403);
    const own = await a.get('/api/applications');
    expect(own.body).toHaveLength(1);
    expect(own.body[0].id).not.toBe(appB.id);
  });

  it('an attachment id of B under A’s own application is not found', async () => {
    const mine = (await a.get('/api/applications')).body[0];
    const r = await a.get(`/api/applications/${mine.id}/attachments/${attB.id}`);
    expect(r.status).toBe(404);
  });
});
