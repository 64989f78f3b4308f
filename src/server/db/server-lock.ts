import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
 * server that had marked the folder before gets its mark back then: a second start that
 * stops at once (its port was taken) must not leave the running one unmarked.
 */
export function markRunning(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = pidFile(dataDir);
  const before = runningServer(dataDir);
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync(file, 'utf8') !== String(process.pid)) return;
      if (before !== null && before !== process.pid && isAlive(before)) writeFileSync(file, String(before));
      else unlinkSync(file);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live server using the folder, or null (a stale mark of a dead process is ignored). */
export function runningServer(dataDir: string): number | null {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return isAlive(pid) ? pid : null;
}
