import { afterEach, describe, expect, it } from 'vitest';
import { changedPaths } from '../../src/server/features/applications/applications.service';
import { seedAccounts, type Account, type BenchDb } from '../../bench/lib/db';
import { startServer, type ServerProcess } from '../support/server-process';
import { markerOf } from '../../bench/lib/workload';
import { auditChains, chainProblems } from '../support/audit-chain';
import { fixture } from '../support/fixtures';
import { DATABASES, sleep } from './support';

/** The 2023 call closes at the end of 2023-05-19, 北京时间. */
const DEADLINE = Date.parse('2023-05-20T00:00:00+08:00');
/** How long before the deadline the servers' clocks start (they then run in real time). */
const LEAD_MS = 14_000;
/** How long the load goes on once every server's clock has passed the deadline. */
const AFTER_MS = 2_000;
const MARK = '【压测标记】';

/** A seeded random number generator (mulberry32): a failing run can be told apart from the next. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface App {
  id: string;
  account: Account;
  /** the fixture's data; a save sends it with `plan` ending in MARK + a marker, and a 专项 list */
  base: any;
  /** the 专项 lists a save may send: the fixture's, and for a movable application another */
  subOptions: string[][];
}

/** What one request got back. */
interface Answer {
  app: string;
  op: 'save' | 'submit' | 'withdraw' | 'get' | 'intrude';
  status: number;
  code?: string;
  body: any;
  marker?: string;
  subs?: string[];
  baseVersion?: number;
  server: number;
  /** wall-clock time the request was sent */
  sentAt: number;
}

const dataOf = (app: App, marker: string | undefined, subs: string[]) => (marker === undefined ? app.base : { ...app.base, plan: (app.base.plan ?? '') + MARK + marker, subProgrammes: subs });

/**
 * A save surge with everything else a deadline day brings, on real server processes (one on
 * SQLite, two on one PostgreSQL database): every application is open in two tabs (on
 * PostgreSQL, one per server), which save as fast as they can — now and then moving the
 * application to another 专项 (another transaction path; for half of them a 专项 the
 * organisation already holds) — submit, withdraw and re-read it; other organisations try to
 * write applications not theirs; and the servers' clocks pass the deadline during the run.
 *
 * Then, in the database: each application's audit chain is contiguous and ends at its row
 * (test/support/audit-chain.ts); the saves in it are exactly the acknowledged ones (every
 * request was answered, so none may be missing and none extra), each with the audit diff
 * against the version it was based on; the withdrawals and submissions in it are the
 * acknowledged ones; the row holds the last acknowledged save's text; numbers are unique;
 * no write is stamped at or after the deadline and none was accepted once a server's clock
 * had passed it; every refused save, submit and late withdrawal is audited; no other
 * organisation wrote anything.
 */
describe.each(DATABASES)('save surge with submits, withdrawals, intruders and the deadline on $name', ({ name, make }) => {
  let bdb: BenchDb | undefined;
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    await bdb?.drop();
  });

  it('stores exactly what was acknowledged, in contiguous audit chains, and nothing after the deadline', async () => {
    const seed = Number(process.env.STRESS_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    const context = `seed ${seed} (STRESS_SEED=${seed} replays the same random choices, not the same interleaving)`;
    bdb = await make();
    const orgs = 14;
    const accounts = await seedAccounts(bdb, orgs + 1);
    const intruder = accounts[orgs];
    const clock = new Date(DEADLINE - LEAD_MS).toISOString();
    const nServers = name === 'SQLite' ? 1 : 2;
    servers.push(...(await Promise.all(Array.from({ length: nServers }, () => startServer({ ...bdb!.env, SHENBAO_CLOCK: clock })))));
    const urls = servers.map((s) => s.url);

    // each organisation's 奖励 application, movable to 评估; every other one also has a 评估 application
    const awards = fixture('awards').application;
    const evaluation = fixture('evaluation-with-partner').application;
    const apps: App[] = [];
    for (const [i, account] of accounts.slice(0, orgs).entries()) {
      apps.push({ id: '', account, base: awards, subOptions: [['awards'], ['evaluation']] });
      if (i % 2 === 0) apps.push({ id: '', account, base: evaluation, subOptions: [['evaluation']] });
    }
    await Promise.all(
      apps.map(async (a, i) => {
        const r = await fetch(`${urls[i % urls.length]}/api/applications`, {
          method: 'POST',
          headers: { cookie: a.account.cookie, 'x-csrf-token': a.account.csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ callCode: '2023-xhgf', data: a.base }),
        });
        const b: any = await r.json();
        if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(b)}`);
        a.id = b.id;
        // the data as the server stored it (the audit diffs are against that)
        a.base = b.data;
      }),
    );

    // each server's clock against ours
    const offsets = await Promise.all(
      urls.map(async (u) => {
        const t0 = Date.now();
        const b: any = await (await fetch(`${u}/api/session`)).json();
        return Date.parse(b.now) - (t0 + Date.now()) / 2;
      }),
    );
    const serverTime = (server: number, at: number) => at + offsets[server];
    const beforeDeadline = DEADLINE - serverTime(0, Date.now());
    expect(beforeDeadline, 'the setup took so long that the deadline passed before the load began').toBeGreaterThan(3000);

    const answers: Answer[] = [];
    const unexpected: string[] = [];
    let stop = false;
    let seq = 0;

    async function request(server: number, method: string, path: string, account: Account, body?: string) {
      const r = await fetch(urls[server] + path, {
        method,
        headers: { cookie: account.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': account.csrf }), ...(body ? { 'content-type': 'application/json' } : {}) },
        body,
        signal: AbortSignal.timeout(20_000),
      });
      const text = await r.text();
      let parsed: any;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { raw: text.slice(0, 200) };
      }
      return { status: r.status, body: parsed };
    }

    /** One tab of one application: what it last knew of it, and its loop of requests. */
    async function tab(app: App, server: number, tabNo: number) {
      let version: number | undefined;
      let subs = app.subOptions[0];
      /** the last answer said the application is submitted: a person who wants to edit withdraws it */
      let submitted = false;
      while (!stop) {
        const sentAt = Date.now();
        try {
          if (version === undefined || random() < 0.02) {
            const r = await request(server, 'GET', `/api/applications/${app.id}`, app.account);
            answers.push({ app: app.id, op: 'get', status: r.status, body: r.body, server, sentAt });
            if (r.status !== 200) unexpected.push(`GET ${app.id}: ${r.status} ${JSON.stringify(r.body)}`);
            else {
              version = r.body.version;
              subs = r.body.data.subProgrammes ?? [];
            }
            continue;
          }
          const p = submitted && random() < 0.5 ? 1 : random();
          if (p < 0.86) {
            const move = app.subOptions.length > 1 && p > 0.78;
            const send = move ? app.subOptions.find((s) => s.join() !== subs.join())! : subs;
            const marker = `t${tabNo}-${++seq}`;
            const r = await request(server, 'PUT', `/api/applications/${app.id}`, app.account, JSON.stringify({ version, data: dataOf(app, marker, send) }));
            answers.push({ app: app.id, op: 'save', status: r.status, code: r.body.code, body: r.body, marker, subs: send, baseVersion: version, server, sentAt });
            if (r.status === 200) {
              version = r.body.version;
              subs = send;
            } else if (r.status === 409 && r.body.code === 'version_conflict') {
              version = r.body.current.version;
              subs = r.body.current.data.subProgrammes ?? [];
            } else if (r.status === 409 && r.body.code === 'not_editable') {
              version = undefined;
              submitted = true;
            }
            else if (!(r.status === 409 && ['duplicate_subprogramme', 'deadline_passed'].includes(r.body.code)))
              unexpected.push(`save ${app.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
          } else if (p < 0.91) {
            const r = await request(server, 'POST', `/api/applications/${app.id}/submit`, app.account);
            answers.push({ app: app.id, op: 'submit', status: r.status, code: r.body.code, body: r.body, server, sentAt });
            version = undefined;
            submitted = r.status === 200;
            if (r.status !== 200 && !(r.status === 409 && ['version_conflict', 'deadline_passed'].includes(r.body.code)) && !(r.status === 422 && r.body.code === 'has_errors'))
              unexpected.push(`submit ${app.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
          } else {
            const r = await request(server, 'POST', `/api/applications/${app.id}/withdraw`, app.account);
            answers.push({ app: app.id, op: 'withdraw', status: r.status, code: r.body.code, body: r.body, server, sentAt });
            submitted = false;
            if (r.status === 200) version = r.body.version;
            else if (!(r.status === 409 && ['not_editable', 'version_conflict', 'deadline_passed'].includes(r.body.code)))
              unexpected.push(`withdraw ${app.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
          }
        } catch (e) {
          unexpected.push(`${app.id} on server ${server}: ${String(e)}`);
          version = undefined;
        }
        if (random() < 0.3) await sleep(Math.floor(random() * 4));
      }
    }

    /** Another organisation: saves, submits and withdraws applications that are not its own, at plausible versions. */
    async function intrude(server: number) {
      while (!stop) {
        const app = apps[Math.floor(random() * apps.length)];
        const p = random();
        const sentAt = Date.now();
        try {
          const r =
            p < 0.8
              ? await request(server, 'PUT', `/api/applications/${app.id}`, intruder, JSON.stringify({ version: 1 + Math.floor(random() * 30), data: dataOf(app, `intruder-${++seq}`, app.subOptions[0]) }))
              : await request(server, 'POST', `/api/applications/${app.id}/${p < 0.9 ? 'submit' : 'withdraw'}`, intruder);
          answers.push({ app: app.id, op: 'intrude', status: r.status, code: r.body.code, body: r.body, server, sentAt });
          if (r.status !== 404) unexpected.push(`another organisation on ${app.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        } catch (e) {
          unexpected.push(`intruder on ${app.id}: ${String(e)}`);
        }
        await sleep(3);
      }
    }

    const loops = [...apps.flatMap((a, i) => [tab(a, i % nServers, 2 * i), tab(a, (i + 1) % nServers, 2 * i + 1)]), ...urls.map((_, s) => intrude(s))];
    // until every server's clock is AFTER_MS past the deadline
    while (Math.min(...urls.map((_, s) => serverTime(s, Date.now()))) < DEADLINE + AFTER_MS) await sleep(100);
    stop = true;
    await Promise.all(loops);
    for (const s of servers.splice(0)) await s.stop();

    const tally: Record<string, number> = {};
    for (const a of answers) tally[`${a.op} ${a.status}${a.code ? ' ' + a.code : ''}`] = (tally[`${a.op} ${a.status}${a.code ? ' ' + a.code : ''}`] ?? 0) + 1;
    console.info(`${name}, ${context}: ${Math.round(beforeDeadline / 100) / 10} s before the deadline; ${JSON.stringify(tally)}`);
    expect(unexpected.slice(0, 20), context).toEqual([]);
    const saves = answers.filter((a) => a.op === 'save');
    const acked = saves.filter((a) => a.status === 200);
    // the load was real: many saves, some of each kind of answer
    expect(acked.length, context).toBeGreaterThan(300);
    expect(answers.filter((a) => a.op === 'submit' && a.status === 200).length, context).toBeGreaterThan(10);
    expect(answers.filter((a) => a.op === 'withdraw' && a.status === 200).length, context).toBeGreaterThan(5);
    expect(saves.filter((a) => a.code === 'version_conflict').length, context).toBeGreaterThan(10);
    expect(saves.filter((a) => a.code === 'deadline_passed').length, context).toBeGreaterThan(10);
    // nothing accepted once the server's own clock had passed the deadline (50 ms for the request to arrive)
    const lateWrites = answers.filter((a) => ['save', 'withdraw'].includes(a.op) && a.status === 200 && serverTime(a.server, a.sentAt) > DEADLINE + 50);
    expect(lateWrites.map((a) => `${a.op} ${a.app} sent at server time ${new Date(serverTime(a.server, a.sentAt)).toISOString()}`), context).toEqual([]);
    for (const a of acked) expect(Date.parse(a.body.updatedAt), context).toBeLessThan(DEADLINE);

    const db = bdb.open();
    try {
      const chains = await auditChains(db.db, apps.map((a) => a.id));
      expect(chainProblems(chains), context).toEqual([]);
      const problems: string[] = [];
      const numbers = new Map<string, string>();
      const refusedAudits = await db.db
        .selectFrom('audit_log')
        .select(['entity_id', 'action'])
        .where('entity_id', 'in', apps.map((a) => a.id))
        .where('action', 'in', ['application.save_refused', 'application.submit_refused', 'application.withdraw_refused'])
        .execute();
      for (const app of apps) {
        const c = chains.get(app.id)!;
        const mine = answers.filter((a) => a.app === app.id);
        const savesAcked = new Map(mine.filter((a) => a.op === 'save' && a.status === 200).map((a) => [a.body.version as number, a]));
        const say = (s: string) => problems.push(`${app.id}: ${s}`);
        if (savesAcked.size !== mine.filter((a) => a.op === 'save' && a.status === 200).length) say('one version acknowledged to two saves');
        // the saves in the chain are exactly the acknowledged ones, each diffed against its base
        const inChain = c.steps.filter((s) => s.action === 'application.save');
        for (const v of savesAcked.keys()) if (!inChain.some((s) => s.version === v)) say(`acknowledged save to version ${v} is not stored`);
        let data = app.base;
        let lastSave: Answer | undefined;
        for (const s of c.steps) {
          if (s.actorUserId !== app.account.userId) say(`${s.action} to version ${s.version} by ${s.actorUserId}, not the owner`);
          if (Date.parse(s.at) >= DEADLINE) say(`${s.action} to version ${s.version} stamped ${s.at}, after the deadline`);
          if (s.action !== 'application.save') continue;
          const ack = savesAcked.get(s.version);
          if (!ack) {
            say(`save to version ${s.version} is stored but was never acknowledged`);
            continue;
          }
          if (ack.baseVersion !== s.version - 1) say(`save to version ${s.version} was sent on version ${ack.baseVersion}`);
          const next = dataOf(app, ack.marker, ack.subs!);
          const expected = changedPaths(data, next).sort();
          if ([...s.details.changed].sort().join() !== expected.join()) say(`save to version ${s.version} audited as changing [${s.details.changed}], it changed [${expected}]`);
          data = next;
          lastSave = ack;
        }
        const withdrawals = new Set(mine.filter((a) => a.op === 'withdraw' && a.status === 200).map((a) => a.body.version as number));
        const withdrawn = new Set(c.steps.filter((s) => s.action === 'application.withdraw').map((s) => s.version));
        if ([...withdrawals].sort().join() !== [...withdrawn].sort().join()) say(`withdrawals acknowledged at [${[...withdrawals]}], stored at [${[...withdrawn]}]`);
        const submitted = c.steps.filter((s) => s.action === 'application.submit').map((s) => `${s.details.number}@${s.at}`);
        const submitAcks = new Set(mine.filter((a) => a.op === 'submit' && a.status === 200).map((a) => `${a.body.number}@${a.body.submittedAt}`));
        if ([...new Set(submitted)].sort().join() !== [...submitAcks].sort().join() || new Set(submitted).size !== submitted.length)
          say(`submissions acknowledged [${[...submitAcks]}], stored [${submitted}]`);
        // the row holds the last save's text
        if (markerOf(c.row.data) !== (lastSave?.marker ?? '')) say(`row holds marker '${markerOf(c.row.data)}', the last stored save sent '${lastSave?.marker}'`);
        if (JSON.stringify(JSON.parse(c.row.data).subProgrammes) !== JSON.stringify(lastSave?.subs ?? app.subOptions[0])) say(`row names 专项 ${JSON.parse(c.row.data).subProgrammes}`);
        if (c.row.number) {
          if (numbers.has(c.row.number)) say(`number ${c.row.number} also given to ${numbers.get(c.row.number)}`);
          numbers.set(c.row.number, app.id);
        }
        if (Date.parse(c.row.updated_at) >= DEADLINE) say(`updated at ${c.row.updated_at}`);
        // every refusal of the owner's save for the deadline, every refused submit and late withdrawal is in the audit log
        const count = (action: string) => refusedAudits.filter((r) => r.entity_id === app.id && r.action === action).length;
        const refusedSaves = mine.filter((a) => a.op === 'save' && a.code === 'deadline_passed').length;
        if (count('application.save_refused') !== refusedSaves) say(`${refusedSaves} saves refused for the deadline, ${count('application.save_refused')} audited`);
        const refusedSubmits = mine.filter((a) => a.op === 'submit' && a.status !== 200).length;
        if (count('application.submit_refused') !== refusedSubmits) say(`${refusedSubmits} submits refused, ${count('application.submit_refused')} audited`);
        const lateWithdrawals = mine.filter((a) => a.op === 'withdraw' && a.code === 'deadline_passed').length;
        if (count('application.withdraw_refused') !== lateWithdrawals) say(`${lateWithdrawals} withdrawals refused for the deadline, ${count('application.withdraw_refused')} audited`);
      }
      expect(problems.slice(0, 30), context).toEqual([]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
