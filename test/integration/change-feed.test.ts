import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgChangeFeed } from '../../src/server/db/change-feed';
import { TEST_DB } from '../support/app';
import { within } from '../support/wait';

/**
 * The change feed (src/server/db/change-feed.ts) counts a channel as listened to only while
 * its test notifications come back: a LISTEN that succeeds but never delivers (a pooler in
 * transaction mode) must not let a cache trust it, at start or later.
 */

const url = process.env.TEST_DATABASE_URL ?? '';

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

describe.runIf(TEST_DB === 'postgres')('change feed test notifications (postgres)', () => {
  const feeds: PgChangeFeed[] = [];
  afterEach(async () => {
    for (const f of feeds.splice(0)) await f.close();
  });
  const feed = (deliver: number, warnings: string[]) => {
    const f = new PgChangeFeed(() => new DeafClient(deliver), (m) => warnings.push(m), { probeTimeoutMs: 300, heartbeatMs: 400 });
    feeds.push(f);
    return f;
  };

  it('a channel whose LISTEN never delivers is never counted as listened to, and stderr says why', async () => {
    const warnings: string[] = [];
    const f = feed(0, warnings);
    f.subscribe('shenbao_feed_test', { change: () => {}, reset: () => {} });
    let ever = false;
    const watch = () => {
      ever ||= f.listening('shenbao_feed_test');
      return warnings.length > 0;
    };
    expect(await within(2000, watch)).toBe(true);
    expect(ever).toBe(false);
    expect(warnings[0]).toContain('测试通知');
    expect(warnings[0]).toContain('PgBouncer');
    expect(f.listening('shenbao_feed_test')).toBe(false);
    // it keeps trying, and stays deaf
    expect(await within(1200, () => (watch(), false))).toBe(false);
    expect(ever).toBe(false);
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

  it('passes on what its schema announces, and not what another schema does', async () => {
    const warnings: string[] = [];
    const f = feed(1000, warnings);
    const changes: string[] = [];
    f.subscribe('shenbao_feed_test', { change: (p) => changes.push(p), reset: () => {} });
    expect(await within(2000, () => f.listening('shenbao_feed_test'))).toBe(true);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`select pg_notify('shenbao_feed_test', 'another_schema session x')`);
      await c.query(`select pg_notify('shenbao_feed_test', current_schema() || ' session y')`);
    } finally {
      await c.end();
    }
    expect(await within(1000, () => changes.length > 0)).toBe(true);
    expect(changes).toEqual(['session y']);
    expect(warnings).toEqual([]);
  });
});
