import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAvailable(): Promise<boolean> {
  const u = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 6379), timeout: 1000 }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** A failed login from `ip` (a made-up client address, so runs do not share counts). */
async function badLogin(t: TestApp, ip: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    headers: { cookie: 'sb_csrf=tok', 'x-csrf-token': 'tok', 'content-type': 'application/json' },
    payload: { login: 'nobody@example.cn', password: 'wrong-password-000' },
  });
  return r.statusCode;
}

const HAVE_REDIS = await redisAvailable();

const randomIp = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/**
 * Let the instances' Redis clients connect: the store does not queue commands while
 * disconnected (a login is let through uncounted instead), and a local Redis connects in
 * milliseconds.
 */
const ready = () => new Promise((r) => setTimeout(r, 300));

/**
 * The login rate limit with REDIS_URL: two instances count together in Redis, so a client
 * cannot get twice the attempts by landing on both. Without REDIS_URL each instance counts
 * in its own memory; with an unreachable Redis logins still work (the limit is skipped).
 */
describe('login rate limit across instances', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
  });

  it.skipIf(!HAVE_REDIS)('is shared through Redis when REDIS_URL is set', async () => {
    const a = await createTestApp({ config: { redisUrl: REDIS_URL, loginRateLimit: 3 } });
    const b = await createTestApp({ config: { redisUrl: REDIS_URL, loginRateLimit: 3 } });
    apps.push(a, b);
    await ready();
    const ip = randomIp();
    const statuses = [];
    for (const t of [a, b, a, b, a]) statuses.push(await badLogin(t, ip));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // another client is not affected
    expect(await badLogin(b, randomIp())).toBe(401);
  });

  it('counts per instance in memory without REDIS_URL', async () => {
    const a = await createTestApp({ config: { redisUrl: undefined, loginRateLimit: 3 } });
    const b = await createTestApp({ config: { redisUrl: undefined, loginRateLimit: 3 } });
    apps.push(a, b);
    const ip = randomIp();
    const statuses = [];
    for (const t of [a, b, a, b, a, b, a]) statuses.push(await badLogin(t, ip));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('lets logins through when Redis cannot be reached', async () => {
    const a = await createTestApp({ config: { redisUrl: 'redis://127.0.0.1:1', loginRateLimit: 3 } });
    apps.push(a);
    expect(await badLogin(a, randomIp())).toBe(401);
  });
});
