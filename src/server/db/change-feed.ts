import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/** What a subscriber of a {@link ChangeFeed} channel is told. */
export interface ChangeListener {
  /** A notification of this connection's schema, without the `<schema> ` prefix. */
  change(payload: string): void;
  /**
   * Notifications may have been missed: the connection was lost, or it listens again after
   * a loss or at start. Whatever was derived from earlier changes must be forgotten.
   */
  reset(): void;
}

/**
 * Changes announced by the database (PostgreSQL LISTEN/NOTIFY) to this process, on a
 * connection of their own. A payload is `<schema> <rest>` (the triggers name their table's
 * schema, since several schemas may share one database); only this connection's schema's
 * reach the subscribers.
 */
export interface ChangeFeed {
  /** Listen on `channel` (a lower-case SQL identifier); returns the unsubscribe function. */
  subscribe(channel: string, listener: ChangeListener): () => void;
  /** True while the connection is up and listening on `channel`: nothing announced there is being missed. */
  listening(channel: string): boolean;
  /** Stop listening and close the connection (no reconnection). */
  close(): Promise<void>;
}

/** First wait before listening again after a loss; it doubles up to {@link RETRY_MAX_MS}. */
export const RETRY_MIN_MS = 500;
/** Longest wait between attempts to listen again. */
export const RETRY_MAX_MS = 10_000;
/** A channel counts as listened to only once a test notification sent on it has come back, within this time. */
export const PROBE_TIMEOUT_MS = 5_000;
/** While listening, a test notification is sent on every channel this often. */
export const HEARTBEAT_MS = 10_000;

/** Payloads `<schema> feed-probe <nonce>` are the feed's own test notifications, never passed on. */
const PROBE = 'feed-probe ';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Timings of a {@link PgChangeFeed} (tests shorten them). */
export interface ChangeFeedTimings {
  probeTimeoutMs: number;
  heartbeatMs: number;
}

/** Sends `NOTIFY channel, payload` on a connection other than the listening one (connect.ts: the pool). */
export type Notify = (channel: string, payload: string) => Promise<unknown>;

/**
 * A {@link ChangeFeed} on a PostgreSQL connection made by `newClient` (same server, user and
 * search_path as the pool). Starts at the first subscription.
 *
 * A channel counts as listened to only once a test notification has come back that was sent
 * by `notify`, from another connection: LISTEN through a pooler in transaction mode
 * (PgBouncer) succeeds but does not deliver what other connections announce, and a cache
 * relying on it would keep ended sessions. The test notification must not be sent on the
 * listening connection itself: PostgreSQL answers a connection's own NOTIFY before the end of
 * its own statement, which PgBouncer passes on, so that test came back through PgBouncer in
 * transaction mode (checked with PgBouncer 1.18: listened to, by that test, while not one of
 * twenty notifications from another connection arrived; change-feed.test.ts). The nonce is
 * random, so that only this feed's own test notification counts. The test is repeated every
 * 10 s, so a connection that died silently is noticed within 15 s.
 *
 * When the connection fails, or a test notification does not come back within 5 s, it
 * resets every subscriber, says so once on stderr, and tries again after 0.5 s, 1 s, 2 s …
 * up to 10 s; once a channel is listened to again its subscribers are reset once more, and
 * stderr says the feed is back.
 */
export class PgChangeFeed implements ChangeFeed {
  private readonly subscribers = new Map<string, Set<ChangeListener>>();
  private readonly live = new Set<string>();
  /** test notifications sent and not yet back, by nonce */
  private readonly probes = new Map<string, { channel: string; timer: NodeJS.Timeout }>();
  /** the connection being made or in use; null between attempts */
  private conn: pg.Client | null = null;
  private connected = false;
  private schema = '';
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private waitMs = RETRY_MIN_MS;
  private lostSince: number | null = null;
  private probeSerial = 0;

  constructor(
    private readonly newClient: () => pg.Client,
    private readonly notify: Notify,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
    private readonly timings: ChangeFeedTimings = { probeTimeoutMs: PROBE_TIMEOUT_MS, heartbeatMs: HEARTBEAT_MS },
  ) {}

  subscribe(channel: string, listener: ChangeListener): () => void {
    if (!IDENTIFIER.test(channel)) throw new Error(`change feed: channel must be a lower-case identifier, not ${JSON.stringify(channel)}`);
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
      if (this.conn && this.connected) void this.listenOn(this.conn, channel);
    }
    set.add(listener);
    if (!this.conn && !this.retry) void this.start();
    return () => set.delete(listener);
  }

  listening(channel: string): boolean {
    return this.live.has(channel);
  }

  /** The PostgreSQL backend process of the listening connection, while there is one (diagnostics, tests). */
  backendPid(): number | undefined {
    return this.connected ? (this.conn as unknown as { processID?: number } | null)?.processID : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const c = this.conn;
    this.stopTimers();
    this.conn = null;
    this.live.clear();
    if (c) await c.end().catch(() => {});
  }

  private async start(): Promise<void> {
    if (this.closed || this.conn) return;
    const c = this.newClient();
    this.conn = c;
    this.connected = false;
    // a failing connection emits 'error' (and 'end'); an unhandled one would end the process
    c.on('error', (e) => this.lost(c, e));
    c.on('end', () => this.lost(c));
    c.on('notification', (n) => this.deliver(c, n));
    try {
      await c.connect();
      const schema = (await c.query<{ s: string }>('select current_schema() as s')).rows[0]?.s ?? 'public';
      if (this.conn !== c) return;
      this.schema = schema;
      this.connected = true;
      for (const channel of this.subscribers.keys()) await this.listenOn(c, channel);
      // lost or closed while listening: no heartbeat for a connection that is gone (it was
      // left running, out of reach of stopTimers and close, one more at every such loss)
      if (this.conn !== c) return;
      this.heartbeat = setInterval(() => {
        for (const channel of this.live) void this.probe(c, channel);
      }, this.timings.heartbeatMs);
      this.heartbeat.unref();
    } catch (e) {
      this.lost(c, e as Error);
    }
  }

  /** LISTEN, then a test notification from another connection; the channel is live when it comes back. */
  private async listenOn(c: pg.Client, channel: string): Promise<void> {
    try {
      await c.query(`listen ${channel}`);
    } catch (e) {
      this.lost(c, e as Error);
      return;
    }
    await this.probe(c, channel);
  }

  private async probe(c: pg.Client, channel: string): Promise<void> {
    if (this.conn !== c) return;
    const nonce = `${process.pid}-${++this.probeSerial}-${randomBytes(6).toString('hex')}`;
    const timer = setTimeout(() => {
      this.probes.delete(nonce);
      this.lost(c, new Error(`发出的测试通知 ${this.timings.probeTimeoutMs / 1000} 秒内没有收到（LISTEN 需要直连或会话模式的连接池，PgBouncer 的事务模式不行）`));
    }, this.timings.probeTimeoutMs);
    timer.unref();
    this.probes.set(nonce, { channel, timer });
    try {
      await this.notify(channel, `${this.schema} ${PROBE}${nonce}`);
    } catch (e) {
      this.lost(c, e as Error);
    }
  }

  private deliver(c: pg.Client, n: pg.Notification): void {
    const p = n.payload ?? '';
    if (this.conn !== c || !p.startsWith(this.schema + ' ')) return;
    const rest = p.slice(this.schema.length + 1);
    if (rest.startsWith(PROBE)) {
      const probe = this.probes.get(rest.slice(PROBE.length));
      if (!probe) return;
      clearTimeout(probe.timer);
      this.probes.delete(rest.slice(PROBE.length));
      if (this.live.has(probe.channel)) return;
      this.live.add(probe.channel);
      for (const l of this.subscribers.get(probe.channel) ?? []) l.reset();
      this.waitMs = RETRY_MIN_MS;
      if (this.lostSince !== null) this.warn(`数据库变更通知已恢复（中断约 ${Math.round((Date.now() - this.lostSince) / 1000)} 秒）`);
      this.lostSince = null;
      return;
    }
    if (!this.live.has(n.channel)) return;
    for (const l of this.subscribers.get(n.channel) ?? []) l.change(rest);
  }

  private stopTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const p of this.probes.values()) clearTimeout(p.timer);
    this.probes.clear();
  }

  private lost(c: pg.Client, e?: Error): void {
    if (this.conn !== c) return;
    const wasUp = this.live.size > 0;
    this.conn = null;
    this.connected = false;
    this.stopTimers();
    this.live.clear();
    for (const set of this.subscribers.values()) for (const l of set) l.reset();
    c.end().catch(() => {});
    if (this.closed) return;
    if (this.lostSince === null) {
      this.lostSince = Date.now();
      this.warn(`数据库变更通知${wasUp ? '中断' : '无法接收'}（${e?.message ?? '连接已关闭'}）：在恢复之前，会话每次都从数据库读取；${this.waitMs / 1000} 秒后重试`);
    }
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, this.waitMs);
    this.retry.unref();
    this.waitMs = Math.min(this.waitMs * 2, RETRY_MAX_MS);
  }
}

const feeds = new WeakMap<object, ChangeFeed>();

/** Attach a change feed to a database handle (connect.ts does, on PostgreSQL). */
export function attachChangeFeed(db: object, feed: ChangeFeed): void {
  feeds.set(db, feed);
}

/** The change feed of a database handle: none on SQLite, or for a handle not made by connect(). */
export function changeFeed(db: object): ChangeFeed | undefined {
  return feeds.get(db);
}
