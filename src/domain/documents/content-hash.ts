import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * The 内容校验码 printed on every page of the 申报书 (DESIGN.md, Documents), so that a paper
 * copy can be matched to the online version. One definition for the server (PDF, DOCX,
 * submission) and the browser (the preview of unsaved data): synchronous, no node:crypto.
 */

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

/** The short content hash: the first 8 hex digits of SHA-256 over the canonical JSON's UTF-8 bytes. */
export function contentHash(data: unknown): string {
  return bytesToHex(sha256(new TextEncoder().encode(canonicalJson(data)))).slice(0, 8);
}
