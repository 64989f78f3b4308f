import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PgChangeFeed, type Notify } from '../../src/server/db/change-feed';
import { TEST_DB } from '../support/app';
import { within } from '../support/wait';

/**
 * The change feed (src/server/db/change-feed.ts) counts a channel as listened to only while
 * its test notifications come back: a LISTEN that succeeds but never delivers (a pooler in
 * transaction mode) must not let a cache trust it, at start or later.
 */

const url = process.env.TEST_DATABASE_URL ?? '';

/** Test notifications sent from a pool of `poolUrl`, as connect.ts sends them from the server's pool. */
function notifyFrom(pool: pg.Pool): Notify {
  return (channel, payload) => pool.query('select pg_notify($1, $2)', [channel, payload]);
}

/** A client whose notifications stop arriving after the first `deliver` of them (like LISTEN through PgBouncer in transaction mode). */
class DeafClient extends pg.Client {
  constructor(private deliver: number) {
    super({ connectionString: url });
  }
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'notification' && this.deliver-- <= 0) return false;
    return super.emit(event, ...args);
  }
}

/**
 * A client that, like one connected through PgBouncer in transaction mode, hears a notification
 * only while a query of its own is in flight: its own NOTIFY, which PostgreSQL sends back before
 * the query's ReadyForQuery, and so PgBouncer passes on; never one another connection sends
 * while it is idle (its server connection is back in PgBouncer's pool then).
 */
class OwnNotificationsOnlyClient extends pg.Client {
  private inFlight = 0;
  constructor() {
    super({ connectionString: url });
  }
  override query(...args: unknown[]): any {
    this.inFlight++;
    const r = (pg.Client.prototype.query as (...a: unknown[]) => any).apply(this, args);
    const done = () => {
      this.inFlight--;
    };
    if (r && typeof r.then === 'function') r.then(done, done);
    else done();
    return r;
  }
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'notification' && this.inFlight === 0) return false;
    return super.emit(event, ...args);
  }
}

/**
 * Watches a feed while polled: `warned()` says whether it has written a warning yet, and
 * notes whether the test channel ever counted as listened to meanwhile (`everListening()`).
 */
function watcher(f: PgChangeFeed, warnings: string[]) {
  let ever = false;
  return {
    warned: () => {
      ever ||= f.listening('shenbao_feed_test');
      return warnings.length > 0;
    },
    everListening: () => ever,
  };
}

describe.runIf(TEST_DB === 'postgres')('change feed test notifications (postgres)', () => {
  const feeds: PgChangeFeed[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  afterEach(async () => {
    for (const f of feeds.splice(0)) await f.close();
  });
  afterAll(async () => {
    await pool.end();
  });
  const feed = (deliver: number, warnings: string[]) => {
    const f = new PgChangeFeed(() => new DeafClient(deliver), notifyFrom(pool), (m) => warnings.push(m), { probeTimeoutMs: 300, heartbeatMs: 400 });
    feeds.push(f);
    return f;
  };

  it('a channel whose LISTEN never delivers is never counted as listened to, and stderr says why', async () => {
    const warnings: string[] = [];
    const f = feed(0, warnings);
    f.subscribe('shenbao_feed_test', { change: () => {}, reset: () => {} });
    const w = watcher(f, warnings);
    expect(await within(2000, w.warned)).toBe(true);
    expect(w.everListening()).toBe(false);
    expect(warnings[0]).toContain('测试通知');
    expect(warnings[0]).toContain('PgBouncer');
    expect(f.listening('shenbao_feed_test')).toBe(false);
    // it keeps trying, and stays deaf
    expect(await within(1200, () => (w.warned(), false))).toBe(false);
    expect(w.everListening()).toBe(false);
    expect(warnings).toHaveLength(1);
  });

  it('a working connection is listened to once its test notification is back; when they stop coming back it is not', async () => {
    const warnings: string[] = [];
    const f = feed(1, warnings);
    const changes: string[] = [];
    let resets = 0;
    f.subscribe('shenbao_feed_test', { change: (p) => changes.push(p), reset: () => resets++ });
    expect(await within(2000, () => f.listening('shenbao_feed_test'))).toBe(true);
    expect(resets).toBeGreaterThan(0);
    // the test notification itself is not passed on
    expect(changes).toEqual([]);
    // the heartbeat's probe is swallowed: within heartbeat + timeout it stops counting
    expect(await within(2000, () => !f.listening('shenbao_feed_test'))).toBe(true);
    expect(warnings[0]).toContain('中断');
  });

  it('a connection that hears only its own notifications (LISTEN through PgBouncer in transaction mode) is never counted as listened to', async () => {
    const warnings: string[] = [];
    const f = new PgChangeFeed(() => new OwnNotificationsOnlyClient(), notifyFrom(pool), (m) => warnings.push(m), { probeTimeoutMs: 300, heartbeatMs: 400 });
    feeds.push(f);
    f.subscribe('shenbao_feed_test', { change: () => {}, reset: () => {} });
    const w = watcher(f, warnings);
    expect(await within(2000, w.warned)).toBe(true);
    expect(w.everListening()).toBe(false);
    expect(warnings[0]).toContain('PgBouncer');
  });

  it('passes on what its schema announces, and not what another schema does (one whose name begins with this one’s too)', async () => {
    const warnings: string[] = [];
    const f = feed(1000, warnings);
    const changes: string[] = [];
    f.subscribe('shenbao_feed_test', { change: (p) => changes.push(p), reset: () => {} });
    expect(await within(2000, () => f.listening('shenbao_feed_test'))).toBe(true);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`select pg_notify('shenbao_feed_test', 'another_schema session x')`);
      // a schema whose name begins with this one's
      await c.query(`select pg_notify('shenbao_feed_test', current_schema() || '_2 session x2')`);
      await c.query(`select pg_notify('shenbao_feed_test', current_schema() || 'session x3')`);
      await c.query(`select pg_notify('shenbao_feed_test', current_schema() || ' session y')`);
    } finally {
      await c.end();
    }
    expect(await within(1000, () => changes.length > 0)).toBe(true);
    expect(changes).toEqual(['session y']);
    expect(warnings).toEqual([]);
  });
});

const bouncer = process.env.TEST_PGBOUNCER_URL ?? '';

/**
 * The same through a real PgBouncer in transaction mode, where there is one
 * (TEST_PGBOUNCER_URL=postgres://…:6432/…, `pool_mode = transaction`,
 * `ignore_startup_parameters = options`): the server's pool and its listening connection both
 * go through it, as when DATABASE_URL names it.
 */
describe.runIf(bouncer)('change feed through PgBouncer in transaction mode (TEST_PGBOUNCER_URL)', () => {
  it('is never counted as listened to, and indeed does not hear another connection', async () => {
    const pool = new pg.Pool({ connectionString: bouncer, max: 3 });
    const warnings: string[] = [];
    const changes: string[] = [];
    const f = new PgChangeFeed(() => new pg.Client({ connectionString: bouncer }), notifyFrom(pool), (m) => warnings.push(m), { probeTimeoutMs: 500, heartbeatMs: 700 });
    try {
      f.subscribe('shenbao_feed_test', { change: (p) => changes.push(p), reset: () => {} });
      let ever = false;
      for (let i = 0; i < 15; i++) {
        await new Promise((r) => setTimeout(r, 200));
        ever ||= f.listening('shenbao_feed_test');
        await pool.query(`select pg_notify('shenbao_feed_test', current_schema() || ' session n${i}')`);
      }
      expect(ever).toBe(false);
      expect(warnings[0]).toContain('PgBouncer');
      expect(changes).toEqual([]);
    } finally {
      await f.close();
      await pool.end();
    }
  });
});
