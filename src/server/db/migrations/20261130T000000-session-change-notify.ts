import { sql, type Kysely } from 'kysely';

/** The PostgreSQL channel on which a change of a session or a user is announced (session-cache.ts). */
export const SESSION_CHANGE_CHANNEL = 'shenbao_session_change';

/**
 * PostgreSQL: announce on {@link SESSION_CHANGE_CHANNEL} every change that can end or alter a
 * live session, whoever makes it (this server, another instance, the command line, an
 * operator's SQL), so that each server's cache of sessions forgets it
 * (src/server/features/auth/session-cache.ts). The payload is `<schema> session <id hash>`,
 * `<schema> user <user id>`, or `<schema> all` after a TRUNCATE; NOTIFY is delivered when
 * the changing transaction commits, and not at all if it rolls back.
 *
 * A session UPDATE that only moves `last_seen_at` and pushes `expires_at` later (the sliding
 * expiry, written at most once a minute per session) announces nothing: a cache that still
 * holds the earlier expiry reads the row again once that passes. Any other UPDATE of a
 * session, and every UPDATE of a user (password, role, organisation), is announced.
 *
 * SQLite has one server process per database file (server-lock.ts) and no cache of
 * sessions: nothing to do. Frozen: later changes go in new migrations.
 */
export function sessionChangeNotify(dialect: 'sqlite' | 'postgres') {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`
        create function notify_session_change() returns trigger language plpgsql as $$
        begin
          if tg_op = 'TRUNCATE' then
            perform pg_notify(${sql.lit(SESSION_CHANGE_CHANNEL)}, tg_table_schema || ' all');
          elsif tg_table_name = 'users' then
            perform pg_notify(${sql.lit(SESSION_CHANGE_CHANNEL)}, tg_table_schema || ' user ' || old.id);
          else
            perform pg_notify(${sql.lit(SESSION_CHANGE_CHANNEL)}, tg_table_schema || ' session ' || old.id);
          end if;
          return null;
        end $$`.execute(db);
      await sql`create trigger sessions_deleted after delete on sessions for each row execute function notify_session_change()`.execute(db);
      await sql`
        create trigger sessions_changed after update on sessions for each row
        when (old.id is distinct from new.id or old.user_id is distinct from new.user_id or old.csrf_token is distinct from new.csrf_token
              or old.created_at is distinct from new.created_at or new.expires_at collate "C" < old.expires_at collate "C")
        execute function notify_session_change()`.execute(db);
      await sql`create trigger users_changed after update or delete on users for each row execute function notify_session_change()`.execute(db);
      await sql`create trigger sessions_truncated after truncate on sessions for each statement execute function notify_session_change()`.execute(db);
      await sql`create trigger users_truncated after truncate on users for each statement execute function notify_session_change()`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      if (dialect !== 'postgres') return;
      for (const [trigger, table] of [
        ['sessions_deleted', 'sessions'],
        ['sessions_changed', 'sessions'],
        ['users_changed', 'users'],
        ['sessions_truncated', 'sessions'],
        ['users_truncated', 'users'],
      ])
        await sql`drop trigger if exists ${sql.id(trigger)} on ${sql.id(table)}`.execute(db);
      await sql`drop function if exists notify_session_change()`.execute(db);
    },
  };
}
