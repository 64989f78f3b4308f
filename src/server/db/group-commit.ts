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
 * conditional UPDATE that matched no row) is an ordinary result, not a failure. If any unit
 * throws, or the commit fails, the whole transaction is rolled back and every unit of the
 * group is run again alone, in its own transaction, so that one write's error is only its
 * own and nothing is acknowledged that was not committed.
 *
 * Why: on SQLite a save's own statements cost about 100 µs and its transaction (BEGIN,
 * COMMIT, the WAL frames of the audit index and sqlite_sequence written each time) about
 * as much again; under a surge the saves of one event-loop turn share that second half
 * (bench/RESULTS.md). A lone save waits only for the end of the current turn (setImmediate).
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
    if (group.length === 1) return this.alone(group[0]);
    let results: unknown[];
    try {
      results = await this.db.transaction().execute(async (trx) => {
        const out: unknown[] = [];
        for (const p of group) out.push(await p.work(trx));
        return out;
      });
    } catch {
      // rolled back: each again on its own, so that the error reaches only the unit that causes it
      await Promise.all(group.map((p) => this.alone(p)));
      return;
    }
    group.forEach((p, i) => p.resolve(results[i]));
  }

  private async alone<T>(p: Pending<T>): Promise<void> {
    try {
      p.resolve(await this.db.transaction().execute(p.work));
    } catch (e) {
      p.reject(e);
    }
  }
}

const committers = new WeakMap<object, GroupCommit>();

/** The group commit of a database handle (one per handle, like its single SQLite connection). */
export function groupCommit(db: Kysely<Database>): GroupCommit {
  let g = committers.get(db);
  if (!g) committers.set(db, (g = new GroupCommit(db)));
  return g;
}
