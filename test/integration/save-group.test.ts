import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/domain/clock';
import { GROUP_COMMIT_MAX, groupCommit } from '../../src/server/db/group-commit';
import { auditChains, chainProblems } from '../support/audit-chain';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, registerOrg } from '../support/fixtures';

/**
 * Saves that meet in one group commit (SQLite: the saves of one event-loop turn share a
 * transaction, src/server/db/group-commit.ts) or race on PostgreSQL, mixed with what could
 * upset them: a submit or withdrawal of the same application, a second save on the same base,
 * a change of 专项 (another transaction path), another organisation's attempts, a unit the
 * database refuses, a full database, the deadline passing. After each, every answer is
 * checked against the database: a 200 is stored with its audit record, a refusal left
 * nothing, and each application's audit chain is contiguous (test/support/audit-chain.ts).
 */
describe(`saves meeting in one group commit (${TEST_DB})`, () => {
  let t: TestApp;
  /** the number of units each group commit started with (SQLite) */
  const groups: number[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    if (t.ctx.dialect === 'sqlite') {
      const g = groupCommit(t.ctx.db) as any;
      const flush = g.flush.bind(g);
      g.flush = () => {
        groups.push(Math.min(g.queue.length, GROUP_COMMIT_MAX));
        return flush();
      };
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const data = fixture('awards').application;
  const withPlan = (plan: string, subProgrammes = data.subProgrammes) => ({ ...data, plan, subProgrammes });
  const stored = (id: string) => t.ctx.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** the largest group commit since `from` (1 on PostgreSQL: there is none) */
  const largestGroupSince = (from: number) => (t.ctx.dialect === 'sqlite' ? Math.max(0, ...groups.slice(from)) : 1);

  async function newApplications(n: number) {
    const out: { c: TestClient; id: string; orgId: string }[] = [];
    for (let i = 0; i < n; i++) {
      const c = new TestClient(t.app);
      await registerOrg(c);
      const app = await createApplication(c, withPlan('初稿'));
      out.push({ c, id: app.id, orgId: (await stored(app.id)).organisation_id });
    }
    return out;
  }

  async function expectChainsClean(ids: string[]) {
    const chains = await auditChains(t.ctx.db, ids);
    expect(chainProblems(chains)).toEqual([]);
    return chains;
  }

  it('a save and a submit of the same application in one turn: either the save is in the submitted snapshot or it is refused', async () => {
    const apps = await newApplications(6);
    const from = groups.length;
    for (let round = 0; round < 4; round++) {
      const versions = await Promise.all(apps.map(async (a) => (await stored(a.id)).version));
      // every application's save and submit in one turn, in either order
      const order = round % 2 === 0 ? ['save', 'submit'] : ['submit', 'save'];
      const res = await Promise.all(
        apps.flatMap((a, i) =>
          order.map((op) => (op === 'save' ? a.c.put(`/api/applications/${a.id}`, { version: versions[i], data: withPlan(`第${round}轮-${i}`) }) : a.c.post(`/api/applications/${a.id}/submit`))),
        ),
      );
      for (const [i, a] of apps.entries()) {
        const save = res[2 * i + order.indexOf('save')];
        const submit = res[2 * i + order.indexOf('submit')];
        expect(submit.status, JSON.stringify(submit.body)).toBe(200);
        const row = await stored(a.id);
        expect(row.status).toBe('submitted');
        if (save.status === 200) {
          // acknowledged: the save is in what was submitted, and the submit came after it
          expect(JSON.parse(row.submitted_data!).plan).toBe(`第${round}轮-${i}`);
          expect(row.version).toBe(save.body.version + 1);
        } else {
          expect(save.status, JSON.stringify(save.body)).toBe(409);
          expect(['not_editable', 'version_conflict']).toContain(save.body.code);
          expect(JSON.parse(row.submitted_data!).plan).not.toBe(`第${round}轮-${i}`);
        }
        // withdrawn for the next round
        expect((await a.c.post(`/api/applications/${a.id}/withdraw`)).status).toBe(200);
      }
    }
    await expectChainsClean(apps.map((a) => a.id));
    if (t.ctx.dialect === 'sqlite') expect(largestGroupSince(from)).toBeGreaterThan(1);
  });

  it('saves of many applications in one turn with a withdrawal and a submit among them: each answer is what is stored', async () => {
    const apps = await newApplications(8);
    // half of them submitted first
    for (const a of apps.slice(0, 4)) expect((await a.c.post(`/api/applications/${a.id}/submit`)).status).toBe(200);
    for (const a of apps) await a.c.get(`/api/applications/${a.id}`); // remembered by this process
    const from = groups.length;
    const versions = await Promise.all(apps.map(async (a) => (await stored(a.id)).version));
    const res = await Promise.all(
      apps.flatMap((a, i) => [
        a.c.put(`/api/applications/${a.id}`, { version: versions[i], data: withPlan(`同一轮-${i}`) }),
        i < 4 ? a.c.post(`/api/applications/${a.id}/withdraw`) : a.c.post(`/api/applications/${a.id}/submit`),
        a.c.put(`/api/applications/${a.id}`, { version: versions[i], data: withPlan(`同一轮第二个-${i}`) }),
      ]),
    );
    for (const r of res) expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
    for (let i = 0; i < apps.length; i++) {
      const [s1, , s2] = res.slice(3 * i, 3 * i + 3);
      // two saves on one base: at most one is written
      expect([s1, s2].filter((s) => s.status === 200).length).toBeLessThanOrEqual(1);
      const row = await stored(apps[i].id);
      const won = [s1, s2].find((s) => s.status === 200);
      const plan = JSON.parse(row.data).plan;
      if (won) expect(plan).toBe(won === s1 ? `同一轮-${i}` : `同一轮第二个-${i}`);
      else expect(plan).toBe('初稿');
      // a submitted application was not saved (i < 4 were submitted at the base version)
      if (i < 4) expect(won).toBeUndefined();
    }
    await expectChainsClean(apps.map((a) => a.id));
    if (t.ctx.dialect === 'sqlite') expect(largestGroupSince(from)).toBeGreaterThan(1);
  });

  it('a save that changes its 专项 and cached saves of the same and other applications in one turn', async () => {
    const apps = await newApplications(5);
    for (const a of apps) await a.c.get(`/api/applications/${a.id}`);
    const from = groups.length;
    const res = await Promise.all(
      apps.flatMap((a, i) => [
        a.c.put(`/api/applications/${a.id}`, { version: 1, data: withPlan(`缓存-${i}`) }),
        a.c.put(`/api/applications/${a.id}`, { version: 1, data: withPlan(`改专项-${i}`, ['evaluation']) }),
      ]),
    );
    for (let i = 0; i < apps.length; i++) {
      const [cached, moved] = res.slice(2 * i, 2 * i + 2);
      expect([cached.status, moved.status].sort(), JSON.stringify([cached.body, moved.body])).toEqual([200, 409]);
      const row = await stored(apps[i].id);
      expect(row.version).toBe(2);
      const d = JSON.parse(row.data);
      if (cached.status === 200) expect(d).toMatchObject({ plan: `缓存-${i}`, subProgrammes: ['awards'] });
      else expect(d).toMatchObject({ plan: `改专项-${i}`, subProgrammes: ['evaluation'] });
    }
    const chains = await expectChainsClean(apps.map((a) => a.id));
    // the audit diff is against the version the save was based on
    for (const c of chains.values()) {
      const save = c.steps.find((s) => s.action === 'application.save')!;
      const moved = JSON.parse(c.row.data).subProgrammes[0] === 'evaluation';
      expect([...save.details.changed].sort()).toEqual(moved ? ['plan', 'subProgrammes[0]'] : ['plan']);
    }
    if (t.ctx.dialect === 'sqlite') expect(largestGroupSince(from)).toBeGreaterThan(1);
  });

  it("another organisation's saves, submits and withdrawals in the same turn as the owner's saves are refused and write nothing", async () => {
    const [owner, intruderOrg] = await newApplications(2);
    await owner.c.get(`/api/applications/${owner.id}`); // remembered, with its organisation
    const from = groups.length;
    const res = await Promise.all([
      owner.c.put(`/api/applications/${owner.id}`, { version: 1, data: withPlan('所有者') }),
      intruderOrg.c.put(`/api/applications/${owner.id}`, { version: 1, data: withPlan('别家-1') }),
      intruderOrg.c.put(`/api/applications/${owner.id}`, { version: 2, data: withPlan('别家-2') }),
      intruderOrg.c.post(`/api/applications/${owner.id}/submit`),
      intruderOrg.c.post(`/api/applications/${owner.id}/withdraw`),
      intruderOrg.c.put(`/api/applications/${intruderOrg.id}`, { version: 1, data: withPlan('别家自己的') }),
    ]);
    expect(res.map((r) => r.status)).toEqual([200, 404, 404, 404, 404, 200]);
    // and again, now that this process remembers version 2 of the owner's application
    const again = await Promise.all([intruderOrg.c.put(`/api/applications/${owner.id}`, { version: 2, data: withPlan('别家-3') }), owner.c.put(`/api/applications/${owner.id}`, { version: 2, data: withPlan('所有者-2') })]);
    expect(again.map((r) => r.status)).toEqual([404, 200]);
    expect(JSON.parse((await stored(owner.id)).data).plan).toBe('所有者-2');
    const chains = await expectChainsClean([owner.id, intruderOrg.id]);
    for (const s of chains.get(owner.id)!.steps) expect(s.organisationId).toBe(owner.orgId);
    if (t.ctx.dialect === 'sqlite') expect(largestGroupSince(from)).toBeGreaterThan(1);
  });

  it('a save the database refuses (a trigger on the audit log) fails alone; the others of its group are written with their audit records', async () => {
    const apps = await newApplications(6);
    const victim = apps[2];
    const trigger = `refuse_${victim.id.replace(/-/g, '').slice(0, 12)}`;
    if (t.ctx.dialect === 'sqlite') {
      await sql
        .raw(`create trigger ${trigger} before insert on audit_log when new.entity_id = '${victim.id}' and new.action = 'application.save' begin select raise(abort, 'refused by the test'); end`)
        .execute(t.ctx.db);
    } else {
      await sql.raw(`create function ${trigger}() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`).execute(t.ctx.db);
      await sql.raw(`create trigger ${trigger} before insert on audit_log for each row when (new.entity_id = '${victim.id}' and new.action = 'application.save') execute function ${trigger}()`).execute(t.ctx.db);
    }
    try {
      for (const a of apps) await a.c.get(`/api/applications/${a.id}`);
      const from = groups.length;
      const res = await Promise.all(apps.map((a, i) => a.c.put(`/api/applications/${a.id}`, { version: 1, data: withPlan(`组内-${i}`) })));
      expect(res.map((r) => r.status)).toEqual(apps.map((a) => (a === victim ? 500 : 200)));
      for (const [i, a] of apps.entries()) {
        const row = await stored(a.id);
        expect(row.version).toBe(a === victim ? 1 : 2);
        expect(JSON.parse(row.data).plan).toBe(a === victim ? '初稿' : `组内-${i}`);
      }
      await expectChainsClean(apps.map((a) => a.id));
      if (t.ctx.dialect === 'sqlite') expect(largestGroupSince(from)).toBeGreaterThan(1);
      // the refused save, based on what this process remembers, goes through once the database accepts it
      await sql.raw(`drop trigger ${trigger}${t.ctx.dialect === 'postgres' ? ' on audit_log' : ''}`).execute(t.ctx.db);
      expect((await victim.c.put(`/api/applications/${victim.id}`, { version: 1, data: withPlan('后来') })).status).toBe(200);
      await expectChainsClean([victim.id]);
    } finally {
      await sql.raw(`drop trigger if exists ${trigger}${t.ctx.dialect === 'postgres' ? ' on audit_log' : ''}`).execute(t.ctx.db);
      if (t.ctx.dialect === 'postgres') await sql.raw(`drop function if exists ${trigger}()`).execute(t.ctx.db);
    }
  });

  it.runIf(TEST_DB === 'sqlite')('a unit whose trigger rolls back the whole transaction (RAISE(ROLLBACK)) fails alone; the rest are run again and written', async () => {
    const apps = await newApplications(5);
    const victim = apps[1];
    await sql
      .raw(`create trigger refuse_rollback before insert on audit_log when new.entity_id = '${victim.id}' and new.action = 'application.save' begin select raise(rollback, 'rolled back by the test'); end`)
      .execute(t.ctx.db);
    try {
      const from = groups.length;
      const res = await Promise.all(apps.map((a, i) => a.c.put(`/api/applications/${a.id}`, { version: 1, data: withPlan(`回滚组-${i}`) })));
      expect(res.map((r) => r.status)).toEqual(apps.map((a) => (a === victim ? 500 : 200)));
      for (const [i, a] of apps.entries()) expect(JSON.parse((await stored(a.id)).data).plan).toBe(a === victim ? '初稿' : `回滚组-${i}`);
      await expectChainsClean(apps.map((a) => a.id));
      expect(largestGroupSince(from)).toBeGreaterThan(1);
      // the connection is not left inside a transaction
      expect((await t.ctx.db.transaction().execute(async (trx) => (await sql<{ n: number }>`select 1 as n`.execute(trx)).rows[0].n))).toBe(1);
    } finally {
      await sql`drop trigger if exists refuse_rollback`.execute(t.ctx.db);
    }
  });

  it.runIf(TEST_DB === 'sqlite')('a full database refuses the saves of the group (503) and keeps every acknowledged one; the same saves go through once there is room', async () => {
    const apps = await newApplications(4);
    for (const a of apps) await a.c.get(`/api/applications/${a.id}`);
    const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(t.ctx.db)).rows[0].page_count);
    // no room for another save's text
    await sql.raw(`pragma max_page_count = ${pages}`).execute(t.ctx.db);
    let full: Awaited<ReturnType<TestClient['put']>>[];
    try {
      full = await Promise.all(apps.map((a, i) => a.c.put(`/api/applications/${a.id}`, { version: 1, data: withPlan(`满了-${i}`.repeat(2000)) })));
    } finally {
      await sql.raw(`pragma max_page_count = 1073741823`).execute(t.ctx.db);
    }
    for (const r of full) {
      expect(r.status, JSON.stringify(r.body)).toBe(503);
      expect(r.body.code).toBe('unavailable');
    }
    for (const a of apps) expect((await stored(a.id)).version).toBe(1);
    await expectChainsClean(apps.map((a) => a.id));
    // nothing remembered wrongly: the same saves, based on version 1, are written now
    const res = await Promise.all(apps.map((a, i) => a.c.put(`/api/applications/${a.id}`, { version: 1, data: withPlan(`有空间了-${i}`) })));
    expect(res.map((r) => r.status)).toEqual(apps.map(() => 200));
    await expectChainsClean(apps.map((a) => a.id));
  });

  it('the deadline passing between the saves of one turn: each is decided at its own instant, late ones write nothing and are audited', async () => {
    const apps = await newApplications(8);
    for (const a of apps) await a.c.get(`/api/applications/${a.id}`);
    const deadline = Date.parse('2023-05-20T00:00:00+08:00');
    const clock = t.clock as FixedClock;
    const real = clock.now;
    // every reading of the clock is one millisecond later: the deadline passes amid the turn
    let ms = deadline - 6;
    clock.now = () => new Date(ms++);
    try {
      const res = await Promise.all(apps.map((a, i) => a.c.put(`/api/applications/${a.id}`, { version: 1, data: withPlan(`截止前后-${i}`) })));
      const ok = res.filter((r) => r.status === 200);
      const late = res.filter((r) => r.status !== 200);
      expect(ok.length + late.length).toBe(apps.length);
      for (const r of ok) expect(Date.parse(r.body.updatedAt)).toBeLessThan(deadline);
      for (const r of late) expect(r.body.code, JSON.stringify(r.body)).toBe('deadline_passed');
      expect(late.length).toBeGreaterThan(0);
      const chains = await expectChainsClean(apps.map((a) => a.id));
      for (const [i, a] of apps.entries()) {
        const c = chains.get(a.id)!;
        for (const s of c.steps) expect(Date.parse(s.at)).toBeLessThan(deadline);
        expect(JSON.parse(c.row.data).plan).toBe(res[i].status === 200 ? `截止前后-${i}` : '初稿');
        const refused = await t.ctx.db.selectFrom('audit_log').select('at').where('entity_id', '=', a.id).where('action', '=', 'application.save_refused').execute();
        expect(refused.length).toBe(res[i].status === 200 ? 0 : 1);
      }
    } finally {
      clock.now = real;
      clock.set('2023-05-10T09:00:00+08:00');
    }
  });
});
