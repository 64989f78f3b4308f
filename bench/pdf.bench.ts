/**
 * PDF rendering benchmark (not a test): `npx tsx bench/pdf.bench.ts [renders=500]`.
 * Everything goes through the public API, renderApplicationPdf, that is through the
 * renderer child processes. Prints:
 * - warm render time of a fixture (target < 300 ms) and of a 20,000-字 application
 *   (target < 1.5 s), one child;
 * - renders per second with 1 and 2 children (the machine has 2 cores);
 * - RSS of the whole process tree (this process and its renderer children) over 500
 *   renders with 2 children, which must stay bounded: children are recycled after 100
 *   renders, taking the Typst compiler's native growth (about 1.6 MB per render) with them.
 */
import { readFileSync } from 'node:fs';
import { countWords, type TApplicationData } from '../src/domain';
import { CALL_2023 } from '../src/domain/calls/call-2023';
import { contentHash } from '../src/domain/documents/content-hash';
import { closePdfRenderer, configurePdfRenderer, pdfRendererStatus, renderApplicationPdf } from '../src/server/documents/pdf/render-pdf';
import { treeRss } from './lib/proc';

const fixtureDir = new URL('../../shared/fixtures/applications/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('standards-and-tracking.json', fixtureDir), 'utf8')).application as TApplicationData;
const RENDERS = Number(process.argv[2] ?? 500);

async function render(data: TApplicationData): Promise<number> {
  const t = performance.now();
  const pdf = await renderApplicationPdf({ data, call: CALL_2023, number: '2023-BZ-0001', status: 'submitted', contentHash: contentHash(data), generatedAt: new Date('2023-05-12T02:32:00Z') });
  if (pdf.byteLength < 1000) throw new Error('empty PDF');
  return performance.now() - t;
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n=${s.length})`;
}

/** A long application: the fixture's sections 四五六 grown to about 20,000 字 in all. */
function longApplication(): TApplicationData {
  const d = structuredClone(fixture);
  const grow = (t: string, target: number) => {
    const paras = t.split('\n');
    const out: string[] = [];
    for (let i = 0; countWords(out.join('\n')) < target; i++) out.push(paras[i % paras.length]);
    return out.join('\n');
  };
  d.basis = grow(d.basis!, 6000);
  d.plan = grow(d.plan!, 8000);
  d.outcomes = grow(d.outcomes!, 6000);
  return d;
}


const mb = (n: number) => (n / 1024 / 1024).toFixed(0).padStart(4) + ' MB';

// Each timed render has a different project name: the same document twice is a Typst
// cache hit and would flatter the figures.
const variant = (d: TApplicationData, i: number) => ({ ...d, projectName: `${d.projectName}（第${i}稿）` });

/** `n` renders, `concurrency` in flight at a time; returns wall time in ms. */
async function batch(n: number, concurrency: number, from: number, onDone?: (done: number) => void): Promise<number> {
  const t = performance.now();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await render(variant(fixture, from + i));
        onDone?.(++done);
      }
    }),
  );
  return performance.now() - t;
}

console.log(`rss of this process before any render: ${mb(treeRss().bytes)}`);

configurePdfRenderer({ children: 1 });
const cold = await render(fixture);
console.log(`cold first render (child start: tsx, fonts, compiler, warm-up): ${cold.toFixed(0)} ms`);

const warm: number[] = [];
for (let i = 0; i < 30; i++) warm.push(await render(variant(fixture, i)));
console.log(`fixture, warm, 1 child:              ${stats(warm)}   target < 300 ms`);

const long = longApplication();
const words = countWords(long.basis) + countWords(long.plan) + countWords(long.outcomes);
await render(long);
const longTimes: number[] = [];
for (let i = 0; i < 10; i++) longTimes.push(await render(variant(long, i)));
console.log(`${words} 字 application, warm, 1 child: ${stats(longTimes)}   target < 1500 ms`);

for (const children of [1, 2]) {
  configurePdfRenderer({ children });
  await batch(children * 2, children, 500); // start and warm the children
  const n = 60;
  const ms = await batch(n, children, 600);
  console.log(`throughput, ${children} child${children > 1 ? 'ren' : ''} (fixture, ${children} in flight): ${((n / ms) * 1000).toFixed(1)} renders/s`);
}

console.log(`memory over ${RENDERS} renders, 2 children, 2 in flight, recycled every 100 renders (fixture with a changing project name):`);
configurePdfRenderer({ children: 2, maxRendersPerChild: 100 });
await batch(2, 2, 5000);
const pids = new Set<number>();
let peak = 0;
const samples: number[] = [];
const t0 = performance.now();
await batch(RENDERS, 2, 10_000, (done) => {
  for (const c of pdfRendererStatus().children) if (c.pid) pids.add(c.pid);
  const { bytes, processes } = treeRss();
  peak = Math.max(peak, bytes);
  if (done % 50 === 0) {
    samples.push(bytes);
    const m = process.memoryUsage();
    console.log(`  after ${String(done).padStart(4)}: tree RSS ${mb(bytes)} in ${processes} processes (this process: rss ${mb(m.rss)}, heapUsed ${mb(m.heapUsed)})`);
  }
});
const wall = performance.now() - t0;
console.log(`  ${RENDERS} renders in ${(wall / 1000).toFixed(1)} s (${((RENDERS / wall) * 1000).toFixed(1)} renders/s); children used: ${pids.size}`);
// a sample every 50 renders: fewer renders than that leave none to compare
console.log(`  tree RSS: peak ${mb(peak)}` + (samples.length ? `, first sample ${mb(samples[0]!)}, last ${mb(samples[samples.length - 1]!)}` : ' (no sample: fewer than 50 renders)'));

await closePdfRenderer();
console.log(`after closePdfRenderer(): tree RSS ${mb(treeRss().bytes)} in ${treeRss().processes} process(es)`);
