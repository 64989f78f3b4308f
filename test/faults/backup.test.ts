import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/server/db/connect';
import { seedAccounts, sqliteDb, type BenchDb } from '../../bench/lib/db';
import { serverNodeFlags, startServer, type ServerProcess } from '../support/server-process';
import { REPO_ROOT } from '../support/fixtures';
import { createApplications, markerOf, newAcks, runSaves, type Acks } from '../../bench/lib/workload';
import { CLOCK, sleep } from './support';

const run = promisify(execFile);
/** `npm run cli -- <args>` without npm: the same entry, one process. */
const cli = (env: Record<string, string>, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/server/cli.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 60_000 });

const snapshot = (acks: Acks) => new Map([...acks.saves].map(([id, l]) => [id, l.reduce((m, s) => (s.version > m.version ? s : m))]));

/**
 * `npm run cli -- backup <file>` while the server saves under load, then `restore` into a
 * fresh data folder: every save acknowledged before the backup started is in the restored
 * database (its version, its content when it is the latest there, its audit record), the
 * file passes SQLite's integrity check, and a server starts on it.
 */
describe('SQLite backup under write load and restore', () => {
  let bdb: BenchDb | undefined;
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('refuses a file that is not a backup, and a missing command, in Chinese and with a failing exit code', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'shenbao-cli-')), 'data');
    const junk = path.join(path.dirname(dir), 'junk.sqlite');
    writeFileSync(junk, '这不是数据库'.repeat(100));
    await expect(cli({ DATA_DIR: dir }, 'restore', junk)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('备份文件无法读取') });
    await expect(cli({ DATA_DIR: dir }, 'backup')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('请指定备份文件名') });
    await expect(cli({ DATA_DIR: dir })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('backup') });
  });

  it('refuses to restore under a live server, also after a second start on the same data folder failed and left', async () => {
    bdb = sqliteDb();
    const [account] = await seedAccounts(bdb, 1);
    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK });
    const [app] = await createApplications([server.url], [account]);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'shenbao-backup-')), 'backup.sqlite');
    await cli(bdb.env, 'backup', file);
    // `npm start` typed a second time: same data folder, the port taken, so it stops at once
    const second = spawn(process.execPath, [...serverNodeFlags(), '--import', 'tsx', path.join(REPO_ROOT, 'src/server/main.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...bdb.env, SHENBAO_CLOCK: CLOCK, WEB_DIR: '/nonexistent', HOST: '127.0.0.1', PORT: String(server.port) },
      stdio: 'ignore',
    });
    expect(await new Promise((r) => second.once('exit', r))).not.toBe(0);
    // the first server still runs, and acknowledges a save
    const r = await fetch(`${server.url}/api/applications/${app.id}`, {
      method: 'PUT',
      headers: { cookie: account.cookie, 'x-csrf-token': account.csrf, 'content-type': 'application/json' },
      body: `{"version":${app.version},"data":${app.head}after-second-start${app.tail}}`,
    });
    expect(r.status).toBe(200);
    // a restore now would replace the database (and delete its WAL) under it
    await expect(cli(bdb.env, 'restore', file)).rejects.toMatchObject({ stderr: expect.stringContaining('请先停止服务') });
    await server.stop();
    server = undefined;
    const { db, close } = connect({ dataDir: bdb.env.DATA_DIR });
    try {
      const row = await db.selectFrom('applications').select(['version', 'data']).where('id', '=', app.id).executeTakeFirstOrThrow();
      expect({ version: row.version, marker: markerOf(row.data) }).toEqual({ version: app.version + 1, marker: 'after-second-start' });
    } finally {
      await close();
    }
  }, 60_000);

  it('restores every write acknowledged before the backup', async () => {
    bdb = sqliteDb();
    const accounts = await seedAccounts(bdb, 20);
    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK });
    const apps = await createApplications([server.url], accounts);
    const acks = newAcks();
    let stopLoad: () => void = () => {};
    const load = runSaves({ urls: [server.url], apps, connections: 20, duration: 30, acks, onStart: (i) => (stopLoad = () => i.stop()) });
    for (let i = 0; i < 100 && acks.saves.size < apps.length; i++) await sleep(100);
    await sleep(500);

    const before = snapshot(acks);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'shenbao-backup-')), 'backup.sqlite');
    const out = await cli(bdb.env, 'backup', file);
    expect(out.stdout).toMatch(/已备份/);
    const savesDuringBackup = [...acks.saves.values()].reduce((n, l) => n + l.length, 0) - [...before.values()].reduce((n, s) => n + s.version - 1, 0);
    await sleep(500);
    stopLoad();
    const figures = await load;
    expect(figures.non2xx + figures.errors).toBe(0);
    expect(savesDuringBackup).toBeGreaterThan(0);
    // restoring under the running server is refused, and changes nothing
    await expect(cli(bdb.env, 'restore', file)).rejects.toMatchObject({ stderr: expect.stringContaining('请先停止服务') });
    await server.stop();

    // into a data folder that does not exist yet
    const restoredDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'shenbao-restored-')), 'data');
    const r = await cli({ DATA_DIR: restoredDir }, 'restore', file);
    expect(r.stdout).toMatch(/已从/);
    const { db, close } = connect({ dataDir: restoredDir });
    try {
      expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows[0].integrity_check).toBe('ok');
      const rows = new Map((await db.selectFrom('applications').select(['id', 'version', 'data']).execute()).map((x) => [x.id, x]));
      const audits = await db.selectFrom('audit_log').select(['entity_id', 'details']).where('action', '=', 'application.save').execute();
      const recorded = new Map<string, Set<number>>();
      for (const a of audits) {
        const s = recorded.get(a.entity_id!) ?? new Set<number>();
        s.add(JSON.parse(a.details).toVersion);
        recorded.set(a.entity_id!, s);
      }
      expect(before.size).toBe(apps.length);
      for (const [id, last] of before) {
        const row = rows.get(id)!;
        expect(row.version).toBeGreaterThanOrEqual(last.version);
        if (row.version === last.version) expect(markerOf(row.data)).toBe(last.marker);
        // a consistent snapshot: the row and its audit trail agree
        expect(recorded.get(id)?.size).toBe(row.version - 1);
        for (const s of acks.saves.get(id)!) if (s.version <= last.version) expect(recorded.get(id)!.has(s.version)).toBe(true);
      }
    } finally {
      await close();
    }
    server = await startServer({ DATA_DIR: restoredDir, SHENBAO_CLOCK: CLOCK });
    const app = apps[0];
    const got = await fetch(`${server.url}/api/applications/${app.id}`, { headers: { cookie: app.account.cookie } });
    expect(got.status).toBe(200);
  }, 120_000);
});
