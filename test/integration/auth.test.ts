import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchSession } from '../../src/server/features/auth/auth.repository';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { makeUscc, PASSWORD, registerOrg } from '../support/fixtures';
import { within } from '../support/wait';

const reg = (uscc: string, email: string, extra: Record<string, unknown> = {}) => ({
  organisation: { name: '中国测试学会', uscc, type: 'national-society' },
  admin: { name: '王五', email, mobile: '13900001111', password: PASSWORD },
  ...extra,
});

describe(`registration, login, sessions, CSRF (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('normalises the code and refuses a second registration for the same organisation', async () => {
    const uscc = makeUscc();
    const c = new TestClient(t.app);
    const r = await c.post('/api/auth/register', reg(`  ${uscc.toLowerCase()} `, 'first@example.cn'));
    expect(r.status).toBe(201);
    expect(r.body.user.organisation.uscc).toBe(uscc);
    const again = await new TestClient(t.app).post('/api/auth/register', reg(uscc, 'second@example.cn'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('organisation_exists');
    expect(again.body.message).toContain('每个申报单位只能注册一个管理员账号');
  });

  it('refuses invalid codes with the field named; a legacy code can register pending verification', async () => {
    const c = new TestClient(t.app);
    for (const bad of ['111111111111111111', '91350100M000100Y44', '91350100M0001I0Y43', '123']) {
      const r = await c.post('/api/auth/register', reg(bad, `x${bad}@example.cn`));
      expect(r.status, bad).toBe(400);
      expect(r.body.problems[0].path).toBe('organisation.uscc');
    }
    const pending = await c.post('/api/auth/register', reg('111111111111111111', 'legacy@example.cn', { pendingVerification: true }));
    expect(pending.status).toBe(201);
    expect(pending.body.user.organisation.verification).toBe('pending');
  });

  it('a pending organisation may draft but not submit until verified', async () => {
    const c = new TestClient(t.app);
    const r = await c.post('/api/auth/register', reg('222222222222222222', 'legacy2@example.cn', { pendingVerification: true }));
    expect(r.status).toBe(201);
    const { fixture } = await import('../support/fixtures');
    const app = (await c.post('/api/applications', { callCode: '2023-xhgf', data: fixture('awards').application })).body;
    const s = await c.post(`/api/applications/${app.id}/submit`);
    expect(s.status).toBe(409);
    expect(s.body.code).toBe('organisation_pending');
    const { verifyOrganisation } = await import('../../src/server/features/auth/auth.service');
    await verifyOrganisation(t.ctx, '222222222222222222');
    expect((await c.post(`/api/applications/${app.id}/submit`)).status).toBe(200);
  });

  it('validates the other registration fields with their paths', async () => {
    const r = await new TestClient(t.app).post('/api/auth/register', {
      organisation: { name: '', uscc: makeUscc(), type: 'national-society' },
      admin: { name: '', email: 'not-an-email', mobile: '123', password: 'short' },
    });
    expect(r.status).toBe(400);
    expect(r.body.problems.map((p: any) => p.path).sort()).toEqual(['admin.email', 'admin.mobile', 'admin.name', 'admin.password', 'organisation.name']);
    const badType = await new TestClient(t.app).post('/api/auth/register', reg(makeUscc(), 'tt@example.cn', { organisation: { name: 'x', uscc: makeUscc(), type: 'company' } }));
    expect(badType.status).toBe(400);
    expect(badType.body.problems[0].path).toBe('organisation.type');
    // names go into exports, file names and the printed copy: no line breaks, no invisible or direction characters
    for (const bad of ['中国\u202Efdp.exe学会', '中国学会\r\n伪造行', '中国\u200E学会', '中国\u061C学会', '中国\u0001学会', '中国\uFFFF学会']) {
      const r2 = await new TestClient(t.app).post('/api/auth/register', {
        organisation: { name: bad, uscc: makeUscc(), type: 'national-society' },
        admin: { name: `张三${bad.slice(2, 4)}`, email: `n${Math.random().toString(16).slice(2)}@example.cn`, mobile: '13800001234', password: 'long-enough-password' },
      });
      expect(r2.status, JSON.stringify(bad)).toBe(400);
      expect(r2.body.problems.map((p: any) => p.path)).toContain('organisation.name');
      expect(r2.body.problems.find((p: any) => p.path === 'organisation.name').message).toMatch(/第 \d+ 个字符 U\+[0-9A-F]{4}/);
    }
  });

  it('logs in by e-mail or by code with a new session id each time; logout ends the session', async () => {
    const c = new TestClient(t.app);
    const { uscc, email } = await registerOrg(c);
    const afterRegister = c.cookies.get('sb_sid');
    const byEmail = await c.post('/api/auth/login', { login: email.toUpperCase(), password: PASSWORD });
    expect(byEmail.status).toBe(200);
    const afterLogin = c.cookies.get('sb_sid');
    expect(afterLogin).toBeTruthy();
    expect(afterLogin).not.toBe(afterRegister);
    const byCode = await new TestClient(t.app).post('/api/auth/login', { login: uscc.toLowerCase(), password: PASSWORD });
    expect(byCode.status).toBe(200);
    const setCookie = String(byCode.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    // the old session token no longer works
    const old = new TestClient(t.app);
    old.cookies.set('sb_sid', afterRegister!);
    expect((await old.get('/api/session')).body.user).toBeNull();
    // logout
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    const s = await c.refreshSession();
    expect(s.user).toBeNull();
    const stale = new TestClient(t.app);
    stale.cookies.set('sb_sid', afterLogin!);
    expect((await stale.get('/api/session')).body.user).toBeNull();
  });

  it('wrong password and unknown login give the same 401', async () => {
    const c = new TestClient(t.app);
    const { email } = await registerOrg(c);
    const wrong = await new TestClient(t.app).post('/api/auth/login', { login: email, password: 'nope-nope-nope' });
    const unknown = await new TestClient(t.app).post('/api/auth/login', { login: 'nobody@example.cn', password: 'nope-nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('refuses state-changing requests without the CSRF token, or with another session’s', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const noToken = await c.request('POST', '/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.body.code).toBe('csrf');
    const other = new TestClient(t.app);
    await registerOrg(other);
    const wrong = await c.request('POST', '/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } }, { csrf: false, headers: { 'x-csrf-token': other.csrf! } });
    expect(wrong.status).toBe(403);
    expect((await c.get('/api/applications')).body).toHaveLength(0);
    const anonLogin = await new TestClient(t.app).request('POST', '/api/auth/login', { login: 'a@b.cn', password: 'x' }, { csrf: false });
    expect(anonLogin.status).toBe(403);
  });

  it('changes the password: the old one stops working and other sessions end', async () => {
    const c = new TestClient(t.app);
    const { email } = await registerOrg(c);
    const other = new TestClient(t.app);
    await other.post('/api/auth/login', { login: email, password: PASSWORD });
    const wrongCurrent = await c.post('/api/auth/password', { currentPassword: 'wrong-wrong', newPassword: 'a-new-password-1' });
    expect(wrongCurrent.status).toBe(403);
    const ok = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a-new-password-1' });
    expect(ok.status).toBe(204);
    expect((await other.get('/api/session')).body.user).toBeNull();
    expect((await c.get('/api/session')).body.user.email).toBe(email);
    expect((await new TestClient(t.app).post('/api/auth/login', { login: email, password: PASSWORD })).status).toBe(401);
    expect((await new TestClient(t.app).post('/api/auth/login', { login: email, password: 'a-new-password-1' })).status).toBe(200);
  });

  it('a write with a session that has ended answers 401 (log in again), not a CSRF refusal', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    await t.ctx.db.deleteFrom('sessions').execute();
    // PostgreSQL: the instance's cache of sessions hears of the deletion in its own time (session-cache.test.ts)
    expect(await within(1000, async () => (await c.get('/api/session')).body.user === null)).toBe(true);
    const r = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } });
    expect(r.status).toBe(401);
    expect(r.body.message).toContain('登录已过期');
    const read = await c.get('/api/applications');
    expect(read.status).toBe(401);
    expect(read.body.message).toContain('登录已过期');
  });

  it('sliding a session’s expiry never revives one that has expired (by time, or ended by SQL)', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const id = (await t.ctx.db.selectFrom('sessions').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    const past = new Date(Date.now() - 1000).toISOString();
    await t.ctx.db.updateTable('sessions').set({ expires_at: past }).where('id', '=', id).execute();
    // a request that found the session live a moment before (a read, or on PostgreSQL the
    // cache before the announcement arrives) then slides it: the slide must not bring it back
    const now = new Date();
    expect(await touchSession(t.ctx.db, id, now.toISOString(), new Date(now.getTime() + 3_600_000).toISOString())).toBe(false);
    expect((await t.ctx.db.selectFrom('sessions').select('expires_at').where('id', '=', id).executeTakeFirstOrThrow()).expires_at).toBe(past);
    expect(await within(1000, async () => (await c.get('/api/session')).body.user === null)).toBe(true);
  });

  it('sends security headers', async () => {
    const r = await new TestClient(t.app).get('/api/session');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe(`login rate limit (${TEST_DB})`, () => {
  it('answers 429 after too many attempts from one address', async () => {
    const t = await createTestApp({ config: { loginRateLimit: 5 } });
    try {
      const c = new TestClient(t.app);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await c.post('/api/auth/login', { login: 'x@example.cn', password: 'wrong-password' })).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429]);
    } finally {
      await t.close();
    }
  });
});
