import { afterEach, describe, expect, it } from 'vitest';
import { seedAccounts, type BenchDb } from '../../bench/lib/db';
import { startServer, type ServerProcess } from '../support/server-process';
import { createApplications } from '../../bench/lib/workload';
import { CLOCK, DATABASES } from './support';

/**
 * Many first submissions of the same sub-programme at the same moment, on a real server:
 * every one answers 200 with its own 申报编号, numbered 1…N without a gap or a repeat (on
 * PostgreSQL the number sequence's first row used to be inserted twice → 500).
 */
describe.each(DATABASES)('simultaneous first submissions on $name', ({ make }) => {
  let bdb: BenchDb | undefined;
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    await bdb?.drop();
  });

  it('numbers every application once, without gaps', async () => {
    bdb = await make();
    const accounts = await seedAccounts(bdb, 30);
    server = await startServer({ ...bdb.env, SHENBAO_CLOCK: CLOCK });
    // one fixture for all: the same sub-programme, so the same number prefix
    const apps = (await createApplications([server.url], accounts)).filter((_, i) => i % 3 === 0);
    const res = await Promise.all(
      apps.map((a) => fetch(`${server!.url}/api/applications/${a.id}/submit`, { method: 'POST', headers: { cookie: a.account.cookie, 'x-csrf-token': a.account.csrf } })),
    );
    expect(res.map((r) => r.status)).toEqual(apps.map(() => 200));
    const numbers: string[] = await Promise.all(res.map(async (r) => ((await r.json()) as any).number));
    expect(new Set(numbers).size).toBe(apps.length);
    const seqs = numbers.map((n) => Number(n.match(/(\d+)$/)![1])).sort((x, y) => x - y);
    expect(seqs).toEqual(apps.map((_, i) => i + 1));
  }, 60_000);
});
