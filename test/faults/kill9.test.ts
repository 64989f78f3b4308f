import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedAccounts, type BenchDb } from '../../bench/lib/db';
import { startServer, type ServerProcess } from '../support/server-process';
import { createApplications, newAcks, runSaves, verify } from '../../bench/lib/workload';
import { auditChains, chainProblems } from '../support/audit-chain';
import { CLOCK, DATABASES, sleep } from './support';

/**
 * kill -9 in the middle of a save surge: after a restart every save answered 200 before the
 * kill is there (its version and its content), nothing is half-written (each row's version
 * matches its recorded saves, the data parses, SQLite's integrity check passes), and the
 * server goes on saving from the stored versions.
 */
describe.each(DATABASES)('kill -9 during a save surge on $name', ({ make }) => {
  let bdb: BenchDb | undefined;
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.kill9();
    await bdb?.drop();
  });

  it('keeps every acknowledged save and nothing half-written', async () => {
    bdb = await make();
    const accounts = await seedAccounts(bdb, 40);
    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK });
    const apps = await createApplications([server.url], accounts);
    const acks = newAcks();
    let stopLoad: () => void = () => {};
    const run = runSaves({ urls: [server.url], apps, connections: 40, duration: 30, acks, timeout: 5, onStart: (i) => (stopLoad = () => i.stop()) });
    // let saves flow, then kill the process without warning
    for (let i = 0; i < 100 && [...acks.saves.values()].reduce((n, l) => n + l.length, 0) < 300; i++) await sleep(100);
    await server.kill9();
    await sleep(300);
    stopLoad();
    await run;
    const acknowledged = [...acks.saves.values()].reduce((n, l) => n + l.length, 0);
    expect(acknowledged).toBeGreaterThan(50);

    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK });
    const db = bdb.open();
    try {
      const v = await verify(db, apps, acks);
      expect({ lost: v.lost, duplicated: v.duplicated, contentMismatch: v.contentMismatch }).toEqual({ lost: 0, duplicated: 0, contentMismatch: 0 });
      // at most the saves in flight at the kill committed without their answer
      expect(v.unacknowledged).toBeLessThanOrEqual(apps.length);
      // each application's audit chain: versions one after the other, ending at its row, no group half-committed
      expect(chainProblems(await auditChains(db.db, apps.map((a) => a.id)))).toEqual([]);
      const rows = await db.db.selectFrom('applications').select(['id', 'data']).execute();
      for (const r of rows) expect(() => JSON.parse(r.data)).not.toThrow();
      if (bdb.kind === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db.db);
        expect(check.rows[0].integrity_check).toBe('ok');
      }
      // the restarted server carries on from the stored versions
      const app = apps[0];
      const cur = (await db.db.selectFrom('applications').select('version').where('id', '=', app.id).executeTakeFirstOrThrow()).version;
      const r = await fetch(`${server.url}/api/applications/${app.id}`, {
        method: 'PUT',
        headers: { cookie: app.account.cookie, 'x-csrf-token': app.account.csrf, 'content-type': 'application/json' },
        body: `{"version":${cur},"data":${app.head}after-restart${app.tail}}`,
      });
      expect(r.status).toBe(200);
      expect(((await r.json()) as any).version).toBe(cur + 1);
    } finally {
      await db.close();
    }
  }, 120_000);
});
