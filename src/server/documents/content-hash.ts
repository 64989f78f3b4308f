import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted at every level, no insignificant white space, so that
 * the same data always gives the same text (and the same hash).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

/**
 * Short content hash printed on every page of the 申报书 (DESIGN.md, Documents): the first
 * 8 hex digits of SHA-256 over the canonical JSON of the submitted data.
 */
export function contentHash(data: unknown): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex').slice(0, 8);
}
