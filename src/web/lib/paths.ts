/**
 * Contract paths ("budget.items[2].basis") as used by the rules' FormIssue.path:
 * parse, read and write immutably, and turn into DOM ids so an issue can find its field.
 */
export type PathPart = string | number;

export function parsePath(path: string): PathPart[] {
  const out: PathPart[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of parsePath(path)) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<PathPart, unknown>)[p];
  }
  return cur;
}

/** A copy of `obj` with `value` at `path`, creating objects/arrays on the way. */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const parts = parsePath(path);
  const rec = (cur: unknown, i: number): unknown => {
    if (i === parts.length) return value;
    const key = parts[i];
    if (typeof key === 'number') {
      const arr = Array.isArray(cur) ? [...cur] : [];
      arr[key] = rec(arr[key], i + 1);
      return arr;
    }
    const o = cur && typeof cur === 'object' && !Array.isArray(cur) ? { ...(cur as Record<string, unknown>) } : {};
    o[key] = rec(o[key], i + 1);
    return o;
  };
  return rec(obj, 0) as T;
}

/** DOM id of the input for a path: "budget.items[2].basis" → "f-budget-items-2-basis". */
export function fieldId(path: string): string {
  return 'f-' + parsePath(path).join('-');
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!jsonEqual(ao[k], bo[k])) return false;
  return true;
}
