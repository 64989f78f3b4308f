import { LRUCache } from 'lru-cache';
import type { TApplicationData } from '../../../domain/form/application';

/** An application's data as last saved (or read) through this process, at that version. */
export interface SavedData {
  version: number;
  data: TApplicationData;
  /** the application's call and organisation, which never change */
  callCode: string;
  organisationId: string;
}

/**
 * Budget of the cache, in characters of the saved JSON (a parsed draft takes roughly two to
 * three bytes a character in memory): about 2,500 drafts of the 2023 fixtures' size, some
 * 60 MB per process and database.
 */
export const SAVED_DATA_CACHE_CHARS = 16_000_000;

const caches = new WeakMap<object, LRUCache<string, SavedData>>();

/**
 * The drafts this process saved or opened last, by application id: what a save based on
 * that version needs to know without reading the row — the data for the audit diff (which
 * fields changed), and the call (for the deadline) and organisation (for authorisation).
 * On deadline day the read, mostly decoding 15 KB of Chinese text, and the parse were a
 * third of a save's database time (bench/RESULTS.md). Safe because an application's data
 * never changes without its version changing, and the save writes only if the row is still
 * at the base version and the organisation's: an entry for that version is exactly what is
 * stored. An entry of another instance's or an older version simply misses. One cache per
 * database handle (`db`), like the organisation types.
 */
export function savedDataCache(db: object): LRUCache<string, SavedData> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LRUCache<string, SavedData>({ maxSize: SAVED_DATA_CACHE_CHARS });
    caches.set(db, cache);
  }
  return cache;
}
