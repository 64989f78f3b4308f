/**
 * PDF rendering benchmark (not a test): `npx tsx bench/pdf.bench.ts`.
 * Prints warm render times of a fixture (target < 300 ms) and of a 20,000-字 application
 * (target < 1.5 s), and RSS / heap over 200 renders in a row (should stay flat).
 */
import { readFileSync } from 'node:fs';
import { countWords, type TApplicationData } from '../src/domain';
import { CALL_2023 } from '../src/domain/calls/call-2023';
import { contentHash } from '../src/server/documents/content-hash';
import { renderApplicationPdfSync } from '../src/server/documents/pdf/render-pdf';

const fixtureDir = new URL('../../shared/fixtures/applications/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('standards-and-tracking.json', fixtureDir), 'utf8')).application as TApplicationData;

function render(data: TApplicationData): number {
  const t = performance.now();
  const pdf = renderApplicationPdfSync({ data, call: CALL_2023, number: '2023-BZ-0001', status: 'submitted', contentHash: contentHash(data), generatedAt: new Date('2023-05-12T02:32:00Z') });
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

const cold = render(fixture);
console.log(`cold first render (fonts + compiler): ${cold.toFixed(0)} ms`);

// Each timed render has a different project name: the same document twice is a Typst
// cache hit and would flatter the figures.
const variant = (d: TApplicationData, i: number) => ({ ...d, projectName: `${d.projectName}（第${i}稿）` });
const warm: number[] = [];
for (let i = 0; i < 30; i++) warm.push(render(variant(fixture, i)));
console.log(`fixture, warm:            ${stats(warm)}   target < 300 ms`);

const long = longApplication();
const words = countWords(long.basis) + countWords(long.plan) + countWords(long.outcomes);
render(long);
const longTimes: number[] = [];
for (let i = 0; i < 10; i++) longTimes.push(render(variant(long, i)));
console.log(`${words} 字 application, warm: ${stats(longTimes)}   target < 1500 ms`);

console.log('memory over 200 renders in a row (fixture with a changing project name, so nothing is a pure cache hit):');
const times: number[] = [];
let rss1 = 0;
for (let i = 1; i <= 200; i++) {
  times.push(render(variant(fixture, 1000 + i)));
  if (i === 1) rss1 = process.memoryUsage().rss;
  if (i === 1 || i % 40 === 0) {
    const m = process.memoryUsage();
    console.log(`  after ${String(i).padStart(3)}: rss ${mb(m.rss)}, heapUsed ${mb(m.heapUsed)}, external ${mb(m.external)}`);
  }
}
console.log(`  render times over the 200: ${stats(times)}`);
console.log(`  RSS growth: ${((process.memoryUsage().rss - rss1) / 199 / 1024 / 1024).toFixed(2)} MB per render (heap is the JS part; the rest is Typst's native memory)`);
