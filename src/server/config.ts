import path from 'node:path';

/** Server settings from the environment (README, "Settings"). */
export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded SQLite database. */
  dataDir: string;
  /** A postgres:// URL switches to PostgreSQL. */
  databaseUrl?: string;
  /** Optional Redis for shared rate limits. */
  redisUrl?: string;
  /** ISO instant where a simulated clock starts; unset = system clock (demo: 2023-05-10 09:00 北京时间). */
  clockStart?: string;
  demo: boolean;
  /** Serve cookies with the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  /** Session lifetime, ms (idle timeout). */
  sessionTtlMs: number;
  /** Login attempts per IP per minute. */
  loginRateLimit: number;
  /** Folder with the built web app (vite build output). */
  webDir: string;
}

/** Read {@link Config} from `env`; `demo` from the command line. */
export function loadConfig(env: NodeJS.ProcessEnv, opts: { demo?: boolean } = {}): Config {
  const demo = !!opts.demo;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.DATA_DIR ?? path.resolve('data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    clockStart: env.SHENBAO_CLOCK || (demo ? '2023-05-10T09:00:00+08:00' : undefined),
    demo,
    secureCookies: env.SECURE_COOKIES === '1',
    sessionTtlMs: Number(env.SESSION_TTL_HOURS ?? 12) * 3600 * 1000,
    loginRateLimit: Number(env.LOGIN_RATE_LIMIT ?? 10),
    webDir: env.WEB_DIR ?? path.resolve('dist/web'),
  };
}
