import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../support/app';
import { TestClient } from '../../support/client';
import { PASSWORD, registerOrg } from '../../support/fixtures';

/**
 * Sessions and CSRF beyond test/integration/auth.test.ts (which covers a new session id at
 * each login, the old token ending, a missing or another session's CSRF token, HttpOnly and
 * SameSite on the login cookie, and the login rate limit).
 */

const setCookies = (h: unknown): string[] => (Array.isArray(h) ? h : h ? [String(h)] : []);
const cookieNamed = (h: unknown, name: string) => setCookies(h).find((c) => c.startsWith(`${name}=`));

describe(`sessions and CSRF (${TEST_DB})`, () => {
  let t: TestApp;
  let owner: TestClient;
  let email: string;
  let sid: string;

  beforeAll(async () => {
    t = await createTestApp();
    owner = new TestClient(t.app);
    email = (await registerOrg(owner)).email;
    sid = owner.cookies.get('sb_sid')!;
    expect(sid).toBeTruthy();
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } };
  const count = async () => (await owner.get('/api/applications')).body.length as number;

  it('a session cookie copied into another request is refused without its own CSRF token', async () => {
    const before = await count();
    // the attacker's page holds the victim's cookie (sent by the browser) but only tokens it can get itself
    const attacker = new TestClient(t.app);
    const attackerToken = (await attacker.refreshSession()).csrfToken as string;
    const tries: { label: string; headers: Record<string, string> }[] = [
      { label: 'the attacker’s own anonymous token', headers: { cookie: `sb_sid=${sid}`, 'x-csrf-token': attackerToken } },
      // double submit with a cookie the attacker chose: a session's token is the session's, not the cookie's
      { label: 'a planted sb_csrf cookie and the same header', headers: { cookie: `sb_sid=${sid}; sb_csrf=planted-token`, 'x-csrf-token': 'planted-token' } },
      { label: 'an empty token', headers: { cookie: `sb_sid=${sid}`, 'x-csrf-token': '' } },
      { label: 'the session id as token', headers: { cookie: `sb_sid=${sid}`, 'x-csrf-token': sid } },
      { label: 'the real token with one character changed', headers: { cookie: `sb_sid=${sid}`, 'x-csrf-token': owner.csrf!.slice(0, -1) + (owner.csrf!.endsWith('A') ? 'B' : 'A') } },
      { label: 'the real token with a suffix', headers: { cookie: `sb_sid=${sid}`, 'x-csrf-token': owner.csrf! + 'x' } },
    ];
    for (const { label, headers } of tries) {
      const r = await t.app.inject({ method: 'POST', url: '/api/applications', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(create) });
      expect(r.statusCode, label).toBe(403);
      expect(r.json().code, label).toBe('csrf');
    }
    // the token in a query string or body does not count either: only the header
    const inQuery = await t.app.inject({ method: 'POST', url: `/api/applications?x-csrf-token=${owner.csrf}`, headers: { cookie: `sb_sid=${sid}`, 'content-type': 'application/json' }, payload: JSON.stringify(create) });
    expect(inQuery.statusCode).toBe(403);
    const inForm = await t.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie: `sb_sid=${sid}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `x-csrf-token=${owner.csrf}&callCode=2023-xhgf`,
    });
    expect(inForm.statusCode).toBe(403);
    // the same request with the session's token goes through: the refusals were about the token
    const ok = await t.app.inject({ method: 'POST', url: '/api/applications', headers: { cookie: `sb_sid=${sid}`, 'x-csrf-token': owner.csrf!, 'content-type': 'application/json' }, payload: JSON.stringify(create) });
    expect(ok.statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('logout needs the CSRF token too: a cross-site POST cannot end the session', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `sb_sid=${sid}` } });
    expect(r.statusCode).toBe(403);
    expect((await owner.get('/api/session')).body.user?.email).toBe(email);
  });

  it('a request another site sent the browser on (Sec-Fetch-Site: cross-site) is refused, even a GET with the session', async () => {
    for (const url of ['/api/applications', '/api/calls/2023-xhgf/exports/documents.zip', '/api/session']) {
      const r = await t.app.inject({ method: 'GET', url, headers: { cookie: `sb_sid=${sid}`, 'sec-fetch-site': 'cross-site' } });
      expect(r.statusCode, url).toBe(403);
      expect(r.json().message).toContain('其他网站');
    }
    // the site's own pages (same-origin) and requests without the header are served
    for (const site of ['same-origin', 'none', undefined]) {
      const r = await t.app.inject({ method: 'GET', url: '/api/applications', headers: { cookie: `sb_sid=${sid}`, ...(site ? { 'sec-fetch-site': site } : {}) } });
      expect(r.statusCode, String(site)).toBe(200);
    }
  });

  it('login ignores a planted session id and gives a new CSRF token; the pre-login token stops working', async () => {
    const victim = new TestClient(t.app);
    victim.cookies.set('sb_sid', 'planted-by-attacker-0123456789');
    const anonToken = (await victim.refreshSession()).csrfToken as string;
    const r = await victim.post('/api/auth/login', { login: email, password: PASSWORD });
    expect(r.status).toBe(200);
    const newSid = victim.cookies.get('sb_sid')!;
    expect(newSid).not.toBe('planted-by-attacker-0123456789');
    expect(newSid).not.toBe(sid);
    expect(newSid.length).toBeGreaterThanOrEqual(40);
    expect(r.body.csrfToken).not.toBe(anonToken);
    // a planted id gives no session
    const planted = new TestClient(t.app);
    planted.cookies.set('sb_sid', 'planted-by-attacker-0123456789');
    expect((await planted.get('/api/session')).body.user).toBeNull();
    // the token the visitor had before logging in is not the session's
    const stale = await victim.request('POST', '/api/applications', create, { csrf: false, headers: { 'x-csrf-token': anonToken } });
    expect(stale.status).toBe(403);
    // logging in again in the same browser replaces that session
    expect((await victim.post('/api/auth/login', { login: email, password: PASSWORD })).status).toBe(200);
    const replaced = new TestClient(t.app);
    replaced.cookies.set('sb_sid', newSid);
    expect((await replaced.get('/api/session')).body.user).toBeNull();
  });

  it('every cookie the server sets is HttpOnly, SameSite=Lax and for the whole site', async () => {
    const c = new TestClient(t.app);
    const anon = await t.app.inject({ method: 'GET', url: '/api/session' });
    const csrfCookie = cookieNamed(anon.headers['set-cookie'], 'sb_csrf');
    expect(csrfCookie).toBeTruthy();
    const reg = await registerOrg(c);
    const login = await new TestClient(t.app).post('/api/auth/login', { login: reg.email, password: PASSWORD });
    const logout = await c.post('/api/auth/logout');
    expect(logout.status).toBe(204);
    const all = [csrfCookie!, ...setCookies(login.headers['set-cookie']), ...setCookies(logout.headers['set-cookie'])];
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const cookie of all) {
      expect(cookie, cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie, cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie, cookie).toMatch(/;\s*Path=\//i);
      expect(cookie, cookie).not.toMatch(/;\s*Domain=/i);
    }
  });

  it('an overlong or malformed session cookie is an anonymous visitor, not an error', async () => {
    for (const value of ['x'.repeat(5000), '%00', '"', 'a;b', '../../etc/passwd']) {
      const r = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `sb_sid=${value}` } });
      expect(r.statusCode, value).toBe(200);
      expect(r.json().user, value).toBeNull();
      const w = await t.app.inject({ method: 'GET', url: '/api/applications', headers: { cookie: `sb_sid=${value}` } });
      expect(w.statusCode, value).toBe(401);
    }
  });
});

// its own app, after the first one is closed: one test schema at a time on PostgreSQL
describe(`secure cookies (${TEST_DB})`, () => {
  it('with secure cookies configured (behind HTTPS), the cookies are Secure', async () => {
    const s = await createTestApp({ config: { secureCookies: true } });
    try {
      const c = new TestClient(s.app);
      const anon = await s.app.inject({ method: 'GET', url: '/api/session' });
      expect(cookieNamed(anon.headers['set-cookie'], 'sb_csrf')).toMatch(/;\s*Secure/i);
      const reg = await registerOrg(c);
      const login = await new TestClient(s.app).post('/api/auth/login', { login: reg.email, password: PASSWORD });
      expect(cookieNamed(login.headers['set-cookie'], 'sb_sid')).toMatch(/;\s*Secure/i);
    } finally {
      await s.close();
    }
  });
});
