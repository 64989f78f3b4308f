import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { fixedClock, type FixedClock } from '../../src/domain/clock';
import { buildApp, type BuildAppOptions } from '../../src/server/app';
import { loadConfig, type Config } from '../../src/server/config';
import { connect } from '../../src/server/db/connect';
import { migrateToLatest } from '../../src/server/db/migrate';
import { seedCalls } from '../../src/server/features/calls/calls.service';
import type { AppContext } from '../../src/server/http/context';

/** Which database the integration tests run on: PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DB = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: FixedClock;
  close(): Promise<void>;
}

/**
 * A fresh application on a fresh database: in-memory SQLite, or a new schema of the
 * PostgreSQL database at TEST_DATABASE_URL (dropped on close). The clock is fixed at
 * 2023-05-10 09:00 北京时间 unless given; the 2023 call is loaded. `build` goes to buildApp
 * (e.g. an onRoute hook that records the route table).
 */
export async function createTestApp(opts: { clock?: FixedClock; config?: Partial<Config>; build?: BuildAppOptions } = {}): Promise<TestApp> {
  const url = process.env.TEST_DATABASE_URL;
  const schema = url ? await createSchema(url) : undefined;
  const { db, dialect, close } = connect({ databaseUrl: url, dataDir: ':memory:', pgSchema: schema, poolSize: 5 });
  try {
    await migrateToLatest(db, dialect, schema);
  } catch (e) {
    await close();
    if (url && schema) await dropSchema(url, schema);
    throw e;
  }
  const clock = opts.clock ?? fixedClock('2023-05-10T09:00:00+08:00');
  const config: Config = { ...loadConfig({}), webDir: '/nonexistent', loginRateLimit: 1000, ...opts.config };
  const ctx: AppContext = { db, dialect, clock, config };
  await seedCalls(ctx);
  const app = await buildApp(ctx, opts.build);
  return {
    app,
    ctx,
    clock,
    async close() {
      await app.close();
      await close();
      if (url && schema) await dropSchema(url, schema);
    },
  };
}

/** A new, empty schema of the PostgreSQL database at `url` (t_ and 16 hex digits), for one test database. */
export async function createSchema(url: string): Promise<string> {
  const schema = 't_' + randomUUID().replace(/-/g, '').slice(0, 16);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  return schema;
}

/** Drop a schema made by {@link createSchema}, with everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.end();
}
