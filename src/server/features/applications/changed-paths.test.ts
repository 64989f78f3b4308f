import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedPaths } from './applications.service';

/** The first implementation (re-serialising every leaf), kept as the reference. */
function reference(a: unknown, b: unknown, prefix = '', out: string[] = [], max = 50): string[] {
  if (out.length >= max) return out;
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    // own properties only: JSON.parse('{"__proto__":{}}') has an own "__proto__", which {} lacks (it inherits one)
    const own = (o: object, k: string) => (Object.hasOwn(o, k) ? (o as any)[k] : undefined);
    for (const k of keys) reference(own(a as object, k), own(b as object, k), Array.isArray(a) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k, out, max);
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(prefix || '(root)');
  return out;
}

describe('changedPaths (the audit record of a save)', () => {
  it('names the changed leaves, grown arrays and type changes', () => {
    const before = { plan: '甲', team: [{ name: '张三', age: 40 }], budget: { items: [{ amount: '1' }] }, x: null };
    const after = { plan: '乙', team: [{ name: '张三', age: 41 }, { name: '李四', age: 30 }], budget: { items: [] }, x: { y: 1 }, z: 'new' };
    expect(changedPaths(before, after)).toEqual(['plan', 'team[0].age', 'team[1]', 'budget.items[0]', 'x', 'z']);
    expect(changedPaths(before, structuredClone(before))).toEqual([]);
    expect(changedPaths(1, 2)).toEqual(['(root)']);
  });

  it('stops at max paths', () => {
    const a = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i + 1]));
    expect(changedPaths(a, b)).toHaveLength(50);
  });

  it('agrees with the re-serialising reference on random JSON', () => {
    const value = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)));
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(changedPaths(a, b)).toEqual(reference(a, b));
        expect(changedPaths(a, structuredClone(a))).toEqual([]);
      }),
      { numRuns: 2000, examples: [[{}, { toString: false }], [{ constructor: 1 }, {}], [{}, JSON.parse('{"__proto__":{}}')], [JSON.parse('{"__proto__":{}}'), {}]] },
    );
  });
});
