import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect } from './connect';
import { prepared } from './prepared';

describe('prepared queries (compiled once per dialect)', () => {
  const { db, close } = connect({ dataDir: ':memory:' });
  afterAll(() => close());

  it('binds each call’s own values, keeps the builder’s constants, and works inside a transaction', async () => {
    await sql`create table t (id text primary key, kind text not null, n integer not null)`.execute(db);
    const insert = prepared(2, (ex, id: string, n: number) => ex.insertInto('t' as any).values({ id, kind: 'fixed', n }));
    const find = prepared(1, (ex, id: string) => ex.selectFrom('t' as any).selectAll().where('id', '=', id).where('kind', '=', 'fixed'));
    await insert.execute(db, 'sqlite', 'a', 1);
    await db.transaction().execute(async (trx) => {
      await insert.execute(trx, 'sqlite', 'b', 2);
    });
    expect((await find.execute(db, 'sqlite', 'a')).rows).toEqual([{ id: 'a', kind: 'fixed', n: 1 }]);
    expect((await find.execute(db, 'sqlite', 'b')).rows).toEqual([{ id: 'b', kind: 'fixed', n: 2 }]);
    expect((await find.execute(db, 'sqlite', 'c')).rows).toEqual([]);
  });

  it('refuses a shape that does not bind every argument', async () => {
    const bad = prepared(2, (ex, id: string, _unused: string) => ex.selectFrom('t' as any).selectAll().where('id', '=', id));
    await expect(bad.execute(db, 'sqlite', 'a', 'b')).rejects.toThrow(/not bound/);
  });
});
