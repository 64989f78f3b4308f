import { describe, expect, it } from 'vitest';
import type { ChangeFeed, ChangeListener } from '../../db/change-feed';
import { SESSION_CHANGE_CHANNEL } from '../../db/migrations/20261130T000000-session-change-notify';
import type { SessionRow } from './auth.repository';
import { SessionCache } from './session-cache';

/** A change feed driven by the test: announcements, losses and recoveries by hand. */
class FakeFeed implements ChangeFeed {
  listener: ChangeListener | null = null;
  up = true;
  subscribe(channel: string, l: ChangeListener) {
    expect(channel).toBe(SESSION_CHANGE_CHANNEL);
    this.listener = l;
    return () => {};
  }
  listening() {
    return this.up;
  }
  async close() {}
  announce(payload: string) {
    this.listener!.change(payload);
  }
  lose() {
    this.up = false;
    this.listener!.reset();
  }
  recover() {
    this.up = true;
    this.listener!.reset();
  }
}

const NOW = Date.parse('2026-11-30T08:00:00Z');
const row = (userId: string, expiresInMs = 3_600_000): SessionRow => ({
  sessionId: 'h-' + userId,
  csrfToken: 'csrf',
  lastSeenAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + expiresInMs).toISOString(),
  userId,
  role: 'applicant',
  organisationId: 'org-' + userId,
});

function filled() {
  const feed = new FakeFeed();
  const cache = new SessionCache(feed);
  cache.remember('a1', row('u1'), cache.mark());
  cache.remember('a2', row('u1'), cache.mark());
  cache.remember('b1', row('u2'), cache.mark());
  return { feed, cache };
}

describe('SessionCache', () => {
  it('gives back a remembered session until its expiry as read', () => {
    const { cache } = filled();
    expect(cache.get('a1', NOW)?.userId).toBe('u1');
    expect(cache.get('a1', NOW + 3_599_999)?.userId).toBe('u1');
    expect(cache.get('a1', NOW + 3_600_000)).toBeUndefined();
    // and it is gone, not just hidden: an earlier time does not bring it back
    expect(cache.get('a1', NOW)).toBeUndefined();
    expect(cache.get('unknown', NOW)).toBeUndefined();
  });

  it('forgets what the database announces: a session, all of a user’s, or everything', () => {
    const { feed, cache } = filled();
    feed.announce('session a1');
    expect(cache.get('a1', NOW)).toBeUndefined();
    expect(cache.get('a2', NOW)?.userId).toBe('u1');
    feed.announce('user u1');
    expect(cache.get('a2', NOW)).toBeUndefined();
    expect(cache.get('b1', NOW)?.userId).toBe('u2');
    feed.announce('all');
    expect(cache.size).toBe(0);
  });

  it('an unknown announcement forgets everything rather than nothing', () => {
    const { feed, cache } = filled();
    feed.announce('something-new x');
    expect(cache.size).toBe(0);
  });

  it('is not used while announcements may be missed, and starts empty when they are received again', () => {
    const { feed, cache } = filled();
    feed.lose();
    expect(cache.get('b1', NOW)).toBeUndefined();
    cache.remember('b1', row('u2'), cache.mark());
    expect(cache.size).toBe(0);
    feed.recover();
    expect(cache.get('b1', NOW)).toBeUndefined();
    cache.remember('b1', row('u2'), cache.mark());
    expect(cache.get('b1', NOW)?.userId).toBe('u2');
  });

  it('does not remember a session read before something was forgotten (the read may predate the change)', () => {
    const { feed, cache } = filled();
    for (const forget of [() => feed.announce('session zz'), () => cache.forget('zz'), () => cache.forgetUser('nobody'), () => feed.lose(), () => cache.clear()]) {
      feed.up = true;
      const mark = cache.mark();
      forget();
      feed.up = true;
      cache.remember('late', row('u3'), mark);
      expect(cache.get('late', NOW)).toBeUndefined();
    }
    const mark = cache.mark();
    cache.remember('late', row('u3'), mark);
    expect(cache.get('late', NOW)?.userId).toBe('u3');
  });

  it('forgets its own logouts and password changes at once', () => {
    const { cache } = filled();
    cache.forget('b1');
    expect(cache.get('b1', NOW)).toBeUndefined();
    cache.forgetUser('u1');
    expect(cache.get('a1', NOW)).toBeUndefined();
    expect(cache.get('a2', NOW)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
