import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/server/app';
import { changeFeed, type PgChangeFeed } from '../../src/server/db/change-feed';
import { connect, type Db } from '../../src/server/db/connect';
import { SESSION_CHANGE_CHANNEL } from '../../src/server/db/migrations/20261130T000000-session-change-notify';
import { sessionCache } from '../../src/server/features/auth/session-cache';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, PASSWORD, registerOrg } from '../support/fixtures';
import { within } from '../support/wait';

/**
 * The cache of sessions (src/server/features/auth/session-cache.ts) on PostgreSQL, where the
 * database announces session changes: what is cached is used, and what ends a session ends
 * it on every instance, whoever ends it. On SQLite there is no cache, and a session deleted
 * in the database is refused at the next request.
 */

const loggedIn = async (c: TestClient) => (await c.get('/api/session')).body.user !== null;

/** A client of `app` holding the same cookies and CSRF token as `c` (the same browser, another instance). */
function sameBrowser(c: TestClient, app: FastifyInstance): TestClient {
  const other = new TestClient(app);
  other.cookies = new Map(c.cookies);
  other.csrf = c.csrf;
  return other;
}

describe.runIf(TEST_DB === 'sqlite')('sessions without a cache (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no cache, and a session deleted in the database is refused at once', async () => {
    expect(sessionCache(t.ctx.db)).toBeUndefined();
    const c = new TestClient(t.app);
    await registerOrg(c);
    expect(await loggedIn(c)).toBe(true);
    await t.ctx.db.deleteFrom('sessions').execute();
    expect(await loggedIn(c)).toBe(false);
  });
});

describe.runIf(TEST_DB === 'postgres')('the session cache (postgres)', () => {
  let t: TestApp;
  let second: Db;
  let b: FastifyInstance;
  beforeAll(async () => {
    t = await createTestApp();
    // a second instance on the same schema: its own pool, feed and cache
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s;
    second = connect({ databaseUrl: process.env.TEST_DATABASE_URL, pgSchema: schema, poolSize: 3 });
    b = await buildApp({ ...t.ctx, db: second.db, dialect: second.dialect });
  });
  afterAll(async () => {
    await b?.close();
    await second?.close();
    await t?.close();
  });

  /** The cache of `db` made (as the first request with a session cookie makes it) and listening. */
  const listening = (db: object) => {
    expect(sessionCache(db)).toBeDefined();
    return within(5000, () => changeFeed(db)!.listening(SESSION_CHANGE_CHANNEL));
  };

  it('serves a known session from the cache: with the announcement switched off, a deleted session still passes', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    expect(await listening(t.ctx.db)).toBe(true);
    expect(await loggedIn(c)).toBe(true);
    expect(sessionCache(t.ctx.db)!.size).toBeGreaterThan(0);
    await sql`alter table sessions disable trigger sessions_deleted`.execute(t.ctx.db);
    try {
      await t.ctx.db.deleteFrom('sessions').execute();
      await new Promise((r) => setTimeout(r, 300));
      // this is what the trigger exists for: without it the cache would keep the session
      expect(await loggedIn(c)).toBe(true);
    } finally {
      await sql`alter table sessions enable trigger sessions_deleted`.execute(t.ctx.db);
    }
    sessionCache(t.ctx.db)!.clear();
    expect(await loggedIn(c)).toBe(false);
  });

  it('a session deleted by SQL is refused within a second; a write with it is 401 (登录已过期)', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    expect(await listening(t.ctx.db)).toBe(true);
    expect(await loggedIn(c)).toBe(true);
    await t.ctx.db.deleteFrom('sessions').execute();
    expect(await within(1000, async () => !(await loggedIn(c)))).toBe(true);
    const r = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['awards'] } });
    expect(r.status).toBe(401);
    expect(r.body.message).toContain('登录已过期');
  });

  it('a logout on one instance ends the session on the other within a second', async () => {
    const a = new TestClient(t.app);
    await registerOrg(a);
    const onB = sameBrowser(a, b);
    expect(await listening(second.db)).toBe(true);
    expect(await loggedIn(onB)).toBe(true);
    expect(sessionCache(second.db)!.size).toBeGreaterThan(0);
    expect((await a.post('/api/auth/logout', {})).status).toBeLessThan(300);
    // on the instance that logged out, at once
    expect(await loggedIn(sameBrowser(a, t.app))).toBe(false);
    expect(await within(1000, async () => !(await loggedIn(onB)))).toBe(true);
  });

  it('a password change on one instance ends the user’s other sessions on the other', async () => {
    const first = new TestClient(t.app);
    const { email } = await registerOrg(first);
    const elsewhere = new TestClient(b);
    expect((await elsewhere.post('/api/auth/login', { login: email, password: PASSWORD })).status).toBe(200);
    expect(await listening(second.db)).toBe(true);
    expect(await loggedIn(elsewhere)).toBe(true);
    expect((await first.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a-new-password-1' })).status).toBe(204);
    expect(await within(1000, async () => !(await loggedIn(elsewhere)))).toBe(true);
    expect(await loggedIn(first)).toBe(true);
    expect(await loggedIn(sameBrowser(first, b))).toBe(true);
  });

  it('a user changed by SQL (moved out of its organisation, deleted) and a TRUNCATE reach the other instance within a second', async () => {
    // moved out of its organisation: it stops seeing the organisation's application there
    const a = new TestClient(t.app);
    const { user } = await registerOrg(a);
    const app = await createApplication(a, { subProgrammes: ['awards'] });
    const onB = sameBrowser(a, b);
    expect(await listening(second.db)).toBe(true);
    expect((await onB.get(`/api/applications/${app.id}`)).status).toBe(200);
    expect(sessionCache(second.db)!.size).toBeGreaterThan(0);
    await t.ctx.db.updateTable('users').set({ organisation_id: null }).where('id', '=', user.id).execute();
    expect(await within(1000, async () => (await onB.get(`/api/applications/${app.id}`)).status !== 200)).toBe(true);
    // deleted: its sessions go with it
    const d = new TestClient(t.app);
    const { user: deleted } = await registerOrg(d);
    const dOnB = sameBrowser(d, b);
    expect(await loggedIn(dOnB)).toBe(true);
    await t.ctx.db.deleteFrom('users').where('id', '=', deleted.id).execute();
    expect(await within(1000, async () => !(await loggedIn(dOnB)))).toBe(true);
    // every session at once
    const e = new TestClient(t.app);
    await registerOrg(e);
    const eOnB = sameBrowser(e, b);
    expect(await loggedIn(eOnB)).toBe(true);
    await sql`truncate sessions`.execute(t.ctx.db);
    expect(await within(1000, async () => !(await loggedIn(eOnB)))).toBe(true);
  });

  it('an expiry shortened by SQL is announced; sliding it later is not', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    expect(await listening(t.ctx.db)).toBe(true);
    const heard: string[] = [];
    const stop = changeFeed(t.ctx.db)!.subscribe(SESSION_CHANGE_CHANNEL, { change: (p) => heard.push(p), reset: () => {} });
    try {
      const id = (await t.ctx.db.selectFrom('sessions').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
      const later = new Date(Date.now() + 48 * 3_600_000).toISOString(); // after the 12 h it has
      await t.ctx.db.updateTable('sessions').set({ last_seen_at: new Date().toISOString(), expires_at: later }).where('id', '=', id).execute();
      // something announced after it, to know that an announcement of the first would have arrived by now
      await sql`select pg_notify(${SESSION_CHANGE_CHANNEL}, current_schema() || ' probe')`.execute(t.ctx.db);
      expect(await within(1000, async () => heard.includes('probe'))).toBe(true);
      expect(heard.filter((p) => p.startsWith('session '))).toEqual([]);
      expect(await loggedIn(c)).toBe(true);
      await t.ctx.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
      expect(await within(1000, async () => heard.includes(`session ${id}`))).toBe(true);
      expect(await loggedIn(c)).toBe(false);
    } finally {
      stop();
    }
  });

  it('an expiry shortened by SQL is not undone by a slide from the cache before the announcement arrives', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    expect(await listening(t.ctx.db)).toBe(true);
    expect(await loggedIn(c)).toBe(true);
    const id = (await t.ctx.db.selectFrom('sessions').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    // the announcement of the shortening is still on its way (switched off here to hold it)
    await sql`alter table sessions disable trigger sessions_changed`.execute(t.ctx.db);
    try {
      await t.ctx.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
      // two minutes since the session was last seen: this request slides its expiry
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 120_000);
      await loggedIn(c);
    } finally {
      vi.useRealTimers();
      await sql`alter table sessions enable trigger sessions_changed`.execute(t.ctx.db);
    }
    // the announcement arrives
    sessionCache(t.ctx.db)!.clear();
    expect(await loggedIn(c)).toBe(false);
  });

  it('while the listening connection is lost nothing is cached, and once it is back the cache starts empty', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c);
    const feed = changeFeed(t.ctx.db) as PgChangeFeed;
    expect(await listening(t.ctx.db)).toBe(true);
    expect(await loggedIn(c)).toBe(true);
    const pid = feed.backendPid();
    expect(pid).toBeGreaterThan(0);
    await sql`select pg_terminate_backend(${pid})`.execute(t.ctx.db);
    expect(await within(2000, async () => !feed.listening(SESSION_CHANGE_CHANNEL))).toBe(true);
    expect(sessionCache(t.ctx.db)!.size).toBe(0);
    // still answered, from the database; and an ending now is seen at once, announced or not
    expect(await loggedIn(c)).toBe(true);
    expect(sessionCache(t.ctx.db)!.size).toBe(0);
    await t.ctx.db.deleteFrom('sessions').execute();
    expect(await loggedIn(c)).toBe(false);
    // back within the retry wait (0.5 s, then 1 s …) on a new connection
    expect(await listening(t.ctx.db)).toBe(true);
    expect(feed.backendPid()).not.toBe(pid);
    const again = new TestClient(t.app);
    await registerOrg(again);
    expect(await loggedIn(again)).toBe(true);
    expect(sessionCache(t.ctx.db)!.size).toBeGreaterThan(0);
  });
});
