import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Transaction } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Db } from './connect';
import type { Database } from './database';
import { GroupCommit } from './group-commit';

/** A row written by a unit of work, inside its transaction. */
const put = (trx: Transaction<Database>, id: string, v: string) => sql`insert into t (id, v) values (${id}, ${v})`.execute(trx);

describe('group commit (SQLite, a file database in WAL mode)', () => {
  let dir: string;
  let handle: Db;
  /** A second connection to the same file: sees only what is committed. */
  let other: SQLite.Database;
  const committed = () => (other.prepare('select id, v from t order by id').all() as { id: string; v: string }[]).map((r) => `${r.id}=${r.v}`);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-group-commit-'));
    handle = connect({ dataDir: dir });
    await sql`create table t (id text primary key, v text not null)`.execute(handle.db);
    await sql`create table child (id text primary key, parent text not null references t(id))`.execute(handle.db);
    other = new SQLite(path.join(dir, 'shenbao.sqlite'), { readonly: true });
  });
  afterEach(async () => {
    other.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the units of one event-loop turn in one transaction, in order, and settles each only once committed', async () => {
    const g = new GroupCommit(handle.db);
    const seen: Transaction<Database>[] = [];
    const atSettle: string[][] = [];
    const whileRunning: string[][] = [];
    const units = ['a', 'b', 'c'].map((id, i) =>
      g
        .run(async (trx) => {
          seen.push(trx);
          await put(trx, id, String(i));
          // nothing is committed before the whole group is
          whileRunning.push(committed());
          // the earlier units of the group are visible to the later ones
          return (await sql<{ n: number }>`select count(*) as n from t`.execute(trx)).rows[0].n;
        })
        .then((n) => {
          atSettle.push(committed());
          return n;
        }),
    );
    expect(await Promise.all(units)).toEqual([1, 2, 3]);
    expect(new Set(seen).size).toBe(1);
    expect(whileRunning).toEqual([[], [], []]);
    for (const c of atSettle) expect(c).toEqual(['a=0', 'b=1', 'c=2']);
    // a later turn: a new transaction
    let later: Transaction<Database> | undefined;
    await g.run(async (trx) => {
      later = trx;
      await put(trx, 'd', '3');
    });
    expect(later).toBeDefined();
    expect(later).not.toBe(seen[0]);
  });

  it('a unit that throws fails alone: the others of its group are committed, nothing of it is', async () => {
    const g = new GroupCommit(handle.db);
    const results = await Promise.allSettled([
      g.run((trx) => put(trx, 'a', 'ok')),
      g.run(async (trx) => {
        await put(trx, 'b', 'half-written');
        throw new Error('字段校验失败');
      }),
      g.run((trx) => put(trx, 'c', 'ok')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('字段校验失败');
    expect(committed()).toEqual(['a=ok', 'c=ok']);
  });

  it('a unit whose write breaks a constraint is refused alone; the rest of its group is run again and committed', async () => {
    await sql`insert into t (id, v) values ('taken', 'before')`.execute(handle.db);
    const g = new GroupCommit(handle.db);
    const calls = [0, 0, 0];
    const results = await Promise.allSettled([
      g.run(async (trx) => {
        calls[0]++;
        await put(trx, 'a', 'ok');
      }),
      g.run(async (trx) => {
        calls[1]++;
        await put(trx, 'taken', 'again');
      }),
      g.run(async (trx) => {
        calls[2]++;
        await put(trx, 'c', 'ok');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committed()).toEqual(['a=ok', 'c=ok', 'taken=before']);
    // the offending unit ran once; the one before it twice (its first run was rolled back)
    expect(calls).toEqual([2, 1, 1]);
  });

  it('a commit that fails refuses every unit of the group and writes nothing', async () => {
    const g = new GroupCommit(handle.db);
    const results = await Promise.allSettled([
      g.run((trx) => put(trx, 'p', 'parent')),
      g.run(async (trx) => {
        // checked only at COMMIT: the failure is the transaction's, not a statement's
        await sql`pragma defer_foreign_keys = on`.execute(trx);
        await sql`insert into child (id, parent) values ('x', 'missing')`.execute(trx);
      }),
      g.run((trx) => put(trx, 'q', 'parent')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(committed()).toEqual([]);
    expect(other.prepare('select count(*) as n from child').get()).toEqual({ n: 0 });
  });

  it('a busy database refuses the whole group at once, without each unit waiting out the busy timeout in turn', async () => {
    await sql`pragma busy_timeout = 50`.execute(handle.db);
    const writer = new SQLite(path.join(dir, 'shenbao.sqlite'));
    writer.exec('begin immediate');
    try {
      const g = new GroupCommit(handle.db);
      const calls = [0, 0, 0];
      const results = await Promise.allSettled(
        calls.map((_, i) =>
          g.run(async (trx) => {
            calls[i]++;
            await put(trx, `b${i}`, 'busy');
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const r of results) expect((r as PromiseRejectedResult).reason.code).toBe('SQLITE_BUSY');
      expect(calls).toEqual([1, 0, 0]);
    } finally {
      writer.exec('rollback');
      writer.close();
    }
    expect(committed()).toEqual([]);
    // once the other writer is gone, the next group goes through
    await new GroupCommit(handle.db).run((trx) => put(trx, 'after', 'ok'));
    expect(committed()).toEqual(['after=ok']);
  });

  it('more units than a group holds are all run, in further groups', async () => {
    const g = new GroupCommit(handle.db, 4);
    const trxs = new Set<Transaction<Database>>();
    const ids = Array.from({ length: 10 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    await Promise.all(
      ids.map((id) =>
        g.run(async (trx) => {
          trxs.add(trx);
          await put(trx, id, id);
        }),
      ),
    );
    expect(committed()).toEqual(ids.map((id) => `${id}=${id}`));
    expect(trxs.size).toBe(3);
  });

  it('waits for a transaction already holding the connection instead of joining it', async () => {
    const g = new GroupCommit(handle.db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const outer = handle.db.transaction().execute(async (trx) => {
      await put(trx, 'outer', 'rolled back');
      await held;
      throw new Error('rollback');
    });
    const unit = g.run((trx) => put(trx, 'unit', 'kept'));
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(outer).rejects.toThrow('rollback');
    await unit;
    expect(committed()).toEqual(['unit=kept']);
  });
});
