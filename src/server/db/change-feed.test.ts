import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PgChangeFeed } from './change-feed';

/** A stand-in for pg.Client whose LISTEN answers when the test says so. */
class FakeClient extends EventEmitter {
  queries: string[] = [];
  ended = false;
  private answer: { resolve: () => void; reject: (e: Error) => void } | null = null;
  async connect() {}
  query(text: string): Promise<{ rows: { s: string }[] }> {
    this.queries.push(text);
    if (text.startsWith('select current_schema()')) return Promise.resolve({ rows: [{ s: 'app' }] });
    return new Promise((resolve, reject) => {
      this.answer = { resolve: () => resolve({ rows: [] }), reject };
    });
  }
  /** Answer the pending query (LISTEN). */
  settle(e?: Error) {
    const a = this.answer!;
    this.answer = null;
    if (e) a.reject(e);
    else a.resolve();
  }
  async end() {
    this.ended = true;
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('PgChangeFeed timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function feedOf(clients: FakeClient[]) {
    const feed = new PgChangeFeed(
      () => {
        const c = new FakeClient();
        clients.push(c);
        return c as unknown as pg.Client;
      },
      async () => {},
      () => {},
    );
    feed.subscribe('shenbao_test', { change: () => {}, reset: () => {} });
    return feed;
  }

  it('closed while its LISTEN is in flight, it leaves no timer behind', async () => {
    vi.useFakeTimers();
    const clients: FakeClient[] = [];
    const feed = feedOf(clients);
    await flush();
    expect(clients[0]!.queries).toContain('listen shenbao_test');
    await feed.close();
    clients[0]!.settle();
    await flush();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a connection lost during its LISTEN leaves no heartbeat behind: after the retry and close, no timer', async () => {
    vi.useFakeTimers();
    const clients: FakeClient[] = [];
    const feed = feedOf(clients);
    await flush();
    clients[0]!.settle(new Error('Connection terminated unexpectedly'));
    await flush();
    // only the retry is pending
    expect(vi.getTimerCount()).toBe(1);
    await feed.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
