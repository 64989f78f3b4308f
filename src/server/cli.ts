import { copyFileSync, existsSync, mkdirSync, renameSync, unlinkSync } from 'node:fs';
import { databaseInUse, runningServer } from './db/server-lock';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { systemClock } from '../domain/clock';
import { loadConfig } from './config';
import { connect } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { createStaff, verifyOrganisation } from './features/auth/auth.service';
import { seedCalls } from './features/calls/calls.service';
import type { AppContext } from './http/context';

const USAGE = `用法：npm run cli -- <命令>
  migrate                                   迁移数据库到最新结构
  seed [目录]                               从 calls/ 载入申报批次定义
  create-staff <姓名> <邮箱> <手机> <密码>     创建项目管理员（funder_admin）账号
  verify-organisation <统一社会信用代码>       人工核验通过（代码校验未通过而登记为“待核验”的单位）
  backup <目标文件>                          SQLite 在线一致性备份（服务运行中也可执行）
  restore <备份文件>                         用备份替换 SQLite 数据库（须先停止服务）
环境变量：DATA_DIR、DATABASE_URL（PostgreSQL 请用 pg_dump / pg_restore 备份）`;

/** Command-line administration: migrate, seed, staff accounts, verification, backup/restore. */
async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const config = loadConfig(process.env);
  if (cmd === 'backup' || cmd === 'restore') {
    if (config.databaseUrl) throw new Error('PostgreSQL 请使用 pg_dump -Fc "$DATABASE_URL" > backup.dump 与 pg_restore 备份和恢复');
    const file = path.join(config.dataDir, 'shenbao.sqlite');
    if (!args[0]) throw new Error(cmd === 'backup' ? '请指定备份文件名，例如：npm run cli -- backup ./shenbao-20230519.sqlite' : '请指定要恢复的备份文件，例如：npm run cli -- restore ./shenbao-20230519.sqlite');
    if (cmd === 'backup') {
      // VACUUM INTO reads one snapshot (a single read transaction in WAL mode), so the copy
      // is consistent and is never restarted by the server's writes, unlike the page-by-page
      // backup API, which starts over whenever another connection writes (measured: 8 s for
      // a 5 MB database under a save surge, test/faults/backup.test.ts).
      const target = path.resolve(args[0]);
      if (existsSync(target)) throw new Error(`目标文件已存在：${target}（为避免覆盖已有备份，请换一个文件名）`);
      const partial = `${target}.partial-${process.pid}`;
      const db = new SQLite(file, { readonly: true, fileMustExist: true });
      try {
        db.prepare('vacuum into ?').run(partial);
      } finally {
        db.close();
      }
      renameSync(partial, target);
      console.log(`已备份到 ${target}`);
    } else {
      if (!existsSync(args[0])) throw new Error(`备份文件不存在：${args[0]}`);
      const live = runningServer(config.dataDir);
      if (live) throw new Error(`服务正在使用 ${config.dataDir}（进程 ${live}），请先停止服务再恢复，否则运行中的服务与磁盘上的数据会不一致`);
      // the mark can be missing (removed by hand, or by a second start on the folder before the fix): the database's own lock says it too
      if (databaseInUse(file)) throw new Error(`数据库 ${file} 正被其他进程（服务或备份）打开，请先停止服务再恢复，否则运行中的服务与磁盘上的数据会不一致`);
      mkdirSync(config.dataDir, { recursive: true });
      // a file that is not a database, or a damaged one, is refused with the reason in Chinese
      let ok: unknown;
      try {
        const check = new SQLite(args[0], { readonly: true, fileMustExist: true });
        try {
          ok = check.pragma('integrity_check', { simple: true });
          check.prepare('select count(*) from applications').get();
        } finally {
          check.close();
        }
      } catch (e) {
        throw new Error(`备份文件无法读取，可能已损坏或不是申报系统的备份（SQLite：${(e as Error).message}）：${args[0]}`);
      }
      if (ok !== 'ok') throw new Error(`备份文件校验未通过（可能已损坏）：${String(ok)}`);
      for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) unlinkSync(file + ext);
      copyFileSync(args[0], file);
      console.log(`已从 ${args[0]} 恢复到 ${file}`);
    }
    return;
  }
  const { db, dialect, close } = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const ctx: AppContext = { db, dialect, clock: systemClock, config };
  try {
    await migrateToLatest(db, dialect);
    switch (cmd) {
      case 'migrate':
        console.log('数据库已是最新结构');
        break;
      case 'seed':
        console.log('已载入：', (await seedCalls(ctx, args[0] ? path.resolve(args[0]) : undefined)).join('、'));
        break;
      case 'create-staff': {
        const [name, email, mobile, password] = args;
        if (!password) throw new Error(USAGE);
        await createStaff(ctx, { name, email, mobile, password });
        console.log(`已创建项目管理员 ${email}`);
        break;
      }
      case 'verify-organisation':
        if (!args[0]) throw new Error(USAGE);
        await verifyOrganisation(ctx, args[0]);
        console.log(`已核验 ${args[0]}`);
        break;
      default:
        // no command, or an unknown one: say how to use it, and fail (a script must notice)
        console.error(cmd ? `未知命令：${cmd}\n\n${USAGE}` : USAGE);
        process.exitCode = 1;
    }
  } finally {
    await close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
