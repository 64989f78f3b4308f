import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDatabase, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';
import { attachChangeFeed, PgChangeFeed, PROBE_TIMEOUT_MS } from './change-feed';
import type { Database } from './database';

/** The database handle or an open transaction: repositories take this first (STYLE.md). */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Which engine a connection talks to. */
export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Close the pool / file. */
  close(): Promise<void>;
}

/**
 * Open the database: PostgreSQL when `databaseUrl` is a postgres:// URL, otherwise the
 * embedded SQLite file `<dataDir>/shenbao.sqlite` (WAL mode, foreign keys on), or an
 * in-memory SQLite database when `dataDir` is ':memory:'. `pgSchema` puts every table in
 * that PostgreSQL schema (tests use one schema each).
 */
export function connect(opts: { databaseUrl?: string; dataDir?: string; pgSchema?: string; poolSize?: number }): Db {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const settings = {
      connectionString: url,
      // a database that does not answer gives a 503 after 5 s instead of a request that hangs
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      options: opts.pgSchema ? `-c search_path=${opts.pgSchema}` : undefined,
    };
    const pool = new pg.Pool({ ...settings, max: opts.poolSize ?? 10 });
    // an idle client losing its server must not crash the process
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    // one more connection, for the changes the database announces (LISTEN), made at the first
    // subscription; its test notifications are sent from the pool, another connection (change-feed.ts)
    const feed = new PgChangeFeed(
      // a LISTEN or schema query that hangs counts as a lost connection, not as a feed that never starts
      () => new pg.Client({ ...settings, query_timeout: PROBE_TIMEOUT_MS }),
      (channel, payload) => pool.query('select pg_notify($1, $2)', [channel, payload]),
    );
    attachChangeFeed(db, feed);
    return {
      db,
      dialect: 'postgres',
      close: async () => {
        await feed.close();
        await db.destroy();
      },
    };
  }
  let file = ':memory:';
  if (opts.dataDir && opts.dataDir !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true });
    file = path.join(opts.dataDir, 'shenbao.sqlite');
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialectKeepingErrors(sqlite, { database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely's SQLite dialect, except that a transaction SQLite has already rolled back itself
 * is not rolled back again. A failed write (a full disk, an I/O error: SQLITE_FULL or
 * SQLITE_IOERR, often at COMMIT when the WAL grows) makes SQLite end the transaction at once;
 * Kysely's ROLLBACK then failed with 'cannot rollback - no transaction is active' and that
 * error replaced the real one: a save on a full disk was answered 500 instead of 503
 * (您的修改未保存，请稍后重试) and the log did not say the disk was full
 * (test/faults/disk-full.test.ts).
 */
class SqliteDialectKeepingErrors extends SqliteDialect {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly settings: SqliteDialectConfig,
  ) {
    super(settings);
  }
  override createDriver() {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
    })(this.settings);
  }
}

/**
 * Kysely's SQLite driver prepares every query anew; under a save surge `prepare` was 8 % of
 * the server's CPU (bench/RESULTS.md). Kysely generates the same SQL text for the same query
 * shape, so prepared statements are kept, most recently used first, up to `max`. Safe because
 * Kysely runs one query at a time on the single SQLite connection.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
