import { LRUCache } from 'lru-cache';

/**
 * An application's data as last saved (or read) through this process, at that version. The
 * data is kept as its JSON text, parsed again (about 15 µs) when a save needs it: a parsed
 * draft is hundreds of small objects that every garbage collection must trace and move,
 * and under a save surge that cost more than the parse (bench/RESULTS.md); a text is one.
 */
export interface SavedData {
  version: number;
  /** the row's revision at that version (migration 20261129T000000) */
  revision: string;
  /** the data's JSON text, as stored */
  json: string;
  /** the data's 申报专项, in order (a save that keeps them needs no other check) */
  subProgrammes: readonly string[];
  /** the application's call and organisation, which never change */
  callCode: string;
  organisationId: string;
}

/**
 * Budget of the cache, in characters of the saved JSON: about 5,000 drafts of the 2023
 * fixtures' size (6–7 thousand characters each), the deadline-day figure of people editing
 * at once. Smaller, an LRU cache cycled through by more drafts than it holds (each saved
 * every 10 s) would forget every one before its next save. A text takes 2 bytes of heap a
 * character when it holds Chinese (1 when it does not), so at most about 80 MB per process
 * and database.
 */
export const SAVED_DATA_CACHE_CHARS = 40_000_000;

/**
 * At most this many drafts whatever their size (each entry also has a fixed cost of a few
 * hundred bytes). An organisation has at most four applications in a call (one per
 * sub-programme), and a call's applicants number in the hundreds, so this is ample.
 */
export const SAVED_DATA_CACHE_ENTRIES = 10_000;

const caches = new WeakMap<object, LRUCache<string, SavedData>>();

/**
 * The drafts this process saved or opened last, by application id: what a save based on
 * that version needs to know without reading the row — the data for the audit diff (which
 * fields changed), and the call (for the deadline) and organisation (for authorisation).
 * On deadline day the read, mostly decoding 15 KB of Chinese text, and the parse were a
 * third of a save's database time (bench/RESULTS.md). Safe because the save writes only if
 * the row is still at the entry's version and revision (a random token written with every
 * change of the data) and the organisation's: an entry is used only while it is exactly
 * what is stored, even if the database went back in time and a version number was used
 * again. A save whose write finds otherwise forgets the entry and reads the row. One cache
 * per database handle (`db`), like the organisation types.
 */
export function savedDataCache(db: object): LRUCache<string, SavedData> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LRUCache<string, SavedData>({ max: SAVED_DATA_CACHE_ENTRIES, maxSize: SAVED_DATA_CACHE_CHARS });
    caches.set(db, cache);
  }
  return cache;
}
