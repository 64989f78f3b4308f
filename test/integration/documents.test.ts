import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxText, pdfPages } from '../support/documents';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, registerFixtureOrg } from '../support/fixtures';

describe(`the printed 申报书 through the API (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    // also ends the PDF renderer children (documents routes, onClose)
    await t.close();
  });

  it('a submitted application: the same PDF hash every time, equal to the submit\'s, and the 申报编号 on every page; the DOCX holds the project name', async () => {
    const f = fixture('standards-and-tracking');
    const client = new TestClient(t.app);
    await registerFixtureOrg(client, f);
    const created = await createApplication(client, f.application);
    const submitted = await client.post(`/api/applications/${created.id}/submit`);
    expect(submitted.status).toBe(200);
    const { number, contentHash } = submitted.body;
    expect(number).toMatch(/^2023-BZ-\d{4}$/);

    const first = await client.get(`/api/applications/${created.id}/pdf`);
    const second = await client.get(`/api/applications/${created.id}/pdf`);
    for (const r of [first, second]) {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['x-content-hash']).toBe(contentHash);
      expect(r.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }

    const pages = await pdfPages(first.raw);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    pages.forEach((p, i) => {
      const text = p.replace(/\s+/g, '');
      expect(text, `page ${i + 1}`).toContain(`申报编号：${number}`);
      expect(text, `page ${i + 1}`).toContain(`内容校验码：${contentHash}`);
    });
    expect(pages.join('')).not.toContain('草稿');

    const docx = await client.get(`/api/applications/${created.id}/docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const { xml } = await docxText(docx.raw);
    expect(xml.replace(/<[^>]+>/g, '')).toContain(f.application.projectName!);
  });

  it('a draft prints 未提交 and 草稿', async () => {
    const f = fixture('awards');
    const client = new TestClient(t.app);
    await registerFixtureOrg(client, f);
    const created = await createApplication(client, f.application);
    const r = await client.get(`/api/applications/${created.id}/pdf`);
    expect(r.status).toBe(200);
    const pages = await pdfPages(r.raw);
    for (const p of pages) {
      const text = p.replace(/\s+/g, '');
      expect(text).toContain('申报编号：未提交');
      expect(text).toContain('草稿');
    }
    // HEAD does not typeset the whole document only to discard it: 405 (download-head.test.ts)
    for (const kind of ['pdf', 'docx']) {
      const head = await t.app.inject({ method: 'HEAD', url: `/api/applications/${created.id}/${kind}`, headers: { cookie: client.cookieHeader() } });
      expect(head.statusCode).toBe(405);
      expect(head.headers.allow).toBe('GET');
    }
  });

  it('a draft with a character no font has (U+E000): 400 naming the field and the code point', async () => {
    const f = fixture('evaluation-with-partner');
    f.application.budget!.items![0].basis = '按市场价\uE000测算';
    const client = new TestClient(t.app);
    await registerFixtureOrg(client, f);
    const created = await createApplication(client, f.application);
    const r = await client.get(`/api/applications/${created.id}/pdf`);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('missing_glyph');
    expect(r.body.message).toContain('budget.items[0].basis');
    expect(r.body.message).toContain('U+E000');
    expect(r.body.problems).toEqual([expect.objectContaining({ path: 'budget.items[0].basis', message: expect.stringContaining('U+E000') })]);
  });
});
