import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/server/features/auth/auth.service';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, PASSWORD, registerFixtureOrg, registerOrg } from '../support/fixtures';
import { multipart, PNG } from '../support/uploads';

const CALL = '2023-xhgf';

/**
 * HEAD on the download routes. The printed 申报书 (PDF, DOCX) and the funder's exports are
 * produced by the GET itself (typesetting, every PDF of a call, an audited export), so HEAD
 * answers 405 with `Allow: GET` rather than doing that work to send nothing; but only after
 * the same authentication and authorisation as GET, so that HEAD refuses exactly whom GET
 * refuses, with the same status. The attachment download, whose GET only reads stored
 * bytes, keeps Fastify's HEAD: GET's status and headers without the body.
 */
describe(`HEAD on the download routes (${TEST_DB})`, () => {
  let t: TestApp;
  let owner: TestClient;
  let other: TestClient;
  let funder: TestClient;
  let anonymous: TestClient;
  let draftId = '';
  let submittedId = '';
  let attachmentId = '';

  beforeAll(async () => {
    t = await createTestApp();
    owner = new TestClient(t.app);
    other = new TestClient(t.app);
    funder = new TestClient(t.app);
    anonymous = new TestClient(t.app);
    const f = fixture('evaluation-with-partner');
    await registerFixtureOrg(owner, f);
    await registerOrg(other, { name: '其他学会' });
    await createStaff(t.ctx, { name: '资助方管理员', email: 'funder-head@example.cn', mobile: '13800008888', password: PASSWORD });
    expect((await funder.post('/api/auth/login', { login: 'funder-head@example.cn', password: PASSWORD })).status).toBe(200);
    draftId = (await createApplication(owner, fixture('awards').application)).id;
    submittedId = (await createApplication(owner, f.application)).id;
    const up = await owner.request('POST', `/api/applications/${draftId}/attachments`, undefined, multipart('附页.png', PNG));
    expect(up.status).toBe(201);
    attachmentId = up.body.id;
    expect((await owner.post(`/api/applications/${submittedId}/submit`)).status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  const head = (client: TestClient, url: string) => t.app.inject({ method: 'HEAD', url, headers: client.cookieHeader() ? { cookie: client.cookieHeader() } : {} });

  const documentUrls = () => [draftId, submittedId].flatMap((id) => [`/api/applications/${id}/pdf`, `/api/applications/${id}/docx`]);
  const exportUrls = [`/api/calls/${CALL}/exports/applications.xlsx`, `/api/calls/${CALL}/exports/documents.zip`];

  it('the printed 申报书 and the exports: 405 with Allow: GET and no body for whoever GET would serve', async () => {
    const cases: [TestClient, string][] = [
      ...documentUrls().map((u): [TestClient, string] => [owner, u]),
      [funder, `/api/applications/${submittedId}/pdf`],
      [funder, `/api/applications/${submittedId}/docx`],
      ...exportUrls.map((u): [TestClient, string] => [funder, u]),
      [funder, `${exportUrls[0]}?status=submitted`],
    ];
    for (const [client, url] of cases) {
      const r = await head(client, url);
      expect(r.statusCode, url).toBe(405);
      expect(r.headers.allow, url).toBe('GET');
      expect(r.rawPayload.length, url).toBe(0);
    }
  });

  it('HEAD on an export runs no export: nothing is audited (GET records every export)', async () => {
    const exportsAudited = async () =>
      (await t.ctx.db.selectFrom('audit_log').select('id').where('action', 'like', 'export.%').execute()).length;
    const before = await exportsAudited();
    for (const url of exportUrls) expect((await head(funder, url)).statusCode, url).toBe(405);
    expect(await exportsAudited()).toBe(before);
    // the GET beside it does record one: the count above would have seen a HEAD that exported
    expect((await funder.get(exportUrls[0])).status).toBe(200);
    expect(await exportsAudited()).toBe(before + 1);
  });

  it('whom GET refuses, HEAD refuses with the same status, without a body and without revealing the document', async () => {
    const refusals: [string, TestClient, string][] = [
      ...documentUrls().map((u): [string, TestClient, string] => ['anonymous', anonymous, u]),
      ...documentUrls().map((u): [string, TestClient, string] => ['another organisation', other, u]),
      ['funder admin on a draft', funder, `/api/applications/${draftId}/pdf`],
      ['funder admin on a draft', funder, `/api/applications/${draftId}/docx`],
      ['an id that is not a UUID', owner, '/api/applications/not-a-uuid/pdf'],
      ...exportUrls.map((u): [string, TestClient, string] => ['anonymous', anonymous, u]),
      ...exportUrls.map((u): [string, TestClient, string] => ['an applicant', owner, u]),
      ['an unknown call', funder, '/api/calls/1999-none/exports/applications.xlsx'],
      ['a status outside the filter', funder, `${exportUrls[1]}?status=draft`],
    ];
    const seen = new Set<number>();
    for (const [who, client, url] of refusals) {
      const get = await client.get(url);
      const h = await head(client, url);
      const label = `${who}: HEAD ${url} (GET ${get.status} ${JSON.stringify(get.body)})`;
      expect(get.status, label).toBeGreaterThanOrEqual(400);
      expect(h.statusCode, label).toBe(get.status);
      expect(h.headers.allow, label).toBeUndefined();
      expect(h.headers['content-disposition'], label).toBeUndefined();
      expect(h.rawPayload.length, label).toBe(0);
      seen.add(get.status);
    }
    // every kind of refusal was met: not signed in, not allowed, not found, bad input
    expect([...seen].sort()).toEqual([400, 401, 403, 404]);
  });

  it('an attachment download keeps the automatic HEAD: GET’s status and headers, no body', async () => {
    const url = `/api/applications/${draftId}/attachments/${attachmentId}`;
    const get = await owner.get(url);
    const h = await head(owner, url);
    expect(get.status).toBe(200);
    expect(h.statusCode).toBe(200);
    for (const name of ['content-type', 'content-disposition', 'cache-control', 'content-length']) expect(h.headers[name], name).toBe(get.headers[name]);
    expect(Number(h.headers['content-length'])).toBe(PNG.length);
    expect(h.rawPayload.length).toBe(0);
    expect((await head(other, url)).statusCode).toBe(404);
  });
});
