import type { TApplicationData } from '../../domain';
import { getPath, jsonEqual, setPath } from './paths';

/**
 * Three-way merge of application data after a version conflict (someone else — another tab,
 * another person — saved in between). Compared per unit: top-level scalars and arrays, and
 * the fields one level inside the object sections (cover.phone, contacts.unitHead, budget.items…).
 * A unit changed only on one side is taken from that side; a unit changed differently on both
 * sides is a conflict the person must decide. Nothing is overwritten silently.
 */
export interface MergeUnit {
  path: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface MergePlan {
  /** Both sides changed the unit differently: ask. */
  conflicts: MergeUnit[];
  /** Only the server side changed: taken from the server. */
  takenFromServer: string[];
  /** The merged data with every non-conflicting unit resolved and conflicts set to mine. */
  merged: TApplicationData;
}

const NESTED = new Set(['cover', 'contacts', 'applicantProfile', 'schedule', 'budget', 'eligibility', 'endorsement']);

function units(a: unknown, b: unknown, c: unknown): string[] {
  const keys = new Set<string>();
  for (const o of [a, b, c]) if (o && typeof o === 'object') Object.keys(o).forEach((k) => keys.add(k));
  const out: string[] = [];
  for (const k of keys) {
    if (NESTED.has(k)) {
      const inner = new Set<string>();
      for (const o of [a, b, c]) {
        const v = (o as Record<string, unknown> | undefined)?.[k];
        if (v && typeof v === 'object' && !Array.isArray(v)) Object.keys(v).forEach((x) => inner.add(x));
      }
      if (inner.size === 0) out.push(k);
      else for (const x of inner) out.push(`${k}.${x}`);
    } else out.push(k);
  }
  return out;
}

export function planMerge(base: TApplicationData, mine: TApplicationData, theirs: TApplicationData): MergePlan {
  let merged = mine;
  const conflicts: MergeUnit[] = [];
  const takenFromServer: string[] = [];
  for (const path of units(base, mine, theirs)) {
    const b = getPath(base, path);
    const m = getPath(mine, path);
    const t = getPath(theirs, path);
    if (jsonEqual(m, t)) continue;
    const mineChanged = !jsonEqual(b, m);
    const theirsChanged = !jsonEqual(b, t);
    if (theirsChanged && !mineChanged) {
      merged = setPath(merged, path, t);
      takenFromServer.push(path);
    } else if (theirsChanged && mineChanged) {
      conflicts.push({ path, base: b, mine: m, theirs: t });
    }
    // mine changed only: keep mine (already in merged)
  }
  return { conflicts, takenFromServer, merged };
}

/** Apply the person's choices ('mine' | 'theirs' per conflict path) to a plan. */
export function applyChoices(plan: MergePlan, choices: Record<string, 'mine' | 'theirs' | 'both'>): TApplicationData {
  let out = plan.merged;
  for (const c of plan.conflicts) {
    const v = choices[c.path] === 'theirs' ? c.theirs : choices[c.path] === 'both' && canKeepBoth(c) ? `${c.mine}\n${c.theirs}` : c.mine;
    out = setPath(out, c.path, v);
  }
  return out;
}

/** Two texts can both be kept (mine first, then the other one, as separate paragraphs). */
export function canKeepBoth(c: { mine: unknown; theirs: unknown }): boolean {
  return typeof c.mine === 'string' && typeof c.theirs === 'string' && c.mine !== '' && c.theirs !== '';
}

/**
 * Where two long texts differ: the part of each between their common beginning and common
 * end, with a little context, so a change at the end of a long section is visible at once.
 */
export function differingPart(a: string, b: string, context = 20): { a: string; b: string } {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
  const cut = (s: string) => {
    const from = Math.max(0, p - context);
    const to = Math.min(s.length, s.length - q + context);
    return (from > 0 ? '…' : '') + s.slice(from, to) + (to < s.length ? '…' : '');
  };
  return { a: cut(a), b: cut(b) };
}

/** A readable rendering of a field value for the conflict dialog. */
export function describeValue(v: unknown): string {
  if (v === undefined || v === null || v === '') return '（空）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '（无）';
    return v
      .map((row, i) => `${i + 1}. ${row && typeof row === 'object' ? Object.values(row).filter((x) => x !== '' && x != null).join(' / ') : String(row)}`)
      .join('\n');
  }
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${x === '' || x == null ? '（空）' : String(x)}`)
    .join('\n');
}
