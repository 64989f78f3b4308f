import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * A running server marks its SQLite data folder with `server.pid`, so that `cli restore`
 * can refuse to replace the database under a live process (which would leave the server
 * and the file on disk telling different stories).
 */
export function pidFile(dataDir: string): string {
  return path.join(dataDir, 'server.pid');
}

/**
 * Mark the folder as in use by this process; returns the function that unmarks it. A live
 * server's mark is left as it is: a second start on the same folder (its port taken, it
 * stops at once) used to replace it and remove it on exit, and `cli restore` then replaced
 * the database under the running server (test/faults/backup.test.ts).
 */
export function markRunning(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = pidFile(dataDir);
  const other = runningServer(dataDir);
  if (other !== null && other !== process.pid) return () => {};
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
    } catch {
      // already gone
    }
  };
}

/** The pid of a live server using the folder, or null (a stale mark of a dead process is ignored). */
export function runningServer(dataDir: string): number | null {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return isAlive(pid) ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether another process has the SQLite database `file` open (a server, a backup): a
 * connection in WAL mode holds a lock that keeps anyone else from locking the file
 * exclusively. Unlike the mark, this cannot be left behind or removed by mistake. A file
 * that is missing or not a readable database is not in use as far as this can tell.
 */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('begin exclusive');
    db.exec('rollback');
    return false;
  } catch (e) {
    return /^SQLITE_(BUSY|LOCKED)/.test(String((e as { code?: unknown }).code));
  } finally {
    db?.close();
  }
}
