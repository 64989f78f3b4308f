import { LRUCache } from 'lru-cache';
import { changeFeed, type ChangeFeed } from '../../db/change-feed';
import { SESSION_CHANGE_CHANNEL } from '../../db/migrations/20261130T000000-session-change-notify';
import type { SessionRow } from './auth.repository';

/**
 * At most this many sessions are remembered (about 300 bytes each): the deadline-day figure
 * of people editing at once is about 5,000 (issue 4), each autosaving every 10 s.
 */
export const SESSION_CACHE_ENTRIES = 20_000;

/**
 * The live sessions this process has read, by hashed token, so that an API request does not
 * read its session row again (on PostgreSQL that read was a second round trip beside the
 * save's one statement, and most of the gap between a save and the bench floor:
 * bench/RESULTS.md).
 *
 * Kept exact by the database itself: triggers announce every deletion or change of a
 * session, and every change of a user, whoever makes it (migration
 * 20261130T000000-session-change-notify), and this process forgets the session as soon as
 * the announcement arrives; its own logouts and password changes are forgotten at once. An
 * entry is used only while its expiry (as read) has not passed: a session whose expiry
 * another instance slid on is read again then. While the announcements are not being
 * received (the listening connection lost, not yet up, or its test notification not back:
 * change-feed.ts) nothing is remembered and every
 * request reads its session, as on SQLite (one server process per database file, no feed).
 *
 * What remains: a session ended on another instance, or by SQL, is still accepted here for
 * the moment PostgreSQL takes to deliver the announcement (milliseconds).
 */
export class SessionCache {
  private readonly entries = new LRUCache<string, SessionRow>({ max: SESSION_CACHE_ENTRIES });
  /** bumped by every forgetting: a read that started before one is not remembered */
  private generation = 0;

  constructor(private readonly feed: ChangeFeed) {
    feed.subscribe(SESSION_CHANGE_CHANNEL, { change: (p) => this.announced(p), reset: () => this.clear() });
  }

  /** The remembered session, if its expiry (as read) is after `nowMs` and changes are being received. */
  get(idHash: string, nowMs: number): SessionRow | undefined {
    if (!this.feed.listening(SESSION_CHANGE_CHANNEL)) return undefined;
    const s = this.entries.get(idHash);
    if (s && Date.parse(s.expiresAt) <= nowMs) {
      this.entries.delete(idHash);
      return undefined;
    }
    return s;
  }

  /** Take before reading a session row; pass to {@link remember}. */
  mark(): number {
    return this.generation;
  }

  /** Remember a session read after `mark`, unless something was forgotten since (the read may predate it). */
  remember(idHash: string, s: SessionRow, mark: number): void {
    if (mark === this.generation && this.feed.listening(SESSION_CHANGE_CHANNEL)) this.entries.set(idHash, s);
  }

  /** Forget one session (ended or changed). */
  forget(idHash: string): void {
    this.generation++;
    this.entries.delete(idHash);
  }

  /** Forget every session of a user (password, role or account changed). */
  forgetUser(userId: string): void {
    this.generation++;
    for (const [k, s] of this.entries.entries()) if (s.userId === userId) this.entries.delete(k);
  }

  /** Forget everything. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** How many sessions are remembered (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** `session <id hash>`, `user <user id>` or `all` (the trigger's payload, without the schema). */
  private announced(payload: string): void {
    const space = payload.indexOf(' ');
    const kind = space < 0 ? payload : payload.slice(0, space);
    const id = space < 0 ? '' : payload.slice(space + 1);
    if (kind === 'session') this.forget(id);
    else if (kind === 'user') this.forgetUser(id);
    else this.clear();
  }
}

const caches = new WeakMap<object, SessionCache>();

/** The session cache of a database handle: only where the database announces changes (PostgreSQL, connect.ts). */
export function sessionCache(db: object): SessionCache | undefined {
  let cache = caches.get(db);
  if (cache) return cache;
  const feed = changeFeed(db);
  if (!feed) return undefined;
  cache = new SessionCache(feed);
  caches.set(db, cache);
  return cache;
}
