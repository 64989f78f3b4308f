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

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A {@link ChangeFeed} on a PostgreSQL connection made by `newClient` (same server, user and
 * search_path as the pool). Starts at the first subscription. When the connection fails it
 * resets every subscriber, says so once on stderr, and tries again after 0.5 s, 1 s, 2 s …
 * up to 10 s; once it listens again it resets every subscriber once more and says so.
 */
export class PgChangeFeed implements ChangeFeed {
  private readonly subscribers = new Map<string, Set<ChangeListener>>();
  private readonly live = new Set<string>();
  /** the connection being made or in use; null between attempts */
  private conn: pg.Client | null = null;
  private connected = false;
  private schema = '';
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private waitMs = RETRY_MIN_MS;
  private lostSince: number | null = null;

  constructor(
    private readonly newClient: () => pg.Client,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
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
      if (this.conn !== c) return;
      this.waitMs = RETRY_MIN_MS;
      if (this.lostSince !== null) this.warn(`数据库变更通知已恢复（中断约 ${Math.round((Date.now() - this.lostSince) / 1000)} 秒）`);
      this.lostSince = null;
    } catch (e) {
      this.lost(c, e as Error);
    }
  }

  private async listenOn(c: pg.Client, channel: string): Promise<void> {
    try {
      await c.query(`listen ${channel}`);
    } catch (e) {
      this.lost(c, e as Error);
      return;
    }
    if (this.conn !== c || this.live.has(channel)) return;
    this.live.add(channel);
    for (const l of this.subscribers.get(channel) ?? []) l.reset();
  }

  private deliver(c: pg.Client, n: pg.Notification): void {
    const subs = this.subscribers.get(n.channel);
    const p = n.payload ?? '';
    if (this.conn !== c || !subs || !this.live.has(n.channel) || !p.startsWith(this.schema + ' ')) return;
    const rest = p.slice(this.schema.length + 1);
    for (const l of subs) l.change(rest);
  }

  private lost(c: pg.Client, e?: Error): void {
    if (this.conn !== c) return;
    const wasUp = this.connected;
    this.conn = null;
    this.connected = false;
    this.live.clear();
    for (const set of this.subscribers.values()) for (const l of set) l.reset();
    c.end().catch(() => {});
    if (this.closed) return;
    if (this.lostSince === null) {
      this.lostSince = Date.now();
      this.warn(`数据库变更通知${wasUp ? '连接中断' : '无法连接'}（${e?.message ?? '连接已关闭'}）：在恢复之前，会话每次都从数据库读取；${this.waitMs / 1000} 秒后重试`);
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
