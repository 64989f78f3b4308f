import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database';

/** One unit of work of a group commit: its statements, run inside the shared transaction. */
export type GroupWork<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending<T> {
  work: GroupWork<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** At most this many units of work share one transaction (about 10 ms of SQLite work). */
export const GROUP_COMMIT_MAX = 64;

/**
 * Group commit for the embedded SQLite database (the deadline-day draft save).
 *
 * Units of work requested during one turn of the event loop are run, in the order they were
 * requested, inside one transaction, committed once; each caller's promise settles only
 * after that commit, with its own unit's result. A unit that finds nothing to write (a
 * conditional UPDATE that matched no row) is an ordinary result, not a failure. Nothing is
 * acknowledged that was not committed: if a unit throws its own error (see
 * {@link causedByUnit}), the transaction is rolled back, that unit is refused with its error
 * and the rest of the group is run again without it; if the database fails (BEGIN or COMMIT,
 * or a unit meets a busy, full or failing database), every unit of the group is refused with
 * that error, as each would have been alone.
 *
 * Why: on SQLite a save (the draft's UPDATE and its audit INSERT) took about 165 µs in its
 * own transaction and about 95 µs in one of twenty: BEGIN, COMMIT and the WAL frames of the
 * audit index and sqlite_sequence, written with every commit, are shared (measured with
 * better-sqlite3 on a file database of 200 fixture drafts). A lone save waits only for the
 * end of the current turn (setImmediate).
 * Units must not depend on the outcome of other units of the same group, beyond what
 * running them one after the other in request order gives (two saves of one application
 * based on the same version: the first writes, the second finds the version moved on).
 */
export class GroupCommit {
  private queue: Pending<any>[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly max = GROUP_COMMIT_MAX,
  ) {}

  /** Run `work` in the next group's transaction; resolves with its result once committed. */
  run<T>(work: GroupWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const group = this.queue.splice(0, this.max);
    if (this.queue.length) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    while (group.length) {
      let failed = -1;
      let unitError: unknown;
      try {
        const results = await this.db.transaction().execute(async (trx) => {
          const out: unknown[] = [];
          for (let i = 0; i < group.length; i++) {
            try {
              out.push(await group[i].work(trx));
            } catch (e) {
              failed = i;
              unitError = e;
              throw e;
            }
          }
          return out;
        });
        group.forEach((p, i) => p.resolve(results[i]));
        return;
      } catch (e) {
        // rolled back: nothing of the group is written
        if (failed < 0 || !causedByUnit(unitError)) {
          for (const p of group) p.reject(failed < 0 ? e : unitError);
          return;
        }
        // that unit's own error (run alone after the ones before it, it fails alike): the rest again
        group.splice(failed, 1)[0].reject(unitError);
      }
    }
  }
}

/**
 * Whether an error thrown by a unit of work is its own (its code or data, a constraint its
 * write breaks), so that the other units of the group can be run again without it; or the
 * database's (busy, locked, full, I/O, read-only), which every unit would meet alike: then
 * all are refused at once, rather than each waiting out the busy timeout again in turn.
 */
function causedByUnit(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return !(typeof code === 'string' && code.startsWith('SQLITE_') && !code.startsWith('SQLITE_CONSTRAINT'));
}

const committers = new WeakMap<object, GroupCommit>();

/** The group commit of a database handle (one per handle, like its single SQLite connection). */
export function groupCommit(db: Kysely<Database>): GroupCommit {
  let g = committers.get(db);
  if (!g) committers.set(db, (g = new GroupCommit(db)));
  return g;
}
