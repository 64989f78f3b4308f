import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fixtures';

/**
 * `npm start` / `npm run demo` on a port something else holds: one Chinese line naming the
 * port and how to choose another (PORT), exit status 1, no stack trace; and a server already
 * running on the same data folder keeps its mark (server.pid, which `cli restore` checks).
 * The server is a real process (src/server/main.ts) on the embedded SQLite database.
 */
describe('a taken port', () => {
  let holder: Server;
  let port = 0;
  let dataDir = '';

  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-port-'));
  });
  afterAll(async () => {
    await new Promise((r) => holder?.close(r));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function start(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_REQUESTS: '' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.SHENBAO_CLOCK;
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    return new Promise((resolve) =>
      proc.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      }),
    );
  }

  it('npm start: one line naming the port and PORT, exit status 1', async () => {
    const r = await start([]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `启动失败：端口 ${port} 已被占用（可能已有一个申报系统或其他程序在使用）。请先停止它，或用环境变量 PORT 换一个端口，例如：PORT=3101 npm start`,
    ]);
    expect(r.stdout).not.toContain('已启动');
  }, 90_000);

  it('npm run demo: the demo command in the advice; a live server’s mark on the folder stays', async () => {
    // this test process stands for a server already running on the folder
    writeFileSync(path.join(dataDir, 'server.pid'), String(process.pid));
    const r = await start(['--demo']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim()).toBe(`启动失败：端口 ${port} 已被占用（可能已有一个申报系统或其他程序在使用）。请先停止它，或用环境变量 PORT 换一个端口，例如：PORT=3101 npm run demo`);
    expect(r.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    expect(readFileSync(path.join(dataDir, 'server.pid'), 'utf8')).toBe(String(process.pid));
  }, 90_000);
});
