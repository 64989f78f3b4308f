import { systemClock, simulatedClock } from '../domain/clock';
import { formatBeijing } from '../domain/deadline';
import { buildApp } from './app';
import { loadConfig } from './config';
import { connect } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { markRunning } from './db/server-lock';
import { seedCalls } from './features/calls/calls.service';
import { seedDemo } from './demo';
import type { AppContext } from './http/context';

/**
 * Start the server: read settings, open and migrate the database, load the call
 * definitions from calls/, (demo) create demo accounts, listen; stop cleanly on SIGINT/SIGTERM.
 */
async function main() {
  const demo = process.argv.includes('--demo');
  const config = loadConfig(process.env, { demo });
  const { db, dialect, close } = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const unmark = dialect === 'sqlite' ? markRunning(config.dataDir) : () => {};
  process.on('exit', unmark);
  await migrateToLatest(db, dialect);
  let clockStart = config.clockStart;
  // a demo started again on the same data resumes after its last recorded change by a user,
  // so that nothing saved reads as made in the future; the command-line tools' records (no
  // user: verify-organisation, create-staff) carry the real date and would close the call
  if (demo && !process.env.SHENBAO_CLOCK && clockStart) {
    const last = (await db.selectFrom('audit_log').select((eb) => eb.fn.max('at').as('at')).where('actor_user_id', 'is not', null).executeTakeFirst())?.at;
    if (last && Date.parse(last) + 60_000 > Date.parse(clockStart)) clockStart = new Date(Date.parse(last) + 60_000).toISOString();
  }
  const clock = clockStart ? simulatedClock(new Date(clockStart)) : systemClock;
  const ctx: AppContext = { db, dialect, clock, config };
  const calls = await seedCalls(ctx);
  const app = await buildApp(ctx, { logger: process.env.LOG_REQUESTS === '1' });
  const lines: string[] = [];
  if (demo) lines.push(...(await seedDemo(ctx)));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    // the usual cause is a server already running: one line that says what to do, not a stack
    console.error(portTakenMessage(config.port, demo));
    await app.close();
    await close();
    process.exit(1);
  }
  const where = dialect === 'postgres' ? 'PostgreSQL（DATABASE_URL）' : `SQLite（${config.dataDir}）`;
  console.log(`Shenbao 申报系统已启动：http://localhost:${config.port}`);
  console.log(`数据库：${where}；已加载申报批次：${calls.join('、')}`);
  console.log(clock.simulated ? `时钟：模拟时间，当前 ${formatBeijing(clock.now())}，并随真实时间推进` : '时钟：系统时间');
  for (const l of lines) console.log(l);
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** What `npm start` / `npm run demo` print when the port is taken (README: PORT). */
function portTakenMessage(port: number, demo: boolean): string {
  const other = port === 3101 ? 3102 : 3101;
  return `启动失败：端口 ${port} 已被占用（可能已有一个申报系统或其他程序在使用）。请先停止它，或用环境变量 PORT 换一个端口，例如：PORT=${other} ${demo ? 'npm run demo' : 'npm start'}`;
}

main().catch((e) => {
  console.error('启动失败：', e);
  process.exit(1);
});
