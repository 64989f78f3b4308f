import type { Dialect, Executor } from '../../db/connect';
import { prepared } from '../../db/prepared';
import type { Organisation, Session, User } from '../../db/database';

/** Organisation by normalised 统一社会信用代码. */
export function findOrganisationByUscc(ex: Executor, uscc: string): Promise<Organisation | undefined> {
  return ex.selectFrom('organisations').selectAll().where('uscc', '=', uscc).executeTakeFirst();
}

export function findOrganisationById(ex: Executor, id: string): Promise<Organisation | undefined> {
  return ex.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertOrganisation(ex: Executor, o: Organisation): Promise<void> {
  await ex.insertInto('organisations').values(o).execute();
}

export async function setOrganisationVerification(ex: Executor, id: string, verification: string): Promise<void> {
  await ex.updateTable('organisations').set({ verification }).where('id', '=', id).execute();
}

export function findUserByEmail(ex: Executor, email: string): Promise<User | undefined> {
  return ex.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserById(ex: Executor, id: string): Promise<User | undefined> {
  return ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The administrator of the organisation with this code. */
export function findUserByUscc(ex: Executor, uscc: string): Promise<User | undefined> {
  return ex
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .selectAll('users')
    .where('organisations.uscc', '=', uscc)
    .executeTakeFirst();
}

export async function insertUser(ex: Executor, u: User): Promise<void> {
  await ex.insertInto('users').values(u).execute();
}

export async function updatePassword(ex: Executor, userId: string, hash: string, at: string): Promise<void> {
  await ex.updateTable('users').set({ password_hash: hash, password_changed_at: at }).where('id', '=', userId).execute();
}

export async function insertSession(ex: Executor, s: Session): Promise<void> {
  await ex.insertInto('sessions').values(s).execute();
}

/** A live session and its user, by the hashed token. */
const findSessionQuery = prepared(2, (ex, idHash: string, nowIso: string) =>
  ex
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.csrf_token as csrfToken',
      'sessions.last_seen_at as lastSeenAt',
      'sessions.expires_at as expiresAt',
      'users.id as userId',
      'users.role as role',
      'users.organisation_id as organisationId',
    ])
    .where('sessions.id', '=', idHash)
    .where('sessions.expires_at', '>', nowIso),
);

/** A live session as a request needs it: its user, role, organisation, CSRF token and times (ISO 8601, UTC). */
export interface SessionRow {
  sessionId: string;
  csrfToken: string;
  lastSeenAt: string;
  expiresAt: string;
  userId: string;
  role: string;
  organisationId: string | null;
}

/** The unexpired session with this id hash and its user, or undefined (every API request asks, or its cache: session-cache.ts). */
export async function findSession(ex: Executor, dialect: Dialect, idHash: string, nowIso: string): Promise<SessionRow | undefined> {
  return (await findSessionQuery.execute(ex, dialect, idHash, nowIso)).rows[0];
}

/**
 * Slide a session's expiry, seen at `lastSeen` (now); false if the session is no longer there
 * or no longer live then. Only a live session is slid: the request that slides it found it live
 * a moment before (its read, or on PostgreSQL the cache of sessions, which hears of a change
 * some milliseconds after it), and an expiry shortened to the past in between (by SQL, to end
 * the session) must stay so; written unconditionally, the slide gave the session a full
 * lifetime again, and that later expiry is not announced (migration
 * 20261130T000000-session-change-notify), so it was accepted on every instance from then on.
 */
export async function touchSession(ex: Executor, idHash: string, lastSeen: string, expires: string): Promise<boolean> {
  const r = await ex
    .updateTable('sessions')
    .set({ last_seen_at: lastSeen, expires_at: expires })
    .where('id', '=', idHash)
    .where('expires_at', '>', lastSeen)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteSession(ex: Executor, idHash: string): Promise<void> {
  await ex.deleteFrom('sessions').where('id', '=', idHash).execute();
}

/** Remove every session of a user except `keep` (after a password change). */
export async function deleteOtherSessions(ex: Executor, userId: string, keep: string): Promise<void> {
  await ex.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keep).execute();
}
