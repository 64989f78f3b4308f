import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from '../../support/fixtures';
import { startServer as startServerProcess, type ServerProcess } from '../../support/server-process';

/**
 * Real-browser test support: a real server process per test file, started as `npm start`
 * starts it (fresh SQLite folder, its own port, a simulated clock where the test needs one),
 * Debian's Chromium driven by playwright-core, screenshots under test-results/e2e/<test>/<step>.png.
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

export interface E2EServer {
  url: string;
  port: number;
  dataDir: string;
  /** The server process (its pid, its command line). */
  process: ServerProcess;
  /** Everything the process printed (for failure messages). */
  output: () => string;
  /** False once the process has exited. */
  alive: () => boolean;
  stop: () => Promise<void>;
}

const running = new Set<ServerProcess>();
process.once('exit', () => {
  for (const p of running) p.child.kill('SIGKILL');
});

/**
 * Start the server as `npm run demo` runs it (test/support/server-process.ts: the node flags
 * of `npm start`, the same launcher as the bench and the fault tests) with `--demo`, on a
 * free port, a fresh DATA_DIR (removed by stop), the built web app of dist/web, SQLite
 * (DATABASE_URL and REDIS_URL of this environment are not passed on) and a simulated clock
 * at `clock` if given. Resolves once /api/health answers; rejects (process killed, folder
 * removed) otherwise. `stop` sends SIGTERM, then SIGKILL after 5 s.
 */
export async function startServer(opts: { clock?: string; env?: Record<string, string> } = {}): Promise<E2EServer> {
  if (!existsSync(path.join(REPO_ROOT, 'dist/web/index.html')))
    throw new Error('dist/web/index.html is missing: build the web app first (npm run test:e2e runs `vite build` before the tests)');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-e2e-'));
  let server: ServerProcess;
  try {
    server = await startServerProcess(
      {
        DATA_DIR: dataDir,
        WEB_DIR: path.join(REPO_ROOT, 'dist/web'),
        LOGIN_RATE_LIMIT: '1000',
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
        ...(opts.clock ? { SHENBAO_CLOCK: opts.clock } : {}),
        ...opts.env,
      },
      { args: ['--demo'] },
    );
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  running.add(server);
  let stopping = false;
  server.child.once('exit', (code, signal) => {
    if (!stopping) console.error(`e2e server on :${server.port} exited unexpectedly (code ${code}, signal ${signal}):\n${server.output()}`);
    running.delete(server);
  });
  const alive = () => server.child.exitCode === null && server.child.signalCode === null;

  const stop = async () => {
    stopping = true;
    const t = setTimeout(() => void server.kill9(), 5000);
    await server.stop();
    clearTimeout(t);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: server.url, port: server.port, dataDir, process: server, output: server.output, alive, stop };
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
