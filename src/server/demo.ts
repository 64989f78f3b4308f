import { createStaff, register } from './features/auth/auth.service';
import { findUserByEmail } from './features/auth/auth.repository';
import type { AppContext } from './http/context';

/** Demo accounts created by `npm run demo` (printed at start). */
export const DEMO_APPLICANT = {
  organisation: { name: '中国演示科技学会', uscc: '51100000500099991D', type: 'national-society' as const },
  admin: { name: '演示管理员', email: 'demo@example.cn', mobile: '13800000000', password: 'shenbao-demo-2023' },
};
export const DEMO_FUNDER = { name: '演示项目管理员', email: 'funder@example.cn', mobile: '13900000000', password: 'shenbao-funder-2023' };

/** Create the demo applicant and funder admin if missing; returns the lines to print. */
export async function seedDemo(ctx: AppContext): Promise<string[]> {
  if (!(await findUserByEmail(ctx.db, DEMO_APPLICANT.admin.email))) await register(ctx, DEMO_APPLICANT, null).catch(() => undefined);
  if (!(await findUserByEmail(ctx.db, DEMO_FUNDER.email))) await createStaff(ctx, DEMO_FUNDER);
  return [
    `演示申报单位账号：${DEMO_APPLICANT.admin.email} / ${DEMO_APPLICANT.admin.password}（${DEMO_APPLICANT.organisation.name}，代码 ${DEMO_APPLICANT.organisation.uscc}）`,
    `演示项目管理员账号：${DEMO_FUNDER.email} / ${DEMO_FUNDER.password}`,
  ];
}
