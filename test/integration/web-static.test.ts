import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';

describe(`the server serves the built web app (${TEST_DB})`, () => {
  let t: TestApp;
  let webDir: string;
  beforeAll(async () => {
    webDir = mkdtempSync(path.join(tmpdir(), 'shenbao-web-'));
    mkdirSync(path.join(webDir, 'assets'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>申报</title>');
    writeFileSync(path.join(webDir, 'assets', 'app-1.js'), 'console.log(1)');
    t = await createTestApp({ config: { webDir } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers / and every page address with index.html, with security headers', async () => {
    const c = new TestClient(t.app);
    for (const url of ['/', '/dashboard', '/applications/0b7f8d4e-2b1a-4f57-9a53-1e0c1d2b3c4d', '/calls/2023-xhgf']) {
      const r = await c.get(url);
      expect(r.status, url).toBe(200);
      expect(String(r.headers['content-type'])).toContain('text/html');
      expect(r.raw.toString()).toContain('<title>申报</title>');
      expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it('HEAD on a page address answers as GET does (index.html’s status and headers), without the body', async () => {
    for (const url of ['/', '/dashboard', '/applications/0b7f8d4e-2b1a-4f57-9a53-1e0c1d2b3c4d']) {
      const get = await t.app.inject({ method: 'GET', url });
      const head = await t.app.inject({ method: 'HEAD', url });
      expect(head.statusCode, url).toBe(200);
      for (const name of ['content-type', 'content-length', 'cache-control', 'content-security-policy']) expect(head.headers[name], `${url} ${name}`).toBe(get.headers[name]);
      expect(head.rawPayload.length, url).toBe(0);
    }
    // and a missing asset or API address stays a 404 for HEAD too
    for (const url of ['/assets/missing.js', '/api/nope']) expect((await t.app.inject({ method: 'HEAD', url })).statusCode, url).toBe(404);
  });

  it('serves page addresses without a MaxListenersExceededWarning (too many close listeners on one response)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const c = new TestClient(t.app);
      for (let i = 0; i < 20; i++) expect((await c.get(`/applications/${i}`)).status).toBe(200);
      // warnings are emitted on a later tick
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('serves assets, including ones built after the server started, and 404s a missing asset or API route', async () => {
    const c = new TestClient(t.app);
    const a = await c.get('/assets/app-1.js');
    expect(a.status).toBe(200);
    expect(String(a.headers['content-type'])).toContain('javascript');
    writeFileSync(path.join(webDir, 'assets', 'app-2.js'), 'console.log(2)');
    expect((await c.get('/assets/app-2.js')).status).toBe(200);
    expect((await c.get('/assets/missing.js')).status).toBe(404);
    const api = await c.get('/api/nope');
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('not_found');
  });

  it('an /api address with an over-long parameter is a JSON 4xx, never a static file lookup', async () => {
    const r = await new TestClient(t.app).get('/api/calls/' + 'x'.repeat(5000));
    expect([404, 414]).toContain(r.status);
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('has no route that writes outside /api', async () => {
    const c = new TestClient(t.app);
    const r = await c.request('POST', '/index.html', {});
    expect(r.status).toBe(404);
  });
});
