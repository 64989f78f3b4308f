import pg from 'pg';
import { PG_ADMIN_URL, postgresDb, sqliteDb, type BenchDb } from '../../bench/lib/db';

/** True when the PostgreSQL server of PG_ADMIN_URL (BENCH_PG_URL, else TEST_DATABASE_URL) answers. */
export async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** The databases the fault tests run on: SQLite always, PostgreSQL when it answers. */
export const DATABASES: { name: string; make: () => Promise<BenchDb> }[] = [
  { name: 'SQLite', make: async () => sqliteDb() },
  ...((await postgresAvailable()) ? [{ name: 'PostgreSQL', make: postgresDb }] : []),
];

/** The simulated clock of the fault tests: inside the 2023 call's window. */
export const CLOCK = '2023-05-19T22:00:00+08:00';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
