/**
 * One submit's server time, in process (app.inject: no network, no load generator), on
 * SQLite: npx tsx bench/submit-inprocess.bench.ts [submits]. Prints ms per submit
 * (validation of the whole application, the font check of every character, numbering,
 * snapshot, content hash and audit).
 */
import { createTestApp } from '../test/support/app';
import { TestClient } from '../test/support/client';
import { createApplication, fixture, registerOrg } from '../test/support/fixtures';

const n = Number(process.argv[2] ?? 300);
const t = await createTestApp();
const data = fixture('awards').application;
const apps: { c: TestClient; id: string }[] = [];
for (let i = 0; i < n + 20; i++) {
  const c = new TestClient(t.app);
  await registerOrg(c);
  apps.push({ c, id: (await createApplication(c, data)).id });
}
const submit = async (a: { c: TestClient; id: string }) => {
  const r = await a.c.post(`/api/applications/${a.id}/submit`);
  if (r.status !== 200) throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`);
};
for (const a of apps.slice(0, 20)) await submit(a);
const t0 = performance.now();
for (const a of apps.slice(20)) await submit(a);
const ms = (performance.now() - t0) / n;
console.log(`${n} submits: ${ms.toFixed(3)} ms per submit (${Math.round(1000 / ms)} submits/s on one core), load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await t.close();
