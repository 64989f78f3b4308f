import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Db } from './connect';

describe('SQLite transactions that SQLite itself rolled back', () => {
  let dir: string;
  let handle: Db;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-connect-'));
    handle = connect({ dataDir: dir });
    await sql`create table t (v text not null)`.execute(handle.db);
    // as a full disk or an I/O error does, RAISE(ROLLBACK) ends the whole transaction at once
    await sql`create trigger t_rollback before insert on t when new.v = 'boom' begin select raise(rollback, 'rolled back by SQLite'); end`.execute(handle.db);
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fail with the error that made SQLite roll back, not with the ROLLBACK that then finds no transaction', async () => {
    const failed = handle.db.transaction().execute(async (trx) => {
      await sql`insert into t (v) values ('kept?')`.execute(trx);
      await sql`insert into t (v) values ('boom')`.execute(trx);
    });
    // a full disk must read as SQLITE_FULL (503, the database is unavailable), not as SQLITE_ERROR 'cannot rollback' (500)
    await expect(failed).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'rolled back by SQLite' });
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db)).rows[0].n).toBe(0);
    // and the connection goes on: the next transaction commits
    await handle.db.transaction().execute((trx) => sql`insert into t (v) values ('after')`.execute(trx));
    expect((await sql<{ v: string }>`select v from t`.execute(handle.db)).rows).toEqual([{ v: 'after' }]);
  });

  it('still roll back a transaction that is open when its work fails', async () => {
    const failed = handle.db.transaction().execute(async (trx) => {
      await sql`insert into t (v) values ('rolled back')`.execute(trx);
      throw new Error('work failed');
    });
    await expect(failed).rejects.toThrow('work failed');
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db)).rows[0].n).toBe(0);
  });
});
