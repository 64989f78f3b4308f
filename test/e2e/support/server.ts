import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from '../../support/fixtures';

/**
 * Real-browser test support: a real server process per test file (fresh SQLite folder, its
 * own port, a simulated clock where the test needs one), Debian's Chromium driven by
 * playwright-core, screenshots under test-results/e2e/<test>/<step>.png.
 */

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results/e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A fixture of ../shared/fixtures/applications (organisation + application data). */
export interface AppFixture {
  organisation: { name: string; uscc: string; type: string; adminName: string; adminEmail: string; adminMobile: string };
  application: Record<string, any>;
}

export function loadFixture(name: string): AppFixture {
  const file = path.join(FIXTURES_DIR, `${name}.json`);
  if (!existsSync(file)) throw new Error(`fixture ${file} not found: the e2e tests need ../shared beside the repository (${path.dirname(path.dirname(FIXTURES_DIR))})`);
  return JSON.parse(readFileSync(file, 'utf8')) as AppFixture;
}

export const PASSWORD = 'e2e-correct-horse-battery';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface E2EServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the process printed (for failure messages). */
  output: () => string;
  /** False once the process has exited. */
  alive: () => boolean;
  stop: () => Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/**
 * Start `node --import tsx src/server/main.ts --demo` on a free port with a fresh DATA_DIR.
 * Resolves once /api/health answers; rejects (and kills the process) otherwise.
 */
export async function startServer(opts: { clock?: string; env?: Record<string, string> } = {}): Promise<E2EServer> {
  if (!existsSync(path.join(REPO_ROOT, 'dist/web/index.html')))
    throw new Error('dist/web/index.html is missing: build the web app first (npm run test:e2e runs `vite build` before the tests)');
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOGIN_RATE_LIMIT: '1000',
    ...(opts.clock ? { SHENBAO_CLOCK: opts.clock } : {}),
    ...opts.env,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--demo'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  let exited = false;
  let stopping = false;
  const exitedP = new Promise<void>((r) =>
    proc.once('exit', (code, signal) => {
      if (!stopping) console.error(`e2e server on :${port} exited unexpectedly (code ${code}, signal ${signal}):\n${out}`);
      exited = true;
      running.delete(proc);
      r();
    }),
  );

  const stop = async () => {
    stopping = true;
    if (!exited) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exitedP;
      clearTimeout(t);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the server exited before answering /api/health:\n${out}`);
    }
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /api/health within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, port, dataDir, output: () => out, alive: () => !exited, stop };
}

/** Debian's Chromium, headless. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context: zh-CN, Beijing time zone is deliberately NOT set (the pages must not depend on it). */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Europe/London', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(30_000);
  return ctx;
}

/** Screenshots of one test: test-results/e2e/<test>/<NN-step>.png. */
export function screenshots(test: string) {
  const dir = path.join(RESULTS_DIR, test.replace(/[^\w.-]+/g, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string, fullPage = false) => {
    const file = path.join(dir, `${String(++n).padStart(2, '0')}-${step.replace(/[^\w.-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage }).catch(() => undefined);
    return file;
  };
}

/**
 * The CSRF token of the page's session (for API calls through page.request). A visitor
 * without a session gets its token with the sb_csrf cookie, and the page's own first
 * GET /api/session, sent at the same moment without a cookie, may set a different one: so
 * for an anonymous page wait until its requests are done, and take the token only once it
 * is the one in the cookie jar (the browser's client retries on a csrf refusal; this helper
 * has no such retry).
 */
export async function csrfToken(page: Page): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await page.request.get('/api/session');
    const body = (await r.json()) as { csrfToken: string; user: unknown };
    if (body.user) return body.csrfToken;
    await page.waitForLoadState('networkidle').catch(() => undefined);
    const jar = (await page.context().cookies()).find((c) => c.name === 'sb_csrf')?.value;
    if (jar === body.csrfToken) return body.csrfToken;
  }
  throw new Error('no stable CSRF token for the page');
}

/** Register an organisation through the API in the page's context (leaves it logged in). */
export async function registerViaApi(page: Page, org: AppFixture['organisation']) {
  const token = await csrfToken(page);
  const r = await page.request.post('/api/auth/register', {
    headers: { 'x-csrf-token': token },
    data: {
      organisation: { name: org.name, uscc: org.uscc, type: org.type },
      admin: { name: org.adminName, email: org.adminEmail, mobile: org.adminMobile, password: PASSWORD },
    },
  });
  if (r.status() !== 201) throw new Error(`register failed: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** Create an application with `data` through the API; its id. */
export async function createViaApi(page: Page, data: unknown): Promise<string> {
  const token = await csrfToken(page);
  const r = await page.request.post('/api/applications', { headers: { 'x-csrf-token': token }, data: { callCode: '2023-xhgf', data } });
  if (r.status() !== 201) throw new Error(`create failed: ${r.status()} ${await r.text()}`);
  return ((await r.json()) as { id: string }).id;
}

/** GET /api/applications/:id with the page's cookies. */
export async function getApplication(page: Page, id: string): Promise<any> {
  const r = await page.request.get(`/api/applications/${id}`);
  if (!r.ok()) throw new Error(`GET application failed: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** DOM id of a contract path: "budget.items[2].basis" → "f-budget-items-2-basis". */
export function fid(p: string): string {
  return 'f-' + p.replace(/\[(\d+)\]/g, '.$1').split('.').join('-');
}

/**
 * One server (simulated clock starting at `clock`) and one browser per test file, and a
 * fresh browser context per test, closed after it: call once at the top of a test file.
 */
export function useE2E(clock: string) {
  const env = {
    server: undefined as unknown as E2EServer,
    browser: undefined as unknown as Browser,
    ctx: undefined as BrowserContext | undefined,
    /** A fresh context for this test (its own cookies and storage). */
    async context(): Promise<BrowserContext> {
      env.ctx = await newContext(env.browser, env.server.url);
      return env.ctx;
    },
  };
  beforeAll(async () => {
    env.server = await startServer({ clock });
    env.browser = await launchBrowser();
  });
  afterEach(async () => {
    await env.ctx?.close();
    env.ctx = undefined;
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
