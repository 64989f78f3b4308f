import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, registerOrg } from '../support/fixtures';
import { multipart, multipartFiles, PDF, PNG } from '../support/uploads';

describe(`attachments (附页) (${TEST_DB})`, () => {
  let t: TestApp;
  let c: TestClient;
  let app: any;
  beforeAll(async () => {
    t = await createTestApp();
    c = new TestClient(t.app);
    await registerOrg(c);
    app = await createApplication(c, fixture('awards').application);
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps a Chinese file name with commas and full-width punctuation, served back per RFC 5987', async () => {
    const name = '申报书附页（盖章版）,第1份；说明.pdf';
    const up = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart(name, PDF));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ fileName: name, size: PDF.length, mime: 'application/pdf' });
    const down = await c.get(`/api/applications/${app.id}/attachments/${up.body.id}`);
    expect(down.status).toBe(200);
    expect(down.raw.equals(PDF)).toBe(true);
    const cd = String(down.headers['content-disposition']);
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase())}`);
    expect(cd.startsWith('attachment')).toBe(true);
    const list = await c.get(`/api/applications/${app.id}/attachments`);
    expect(list.body.map((a: any) => a.fileName)).toContain(name);
  });

  it('keeps every character of a name with slashes as text, and drops direction overrides', async () => {
    const up = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('申报书<b>说明</b>/../附页.pdf', PDF));
    expect(up.status).toBe(201);
    expect(up.body.fileName).toBe('申报书<b>说明<／b>／..／附页.pdf');
    const rtl = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('\u202Efdp.exe', PDF));
    expect(rtl.body.fileName).toBe('fdp.exe');
    const down = await c.get(`/api/applications/${app.id}/attachments/${up.body.id}`);
    expect(String(down.headers['content-disposition'])).toContain("filename*=UTF-8''");
  });

  it('checks the type by content, not by extension', async () => {
    const fake = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('看起来是.pdf', Buffer.from('just some text, not a PDF')));
    expect(fake.status).toBe(415);
    expect(fake.body.code).toBe('unsupported_media_type');
    const png = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('扫描件.pdf', PNG));
    expect(png.status).toBe(201);
    expect(png.body.mime).toBe('image/png');
    const html = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('x.png', Buffer.from('<html><script>alert(1)</script></html>')));
    expect(html.status).toBe(415);
  });

  it('refuses two files in one upload with 400 and stores neither', async () => {
    const before = (await c.get(`/api/applications/${app.id}/attachments`)).body.length;
    const r = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipartFiles({ name: '甲.pdf', content: PDF }, { name: '乙.pdf', content: PDF, type: 'application/pdf' }));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('一次只能上传一个文件');
    expect((await c.get(`/api/applications/${app.id}/attachments`)).body.length).toBe(before);
  });

  it('refuses a file over 20 MB with 413 and stores nothing', async () => {
    const before = (await c.get(`/api/applications/${app.id}/attachments`)).body.length;
    const big = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024 + 10, 0x20)]);
    const r = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('大文件.pdf', big));
    expect(r.status).toBe(413);
    expect(r.body.message).toContain('20 MB');
    expect((await c.get(`/api/applications/${app.id}/attachments`)).body.length).toBe(before);
  });

  it('deletes an attachment, and refuses changes once submitted', async () => {
    const up = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('临时.pdf', PDF));
    expect((await c.delete(`/api/applications/${app.id}/attachments/${up.body.id}`)).status).toBe(204);
    expect((await c.get(`/api/applications/${app.id}/attachments/${up.body.id}`)).status).toBe(404);
    expect((await c.post(`/api/applications/${app.id}/submit`)).status).toBe(200);
    const late = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('提交后.pdf', PDF));
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('not_editable');
  });
});
