/**
 * Funder export benchmark (not a test): `npx tsx bench/exports.bench.ts [applications=2000]
 * [pdfs=200]` or `npm run bench:exports`. On SQLite in a temporary folder:
 * - seeds `applications` submitted applications straight into the database (one
 *   organisation each, the three fixtures of shared/fixtures/applications in turn, each with
 *   its own project name, budget, contact and submission time), `pdfs` of them 已受理;
 * - downloads GET /api/calls/2023-xhgf/exports/applications.xlsx from a listening server
 *   as a funder admin: time, bytes, peak RSS; the file is read back (rows, order);
 * - downloads GET …/exports/documents.zip?status=accepted (the `pdfs` applications): time,
 *   PDFs per second, peak RSS of the process tree (this process, which is the server, and
 *   its PDF renderer children); the archive's entries are counted.
 * The responses are streamed to files, so the client side holds no copy in memory.
 * Prints the figures and writes them to bench/RESULTS-exports.md.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { Insertable } from 'kysely';
import { fixedClock } from '../src/domain/clock';
import { contentHash } from '../src/domain/documents/content-hash';
import type { TApplicationData } from '../src/domain/form/application';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { connect } from '../src/server/db/connect';
import type { ApplicationTable, OrganisationTable } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { closePdfRenderer } from '../src/server/documents/pdf/render-pdf';
import { createStaff } from '../src/server/features/auth/auth.service';
import { seedCalls } from '../src/server/features/calls/calls.service';
import type { AppContext } from '../src/server/http/context';
import { loadFixtures, makeUscc } from '../test/support/fixtures';
import { treeRss } from './lib/proc';

const N = Number(process.argv[2] ?? 2000);
const PDFS = Number(process.argv[3] ?? 200);
const CALL = '2023-xhgf';
const startedAt = new Date();
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const loadAtStart = load();

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

/** Sample RSS every 25 ms while `fn` runs: this process alone and the whole tree, peaks. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakSelf: number; peakTree: number; maxProcesses: number }> {
  let peakSelf = process.memoryUsage().rss;
  let peakTree = treeRss().bytes;
  let maxProcesses = 1;
  const timer = setInterval(() => {
    peakSelf = Math.max(peakSelf, process.memoryUsage().rss);
    const t = treeRss();
    peakTree = Math.max(peakTree, t.bytes);
    maxProcesses = Math.max(maxProcesses, t.processes);
  }, 25);
  try {
    const value = await fn();
    return { value, peakSelf, peakTree, maxProcesses };
  } finally {
    clearInterval(timer);
  }
}

// --- the database -------------------------------------------------------------------------
const dir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-bench-exports-'));
const { db, dialect, close } = connect({ dataDir: dir });
await migrateToLatest(db, dialect);
const clock = fixedClock('2023-05-22T10:00:00+08:00');
const ctx: AppContext = { db, dialect, clock, config: { ...loadConfig({}), webDir: '/nonexistent', loginRateLimit: 1000 } };
await seedCalls(ctx);

const fixtures = loadFixtures();
const prefixOf: Record<string, string> = { standards: 'BZ', awards: 'JL', evaluation: 'PJ', tracking: 'GZ' };
const seq = new Map<string, number>();
const tSeed = performance.now();
const windowStart = Date.parse('2023-04-28T00:00:00+08:00');
const windowMs = Date.parse('2023-05-19T23:59:59+08:00') - windowStart;
const acceptedEvery = Math.max(1, Math.floor(N / PDFS));
for (let from = 0; from < N; from += 250) {
  const orgs: Insertable<OrganisationTable>[] = [];
  const apps: Insertable<ApplicationTable>[] = [];
  for (let i = from; i < Math.min(N, from + 250); i++) {
    const f = fixtures[i % fixtures.length];
    const data = structuredClone(f.application) as TApplicationData;
    data.projectName = `${data.projectName}（第${i + 1}项）`;
    data.cover = { ...data.cover, contactName: `${data.cover?.contactName ?? '联系人'}${i % 97}`, mobile: `138${String(10_000_000 + i).slice(-8)}` };
    // budgets that need exact sums: 4 decimals here and there
    const cast = 10 + (i % 23) + (i % 7) / 10 + (i % 3) / 10_000;
    const self = (i % 11) / 4;
    data.budget = { ...data.budget, castFunds: cast.toFixed(4), otherNational: '0', selfRaised: self.toFixed(2), items: [{ content: '合计', amount: (cast + self).toFixed(4), basis: '按预算测算' }] };
    const orgId = randomUUID();
    const prefix = prefixOf[data.subProgrammes![0]];
    const n = (seq.get(prefix) ?? 0) + 1;
    seq.set(prefix, n);
    const submittedAt = new Date(windowStart + Math.floor(((i * 7919) % N) / N * windowMs)).toISOString();
    orgs.push({ id: orgId, name: `${f.organisation.name}（${i + 1}）`, uscc: makeUscc(i + 1), type: f.organisation.type, verification: 'verified', created_at: submittedAt });
    const json = JSON.stringify(data);
    apps.push({
      id: randomUUID(),
      call_code: CALL,
      organisation_id: orgId,
      // every `acceptedEvery`-th application is 已受理 (PDFS of them): the .zip benchmark exports those
      status: i % acceptedEvery === 0 && i / acceptedEvery < PDFS ? 'accepted' : 'submitted',
      version: 3,
      number: `2023-${prefix}-${String(n).padStart(4, '0')}`,
      data: json,
      submitted_at: submittedAt,
      submitted_data: json,
      submitted_hash: contentHash(data),
      created_by: randomUUID(),
      created_at: submittedAt,
      updated_at: submittedAt,
    });
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values(orgs).execute();
    await trx.insertInto('applications').values(apps).execute();
  });
}
const accepted = Number((await db.selectFrom('applications').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'accepted').executeTakeFirstOrThrow()).n);
console.log(`seeded ${N} submitted applications (${accepted} 已受理) in ${((performance.now() - tSeed) / 1000).toFixed(1)} s, SQLite at ${dir}`);

// --- the server and a funder admin's session ------------------------------------------------
await createStaff(ctx, { name: '基准测试管理员', email: 'bench-funder@example.cn', mobile: '13900000001', password: 'bench-funder-password' });
const app = await buildApp(ctx);
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as AddressInfo;
const session = await app.inject({ method: 'GET', url: '/api/session' });
const cookies = () => session.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const csrf = (session.json() as { csrfToken: string }).csrfToken;
const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: cookies(), 'x-csrf-token': csrf }, payload: { login: 'bench-funder@example.cn', password: 'bench-funder-password' } });
if (login.statusCode !== 200) throw new Error(`login ${login.statusCode} ${login.body}`);
const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

/** GET `url` from the listening server into `file`; time to first byte and to the end. */
function download(url: string, file: string): Promise<{ status: number; count: string; ttfbMs: number; ms: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, headers: { cookie } }, (res) => {
        let ttfb = 0;
        res.once('data', () => (ttfb = performance.now() - t0));
        pipeline(res, createWriteStream(file)).then(
          () => resolve({ status: res.statusCode ?? 0, count: String(res.headers['x-export-count']), ttfbMs: ttfb, ms: performance.now() - t0, bytes: statSync(file).size }),
          reject,
        );
      })
      .on('error', reject);
  });
}

// --- the .xlsx -----------------------------------------------------------------------------
const xlsxFile = path.join(dir, 'summary.xlsx');
const rssBeforeXlsx = process.memoryUsage().rss;
const xlsx = await withPeakRss(() => download(`/api/calls/${CALL}/exports/applications.xlsx`, xlsxFile));
if (xlsx.value.status !== 200) throw new Error(`xlsx: ${xlsx.value.status} ${readFileSync(xlsxFile, 'utf8').slice(0, 300)}`);
const wb = new ExcelJS.Workbook();
await wb.xlsx.readFile(xlsxFile);
const sheet = wb.getWorksheet('申报汇总')!;
const numbers = Array.from({ length: sheet.rowCount - 1 }, (_, i) => String(sheet.getRow(i + 2).getCell(1).value));
if (numbers.length !== N || numbers.some((n, i) => i > 0 && numbers[i - 1] >= n)) throw new Error(`xlsx: ${numbers.length} rows, or not in order of 申报编号`);
const xlsxLine = `${N} rows in ${(xlsx.value.ms / 1000).toFixed(2)} s (first byte after ${xlsx.value.ttfbMs.toFixed(0)} ms), ${(xlsx.value.bytes / 1024).toFixed(0)} KB; server process RSS ${mb(rssBeforeXlsx)} before, peak ${mb(xlsx.peakSelf)}`;
console.log(`applications.xlsx: ${xlsxLine}`);

// --- the .zip of PDFs ------------------------------------------------------------------------
const zipFile = path.join(dir, 'documents.zip');
const treeBefore = treeRss();
const zip = await withPeakRss(() => download(`/api/calls/${CALL}/exports/documents.zip?status=accepted`, zipFile));
if (zip.value.status !== 200) throw new Error(`zip: ${zip.value.status} ${readFileSync(zipFile, 'utf8').slice(0, 300)}`);
const raw = readFileSync(zipFile);
let entries = 0;
for (let at = 0; raw.readUInt32LE(at) === 0x04034b50; entries++) at += 30 + raw.readUInt16LE(at + 26) + raw.readUInt16LE(at + 28) + raw.readUInt32LE(at + 18);
if (entries !== accepted || zip.value.count !== String(accepted)) throw new Error(`zip: ${entries} entries, header ${zip.value.count}, expected ${accepted}`);
const pps = entries / (zip.value.ms / 1000);
const zipLine = `${entries} PDFs in ${(zip.value.ms / 1000).toFixed(1)} s = ${pps.toFixed(1)} PDFs/s (first byte after ${zip.value.ttfbMs.toFixed(0)} ms, renderer children started cold), ${mb(zip.value.bytes)}; process tree RSS ${mb(treeBefore.bytes)} before, peak ${mb(zip.peakTree)} in up to ${zip.maxProcesses} processes (server process alone: peak ${mb(zip.peakSelf)})`;
console.log(`documents.zip: ${zipLine}`);

await app.close();
await closePdfRenderer();
await close();
rmSync(dir, { recursive: true, force: true });

const cpu = os.cpus();
const md = `## Exports

- Date: ${startedAt.toISOString()} (finished ${new Date().toISOString()})
- Command: \`npm run bench:exports\` (\`npx tsx bench/exports.bench.ts ${N} ${PDFS}\`)
- Machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}
- Load average (1/5/15 min) at start: ${loadAtStart}; at end: ${load()}
- Setup: SQLite in a temporary folder; ${N} submitted applications seeded straight into the database (the three fixtures of shared/fixtures/applications in turn, each its own organisation, project name, budget and contact), ${accepted} of them 已受理. The server listens on 127.0.0.1 in the benchmark's process; the client streams each download to a file. PDF renderer: 2 child processes, 2 renders at a time (ZIP_RENDER_CONCURRENCY).

| export | result |
| --- | --- |
| \`GET /api/calls/${CALL}/exports/applications.xlsx\` (every submitted application) | ${xlsxLine} |
| \`GET /api/calls/${CALL}/exports/documents.zip?status=accepted\` | ${zipLine} |

The .xlsx was read back with exceljs (${N} rows in order of 申报编号) and the .zip's ${entries} entries counted from their local headers.

- The .xlsx rows leave the server as they are written, a hundred at a time; what stays in memory
  to the end is Excel's table of distinct texts (shared strings), written last.
- The .zip's first byte waits for the first PDF, here including the start of the two renderer
  children (tsx, fonts, Typst); then each PDF is sent as soon as it and those before it are done.
  The tree's peak is mostly the two renderer children (about 300 MB each with fonts and
  compiler, as in the PDF benchmark), not the archive: it is never held whole.
- Other engineers' test runs may share the 2 cores (see the load average): the times are upper bounds.
`;
// BENCH_EXPORTS_OUT: where bench/run.ts wants the section (its quick mode must not overwrite the reference figures)
const outFile = process.env.BENCH_EXPORTS_OUT ?? new URL('./RESULTS-exports.md', import.meta.url).pathname;
writeFileSync(outFile, md);
console.log(`\nwritten ${outFile}`);
