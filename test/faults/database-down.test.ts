import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PG_ADMIN_URL, postgresDb, seedAccounts, type BenchDb } from '../../bench/lib/db';
import { startServer, type ServerProcess } from '../support/server-process';
import { createApplications, markerOf, type BenchApp } from '../../bench/lib/workload';
import { CLOCK, postgresAvailable, sleep } from './support';

async function admin(q: string) {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

function save(server: ServerProcess, app: BenchApp, version: number, marker: string) {
  return fetch(`${server.url}/api/applications/${app.id}`, {
    method: 'PUT',
    headers: { cookie: app.account.cookie, 'x-csrf-token': app.account.csrf, 'content-type': 'application/json' },
    body: `{"version":${version},"data":${app.head}${marker}${app.tail}}`,
    signal: AbortSignal.timeout(20_000),
  });
}

/**
 * PostgreSQL going away under a running server: the database stops accepting connections
 * and every backend of the server is terminated (pg_terminate_backend). Requests get a
 * clear 503 with a Chinese message (not a 500, not a hang); once the database is back the
 * same server saves again and the data is exactly as the last acknowledged save left it.
 */
describe.skipIf(!(await postgresAvailable()))('PostgreSQL going away', () => {
  let bdb: BenchDb | undefined;
  let server: ServerProcess | undefined;
  let dbName = '';
  afterEach(async () => {
    if (dbName) await admin(`alter database ${dbName} allow_connections true`).catch(() => {});
    await server?.stop();
    await bdb?.drop();
  });

  it('answers 503 in Chinese while it is gone and carries on undamaged when it is back', async () => {
    bdb = await postgresDb();
    dbName = new URL(bdb.env.DATABASE_URL).pathname.slice(1);
    const [account] = await seedAccounts(bdb, 1);
    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK });
    const [app] = await createApplications([server.url], [account]);

    const ok = await save(server, app, app.version, 'before-outage');
    expect(ok.status).toBe(200);
    const acked = ((await ok.json()) as any).version as number;

    await admin(`alter database ${dbName} allow_connections false`);
    await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}' and pid <> pg_backend_pid()`);
    await sleep(200);
    for (const marker of ['during-outage-1', 'during-outage-2']) {
      const r = await save(server, app, acked, marker);
      const body: any = await r.json();
      expect(r.status).toBe(503);
      expect(body.code).toBe('unavailable');
      expect(body.message).toMatch(/数据库暂时不可用/);
      expect(r.headers.get('retry-after')).toBe('5');
    }
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);

    await admin(`alter database ${dbName} allow_connections true`);
    let back = 0;
    for (let i = 0; i < 50 && back !== 200; i++) {
      back = (await fetch(`${server.url}/api/health`)).status;
      if (back !== 200) await sleep(200);
    }
    expect(back).toBe(200);
    // nothing of the refused saves was written
    const c = new pg.Client({ connectionString: bdb.env.DATABASE_URL });
    await c.connect();
    try {
      const row = (await c.query('select version, data from applications where id = $1', [app.id])).rows[0];
      expect(row.version).toBe(acked);
      expect(markerOf(row.data)).toBe('before-outage');
      const audits = (await c.query(`select count(*)::int as n from audit_log where entity_id = $1 and action = 'application.save'`, [app.id])).rows[0].n;
      expect(audits).toBe(1);
    } finally {
      await c.end();
    }
    const after = await save(server, app, acked, 'after-outage');
    expect(after.status).toBe(200);
    expect(((await after.json()) as any).version).toBe(acked + 1);
  }, 60_000);
});
