import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { seedAccounts, sqliteDb, type BenchDb } from '../../bench/lib/db';
import { startServer, type ServerProcess } from '../support/server-process';
import { createApplications, newAcks, type BenchApp } from '../../bench/lib/workload';
import { auditChains, chainProblems } from '../support/audit-chain';
import { checkStored, CLOCK, saveMarked, sleep } from './support';

/**
 * Another process holds SQLite's write lock under a save surge (a second program on the
 * data folder, a CLI command writing): while it holds it for less than the busy timeout
 * (5 s) the saves wait and are written; longer, the waiting group is refused with 503 and
 * nothing of it is written; either way every acknowledged save is stored once, with its
 * audit record. What the other process writes meanwhile (a new version of an application
 * this server remembers) is never overwritten: the next save based on the remembered
 * version is a version conflict showing the other process's text.
 */
describe('SQLite write lock held by another process', () => {
  let bdb: BenchDb | undefined;
  let server: ServerProcess | undefined;
  let other: SQLite.Database | undefined;
  afterEach(async () => {
    if (other?.inTransaction) other.exec('rollback');
    other?.close();
    await server?.stop();
  });

  it('makes saves wait, then refuses them with 503 past the busy timeout, and loses or overwrites nothing', async () => {
    bdb = sqliteDb();
    const accounts = await seedAccounts(bdb, 10);
    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK });
    const apps = await createApplications([server.url], accounts);
    const [victim, ...rest] = apps;
    const acks = newAcks();
    const statuses: Record<string, number>[] = [{}, {}, {}, {}];
    let phase = 0;
    let stop = false;
    let seq = 0;
    const loop = async (app: BenchApp) => {
      while (!stop) {
        const { status, body, key } = await saveMarked(server!.url, app, `busy-${++seq}`, acks, AbortSignal.timeout(30_000));
        statuses[phase][key] = (statuses[phase][key] ?? 0) + 1;
        if (status === 409) app.version = body.current.version;
        await sleep(2);
      }
    };
    const loops = rest.map(loop);
    // the victim's version 2 is saved (and remembered) through the server
    const v2 = await fetch(`${server.url}/api/applications/${victim.id}`, {
      method: 'PUT',
      headers: { cookie: victim.account.cookie, 'x-csrf-token': victim.account.csrf, 'content-type': 'application/json' },
      body: `{"version":1,"data":${victim.head}server-v2${victim.tail}}`,
    });
    expect(v2.status).toBe(200);
    const ack2 = { version: 2, marker: 'server-v2' };
    acks.saves.set(victim.id, [ack2]);
    victim.version = 2;
    await sleep(500);

    other = new SQLite(path.join(bdb.env.DATA_DIR, 'shenbao.sqlite'));
    // 1. held for one second: the saves wait for it
    phase = 1;
    other.exec('begin immediate');
    // meanwhile the other process writes version 3 of the victim, as another program would
    const row = other.prepare('select data, organisation_id from applications where id = ?').get(victim.id) as { data: string; organisation_id: string };
    const otherData = JSON.stringify({ ...JSON.parse(row.data), basis: '另一个进程写的依据' });
    other.prepare("update applications set data = ?, version = 3, revision = 'other-process-3' where id = ? and version = 2").run(otherData, victim.id);
    other
      .prepare("insert into audit_log (at, actor_user_id, organisation_id, action, entity_type, entity_id, details, ip) values (?, ?, ?, 'application.save', 'application', ?, ?, null)")
      .run(new Date().toISOString(), victim.account.userId, row.organisation_id, victim.id, JSON.stringify({ fromVersion: 2, toVersion: 3, changed: ['basis'] }));
    await sleep(1000);
    other.exec('commit');
    await sleep(500);
    // 2. held past the busy timeout: the waiting group is refused
    phase = 2;
    other.exec('begin immediate');
    await sleep(7000);
    other.exec('rollback');
    phase = 3;
    await sleep(1000);

    // the server still remembers version 2 of the victim: a save based on it must not overwrite version 3
    const stale = await fetch(`${server.url}/api/applications/${victim.id}`, {
      method: 'PUT',
      headers: { cookie: victim.account.cookie, 'x-csrf-token': victim.account.csrf, 'content-type': 'application/json' },
      body: `{"version":2,"data":${victim.head}stale-on-v2${victim.tail}}`,
    });
    const staleBody: any = await stale.json();
    stop = true;
    await Promise.all(loops);

    expect(stale.status, JSON.stringify(staleBody).slice(0, 300)).toBe(409);
    expect(staleBody.code).toBe('version_conflict');
    expect(staleBody.current.version).toBe(3);
    expect(staleBody.current.data.basis).toBe('另一个进程写的依据');

    const all = JSON.stringify(statuses);
    // short hold: every save waited and went through
    expect(Object.keys(statuses[1]), all).toEqual(['200']);
    // long hold: refused as unavailable, never as a server fault
    expect(statuses[2]['503 unavailable'] ?? 0, all).toBeGreaterThan(0);
    for (const s of statuses) expect(Object.keys(s).filter((k) => !['200', '503 unavailable'].includes(k)), all).toEqual([]);
    expect(statuses[3]['200'] ?? 0, all).toBeGreaterThan(0);
    await server.stop();
    await checkStored(bdb, rest, acks);
    // the victim: the other process's version 3, untouched
    const db = bdb.open();
    try {
      const v = await db.db.selectFrom('applications').select(['version', 'data']).where('id', '=', victim.id).executeTakeFirstOrThrow();
      expect(v.version).toBe(3);
      expect(JSON.parse(v.data).basis).toBe('另一个进程写的依据');
      expect(chainProblems(await auditChains(db.db, [victim.id]))).toEqual([]);
    } finally {
      await db.close();
    }
  }, 90_000);
});
