/**
 * Summarise a V8 .cpuprofile (node --cpu-prof): self time by function and by file.
 * Usage: tsx bench/profile-summary.ts <file.cpuprofile> [top=30]
 */
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 30);
const dt = new Map<number, number>();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
for (const n of prof.nodes) {
  const t = dt.get(n.id) ?? 0;
  if (!t) continue;
  const cf = n.callFrame;
  const where = (cf.url || '(native)').replace(/^file:\/\/\/work\/main\//, '');
  const key = `${cf.functionName || '(anonymous)'}  ${where}:${cf.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
  const pkg = where.includes('node_modules/') ? 'node_modules/' + where.split('node_modules/').pop()!.split('/').slice(0, where.includes('/@') ? 2 : 1).join('/') : where;
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + t);
}
// inclusive (total) time: each sample counts once for every distinct function on its stack
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nodeById = new Map<number, any>(prof.nodes.map((n: any) => [n.id, n]));
const inclusive = new Map<string, number>();
for (const [id, t] of dt) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const cf = nodeById.get(cur).callFrame;
    if (!cf.url.includes('/src/') && !cf.url.includes('/bench/')) continue;
    const key = `${cf.functionName || '(anonymous)'}  ${cf.url.replace(/^file:\/\/\/work\/main\//, '')}:${cf.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + t);
  }
}
const show = (m: Map<string, number>) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`total ${(total / 1e6).toFixed(1)} s sampled\n\n— self time by function —\n${show(byFn)}\n\n— self time by file / package —\n${show(byFile)}\n\n— total time of the project's own functions (incl. callees) —\n${show(inclusive)}`);
