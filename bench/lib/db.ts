import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hash as argonHash } from '@node-rs/argon2';
import pg from 'pg';
import { systemClock } from '../../src/domain/clock';
import { loadConfig } from '../../src/server/config';
import { connect, type Db } from '../../src/server/db/connect';
import { migrateToLatest } from '../../src/server/db/migrate';
import { hashToken, newToken } from '../../src/server/features/auth/auth.service';
import { seedCalls } from '../../src/server/features/calls/calls.service';
import { makeUscc } from '../../test/support/fixtures';

/**
 * PostgreSQL server the bench and fault tests use (a fresh database each run): BENCH_PG_URL
 * if set, else TEST_DATABASE_URL (the URL `npm run test:pg` is given), else the local default.
 */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A database for one bench/fault run: the env to give a server, and how to open it here. */
export interface BenchDb {
  kind: 'sqlite' | 'postgres';
  /** Environment for the server process (DATA_DIR or DATABASE_URL). */
  env: Record<string, string>;
  open(): Db;
  drop(): Promise<void>;
}

/** A fresh SQLite data folder under the OS temp folder. */
export function sqliteDb(): BenchDb {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-bench-'));
  return { kind: 'sqlite', env: { DATA_DIR: dir }, open: () => connect({ dataDir: dir }), drop: async () => {} };
}

/** A fresh PostgreSQL database `shenbao_bench_<random>` on the server of PG_ADMIN_URL. */
export async function postgresDb(): Promise<BenchDb> {
  const name = 'shenbao_bench_' + randomUUID().replace(/-/g, '').slice(0, 10);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = '/' + name;
  const url = u.toString();
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url },
    open: () => connect({ databaseUrl: url, poolSize: 4 }),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A logged-in applicant: session cookie value and CSRF token. */
export interface Account {
  orgId: string;
  userId: string;
  email: string;
  token: string;
  csrf: string;
  cookie: string;
}

export const BENCH_PASSWORD = 'bench-password-0001';

/**
 * Migrate, load the calls and create `n` verified applicant organisations, each with its
 * administrator and an open session, written straight into the database: registering
 * through the API would spend most of the setup in argon2 (by design, ~30 ms a hash), which
 * is not what the surge measures. Every user shares one real argon2 hash of BENCH_PASSWORD,
 * so logging in through the API works too.
 */
export async function seedAccounts(bdb: BenchDb, n: number): Promise<Account[]> {
  const { db, dialect, close } = bdb.open();
  try {
    await migrateToLatest(db, dialect);
    await seedCalls({ db, dialect, clock: systemClock, config: loadConfig({}) });
    const passwordHash = await argonHash(BENCH_PASSWORD);
    const now = new Date();
    const iso = now.toISOString();
    const expires = new Date(now.getTime() + 12 * 3600_000).toISOString();
    const out: Account[] = [];
    for (let i = 0; i < n; i += 200) {
      const batch: Account[] = [];
      for (let j = i; j < Math.min(n, i + 200); j++) {
        const token = newToken();
        batch.push({ orgId: randomUUID(), userId: randomUUID(), email: `bench-${j}-${randomUUID().slice(0, 8)}@example.cn`, token, csrf: newToken(), cookie: `sb_sid=${token}` });
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('organisations')
          .values(batch.map((a, k) => ({ id: a.orgId, name: `压测学会${i + k}`, uscc: makeUscc(i + k + 1), type: 'national-society', verification: 'verified', created_at: iso })))
          .execute();
        await trx
          .insertInto('users')
          .values(batch.map((a) => ({ id: a.userId, organisation_id: a.orgId, role: 'applicant', name: '压测管理员', email: a.email, mobile: '13800001234', password_hash: passwordHash, created_at: iso, password_changed_at: iso })))
          .execute();
        await trx
          .insertInto('sessions')
          .values(batch.map((a) => ({ id: hashToken(a.token), user_id: a.userId, csrf_token: a.csrf, created_at: iso, expires_at: expires, last_seen_at: iso })))
          .execute();
      });
      out.push(...batch);
    }
    return out;
  } finally {
    await close();
  }
}
