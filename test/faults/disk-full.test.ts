import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { seedAccounts, sqliteDb, type BenchDb } from '../../bench/lib/db';
import { startServer, type ServerProcess } from '../support/server-process';
import { createApplications, newAcks, type BenchApp } from '../../bench/lib/workload';
import { checkStored, CLOCK, saveMarked, sleep } from './support';

const run = promisify(execFile);
const HAVE_PRLIMIT = await run('prlimit', ['--version']).then(
  () => true,
  () => false,
);

/**
 * The SQLite files stop growing under a running server (a full disk): here the server's
 * file size limit (RLIMIT_FSIZE, set from outside with prlimit) is lowered below the size
 * of its WAL, so every write past it fails as on a full disk (EFBIG instead of ENOSPC; the
 * server ignores SIGXFSZ as it would never see one on a full disk). Saves must be refused
 * as the database being unavailable (503, 您的修改未保存), never acknowledged, and every
 * acknowledged save must be there, once, when the disk has room again.
 */
describe.skipIf(!HAVE_PRLIMIT)('SQLite on a full disk', () => {
  let bdb: BenchDb | undefined;
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it('refuses saves with 503 while nothing can be written, keeps every acknowledged one, and saves again once there is room', async () => {
    bdb = sqliteDb();
    const accounts = await seedAccounts(bdb, 12);
    const preload = path.join(mkdtempSync(path.join(os.tmpdir(), 'shenbao-xfsz-')), 'ignore-xfsz.mjs');
    writeFileSync(preload, "process.on('SIGXFSZ', () => {});\n");
    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK }, { nodeArgs: ['--import', preload] });
    const apps = await createApplications([server.url], accounts);
    const acks = newAcks();
    const statuses: Record<string, number>[] = [{}, {}, {}];
    let phase = 0;
    let stop = false;
    let seq = 0;
    const loop = async (app: BenchApp) => {
      while (!stop) {
        const { key } = await saveMarked(server!.url, app, `full-${++seq}`, acks);
        statuses[phase][key] = (statuses[phase][key] ?? 0) + 1;
        await sleep(2);
      }
    };
    const loops = apps.map(loop);
    const limit = (fsize: string) => run('prlimit', ['--pid', String(server!.child.pid), `--fsize=${fsize}`]);
    try {
      await sleep(800);
      phase = 1;
      await limit('4096:unlimited');
      await sleep(1500);
    } finally {
      phase = 2;
      await limit('unlimited:unlimited');
    }
    await sleep(1500);
    stop = true;
    await Promise.all(loops);

    expect(Object.keys(statuses[0]), JSON.stringify(statuses)).toEqual(['200']);
    // while the disk is full: refused as the database being unavailable, not as a server fault
    expect(statuses[1]['503 unavailable'] ?? 0, JSON.stringify(statuses)).toBeGreaterThan(0);
    expect(statuses[1]['500 internal'] ?? 0, `${JSON.stringify(statuses)}\n${server.output().slice(-2000)}`).toBe(0);
    // and saves go on once there is room again
    expect(statuses[2]['200'] ?? 0, JSON.stringify(statuses)).toBeGreaterThan(0);
    await checkStored(bdb, apps, acks);
  }, 60_000);
});
