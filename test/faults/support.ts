import pg from 'pg';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { PG_ADMIN_URL, postgresDb, sqliteDb, type BenchDb } from '../../bench/lib/db';
import { markerOf, verify, type Acks, type BenchApp } from '../../bench/lib/workload';
import { auditChains, chainProblems } from '../support/audit-chain';

/** True when the PostgreSQL server of PG_ADMIN_URL (BENCH_PG_URL, else TEST_DATABASE_URL) answers. */
export async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** The databases the fault tests run on: SQLite always, PostgreSQL when it answers. */
export const DATABASES: { name: string; make: () => Promise<BenchDb> }[] = [
  { name: 'SQLite', make: async () => sqliteDb() },
  ...((await postgresAvailable()) ? [{ name: 'PostgreSQL', make: postgresDb }] : []),
];

/** The simulated clock of the fault tests: inside the 2023 call's window. */
export const CLOCK = '2023-05-19T22:00:00+08:00';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * After a fault on SQLite: the file passes integrity_check, every acknowledged save is there
 * exactly once and nothing unacknowledged was written, each application's audit chain is
 * contiguous, and each row holds its last acknowledged save's text.
 */
export async function checkStored(bdb: BenchDb, apps: BenchApp[], acks: Acks) {
  const db = bdb.open();
  try {
    expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db.db)).rows[0].integrity_check).toBe('ok');
    const v = await verify(db, apps, acks);
    expect({ lost: v.lost, duplicated: v.duplicated, contentMismatch: v.contentMismatch, unacknowledged: v.unacknowledged }).toEqual({ lost: 0, duplicated: 0, contentMismatch: 0, unacknowledged: 0 });
    const chains = await auditChains(db.db, apps.map((a) => a.id));
    expect(chainProblems(chains)).toEqual([]);
    for (const a of apps) expect(markerOf(chains.get(a.id)!.row.data)).toBe(acks.saves.get(a.id)!.at(-1)!.marker);
  } finally {
    await db.close();
  }
}

/**
 * One save of `app` through the API at `url`, its 四 (plan) ending in `marker`; a 200 moves
 * `app.version` on and is recorded in `acks`. Returns the status, the body and
 * `key` ("503 unavailable": status and code) for counting answers.
 */
export async function saveMarked(url: string, app: BenchApp, marker: string, acks: Acks, signal?: AbortSignal): Promise<{ status: number; body: any; key: string }> {
  const r = await fetch(`${url}/api/applications/${app.id}`, {
    method: 'PUT',
    headers: { cookie: app.account.cookie, 'x-csrf-token': app.account.csrf, 'content-type': 'application/json' },
    body: `{"version":${app.version},"data":${app.head}${marker}${app.tail}}`,
    signal,
  });
  const body: any = await r.json();
  if (r.status === 200) {
    app.version = body.version;
    const l = acks.saves.get(app.id) ?? [];
    l.push({ version: body.version, marker });
    acks.saves.set(app.id, l);
  }
  return { status: r.status, body, key: `${r.status} ${body.code ?? ''}`.trim() };
}
