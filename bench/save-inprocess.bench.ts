/**
 * One save's server time, in process (app.inject: no network, no load generator), on
 * SQLite: npx tsx bench/save-inprocess.bench.ts [saves]. Prints ms per save.
 */
import { createTestApp } from '../test/support/app';
import { TestClient } from '../test/support/client';
import { createApplication, fixture, registerOrg } from '../test/support/fixtures';

const n = Number(process.argv[2] ?? 2000);
const t = await createTestApp();
const c = new TestClient(t.app);
await registerOrg(c);
const data = fixture('awards').application;
const app = await createApplication(c, data);
let version = app.version;
const save = async (i: number) => {
  const r = await c.put(`/api/applications/${app.id}`, { version, data: { ...data, plan: (data.plan ?? '') + i } });
  if (r.status !== 200) throw new Error(`save ${i}: ${r.status} ${JSON.stringify(r.body)}`);
  version = r.body.version;
};
for (let i = 0; i < 200; i++) await save(i);
const t0 = performance.now();
for (let i = 0; i < n; i++) await save(i + 200);
const ms = (performance.now() - t0) / n;
console.log(`${n} saves: ${ms.toFixed(3)} ms per save (${Math.round(1000 / ms)} saves/s on one core), load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await t.close();
