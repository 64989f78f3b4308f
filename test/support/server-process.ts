import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './fixtures';

/**
 * The real server as a separate node process, started the way `npm start` starts it: one
 * copy for the bench (bench/run.ts), the fault tests and the browser tests (test/e2e/support).
 */

/** The repository root. */

/** A server process started by the bench, a fault test or a browser test. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout + stderr so far (for error reports). */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for exit. */
  kill9(): Promise<void>;
}

// below Linux's ephemeral range (32768–60999): the load generator's own client sockets take
// ports from there, and one of them once held the port a server was about to listen on
let nextPort = 10000 + Math.floor(Math.random() * 20000);
/** A port unlikely to be taken (randomised base below the ephemeral range, then sequential). */
export function freePort(): number {
  if (nextPort >= 32000) nextPort = 10000;
  return nextPort++;
}

/**
 * The node flags the server runs with in production: those of `npm start` (package.json,
 * `node <flags> --import tsx src/server/main.ts`), read from there so that the bench, the
 * fault tests and the browser tests cannot drift from it. Today a larger young generation
 * (`--max-semi-space-size`): see docs/operations.md.
 */
export function serverNodeFlags(): string[] {
  const start: string = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts.start;
  const m = /\bnode((?: --[^\s]+)*) --import tsx src\/server\/main\.ts/.exec(start);
  if (!m) throw new Error(`package.json scripts.start does not start src/server/main.ts with node --import tsx: ${start}`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/**
 * Start `entry` (default the real server, src/server/main.ts) as one node process — node
 * with tsx as a loader, not the tsx CLI, so that SIGKILL hits the server itself and no
 * wrapper — with the node flags of `npm start` ({@link serverNodeFlags}; the bench's floor
 * gets them too, like for like), and wait until GET /api/health answers 200 (at most 60 s).
 * `env` is laid over this process's environment (a key set to undefined is removed), after
 * `WEB_DIR=/nonexistent` and `HOST=127.0.0.1`; `PORT` is {@link freePort}'s unless
 * `opts.port` is given. Rejects with the process's output if it exits or does not answer.
 */
export async function startServer(env: Record<string, string | undefined>, opts: { entry?: string; port?: number; args?: string[]; healthPath?: string; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  // a port taken meanwhile by another process: try the next one (unless the caller chose it)
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, { ...opts, port: opts.port ?? freePort() });
    } catch (e) {
      if (opts.port !== undefined || attempt >= 5 || !/EADDRINUSE/.test(String(e))) throw e;
    }
  }
}

async function startOnce(env: Record<string, string | undefined>, opts: { entry?: string; port: number; args?: string[]; healthPath?: string; nodeArgs?: string[] }): Promise<ServerProcess> {
  const port = opts.port;
  const entry = opts.entry ?? path.join(REPO_ROOT, 'src/server/main.ts');
  const child = spawn(process.execPath, [...serverNodeFlags(), ...(opts.nodeArgs ?? []), '--import', 'tsx', entry, ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, WEB_DIR: '/nonexistent', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(url + (opts.healthPath ?? '/api/health'));
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
