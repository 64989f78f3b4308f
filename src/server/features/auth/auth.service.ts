import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { checkUscc, normaliseUscc } from '../../../domain/uscc';
import { Conflict, Forbidden, Invalid, NotFound, Unauthenticated, type FieldProblem } from '../../../domain/errors';
import { EMAIL_RE, MOBILE_RE, nameTextProblem } from '../../../domain/form/rules';
import type { TOrgType } from '../../../domain/calls/call';
import type { AppContext } from '../../http/context';
import { insertAudit } from '../audit/audit.repository';
import * as repo from './auth.repository';
import { sessionCache } from './session-cache';

/** Minimum password length (shown on the registration form). */
export const MIN_PASSWORD_LENGTH = 10;

/** A user as the API shows it. */
export interface PublicUser {
  id: string;
  name: string;
  email: string;
  mobile: string;
  role: 'applicant' | 'funder_admin';
  organisation: null | { id: string; name: string; uscc: string; type: string; verification: string };
}

/** Registration input (POST /api/auth/register). */
export interface RegisterInput {
  organisation: { name: string; uscc: string; type: TOrgType };
  admin: { name: string; email: string; mobile: string; password: string };
  pendingVerification?: boolean;
}

/** Session times use the real clock: they protect accounts, they are not the call's time. */
const realNow = () => new Date();

/** SHA-256 hex of a session token (only the hash is stored). */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** A random URL-safe token (256 bits). */
export const newToken = () => randomBytes(32).toString('base64url');

/** argon2id hash of a password. */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password);
}

async function publicUser(ctx: AppContext, userId: string): Promise<PublicUser> {
  const u = await repo.findUserById(ctx.db, userId);
  if (!u) throw new NotFound('用户不存在');
  const o = u.organisation_id ? await repo.findOrganisationById(ctx.db, u.organisation_id) : undefined;
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    mobile: u.mobile,
    role: u.role as PublicUser['role'],
    organisation: o ? { id: o.id, name: o.name, uscc: o.uscc, type: o.type, verification: o.verification } : null,
  };
}

export { publicUser as getPublicUser };

/**
 * Register an applicant organisation and its one administrator (notice 四.1: each
 * organisation registers one administrator account). The code is normalised and checked by
 * GB 32100-2015; a code failing the check registers only with `pendingVerification`, as
 * "pending manual verification". Errors: Invalid (field problems), Conflict
 * `organisation_exists` / `email_exists`.
 */
export async function register(ctx: AppContext, input: RegisterInput, ip: string | null): Promise<{ userId: string }> {
  const problems: FieldProblem[] = [];
  const name = input.organisation.name.trim();
  if (!name) problems.push({ path: 'organisation.name', message: '请填写单位名称' });
  const nameProblem = nameTextProblem(name);
  if (nameProblem) problems.push({ path: 'organisation.name', message: `单位名称${nameProblem}` });
  const check = checkUscc(input.organisation.uscc);
  const uscc = normaliseUscc(input.organisation.uscc);
  let verification = 'verified';
  if (!check.valid) {
    if (input.pendingVerification && /^[0-9A-Z]{18}$/.test(uscc)) verification = 'pending';
    else problems.push({ path: 'organisation.uscc', message: check.message + (check.problem === 'check' || check.problem === 'org-check' ? '。若确认代码无误，可选择“提交人工核验”' : '') });
  }
  const adminName = input.admin.name.trim();
  if (!adminName) problems.push({ path: 'admin.name', message: '请填写管理员姓名' });
  const adminNameProblem = nameTextProblem(adminName);
  if (adminNameProblem) problems.push({ path: 'admin.name', message: `管理员姓名${adminNameProblem}` });
  const email = input.admin.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email)) problems.push({ path: 'admin.email', message: '电子邮箱格式不正确，例如 name@example.cn' });
  const mobile = input.admin.mobile.trim();
  if (!MOBILE_RE.test(mobile)) problems.push({ path: 'admin.mobile', message: '手机号码应为 11 位，以 13–19 开头' });
  if (input.admin.password.length < MIN_PASSWORD_LENGTH)
    problems.push({ path: 'admin.password', message: `密码至少 ${MIN_PASSWORD_LENGTH} 位` });
  if (problems.length) throw new Invalid(problems.map((p) => p.message).join('；'), problems);

  const passwordHash = await hashPassword(input.admin.password);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    if (await repo.findOrganisationByUscc(trx, uscc))
      throw new Conflict('该统一社会信用代码已注册。每个申报单位只能注册一个管理员账号，请使用已有账号登录；如忘记密码请联系申报系统技术支持。', 'organisation_exists', { path: 'organisation.uscc' });
    if (await repo.findUserByEmail(trx, email))
      throw new Conflict('该电子邮箱已被注册，请更换邮箱或直接登录', 'email_exists', { path: 'admin.email' });
    const orgId = randomUUID();
    const userId = randomUUID();
    try {
      await repo.insertOrganisation(trx, { id: orgId, name, uscc, type: input.organisation.type, verification, created_at: now });
      await repo.insertUser(trx, {
        id: userId,
        organisation_id: orgId,
        role: 'applicant',
        name: adminName,
        email,
        mobile,
        password_hash: passwordHash,
        created_at: now,
        password_changed_at: now,
      });
    } catch (e) {
      if (/unique|duplicate/i.test(String((e as Error).message)))
        throw new Conflict('该统一社会信用代码或电子邮箱已注册。每个申报单位只能注册一个管理员账号。', 'organisation_exists', { path: 'organisation.uscc' });
      throw e;
    }
    await insertAudit(trx, {
      at: ctx.clock.now(),
      actorUserId: userId,
      organisationId: orgId,
      action: 'organisation.register',
      entityType: 'organisation',
      entityId: orgId,
      details: { name, uscc, type: input.organisation.type, verification },
      ip,
    });
    return { userId };
  });
}

/** Create a staff account (CLI). Role funder_admin, no organisation. */
export async function createStaff(ctx: AppContext, input: { name: string; email: string; mobile: string; password: string }): Promise<string> {
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new Invalid(`密码至少 ${MIN_PASSWORD_LENGTH} 位`, [{ path: 'password', message: `密码至少 ${MIN_PASSWORD_LENGTH} 位` }]);
  const id = randomUUID();
  const now = ctx.clock.now().toISOString();
  const email = input.email.trim().toLowerCase();
  if (await repo.findUserByEmail(ctx.db, email)) throw new Conflict('该电子邮箱已被注册', 'email_exists');
  await repo.insertUser(ctx.db, {
    id,
    organisation_id: null,
    role: 'funder_admin',
    name: input.name,
    email,
    mobile: input.mobile,
    password_hash: await hashPassword(input.password),
    created_at: now,
    password_changed_at: now,
  });
  return id;
}

/** Mark a pending organisation as verified (funder admin, via the CLI for now). */
export async function verifyOrganisation(ctx: AppContext, uscc: string): Promise<void> {
  const org = await repo.findOrganisationByUscc(ctx.db, normaliseUscc(uscc));
  if (!org) throw new NotFound('没有以该代码注册的单位');
  await ctx.db.transaction().execute(async (trx) => {
    await repo.setOrganisationVerification(trx, org.id, 'verified');
    await insertAudit(trx, { at: ctx.clock.now(), actorUserId: null, organisationId: org.id, action: 'organisation.verify', entityType: 'organisation', entityId: org.id });
  });
}

// A fixed hash so that an unknown login costs the same time as a wrong password.
let dummyHash: Promise<string> | null = null;

/**
 * Check credentials (login = e-mail or 统一社会信用代码) and open a new session: a fresh
 * random token (a new session id at every login) and a fresh CSRF token. The previous
 * session, if any, is deleted. Errors: Unauthenticated with one message for every failure.
 */
export async function login(
  ctx: AppContext,
  input: { login: string; password: string },
  previousToken: string | undefined,
  ip: string | null,
): Promise<{ token: string; csrfToken: string; userId: string }> {
  const l = input.login.trim();
  const user = l.includes('@') ? await repo.findUserByEmail(ctx.db, l) : await repo.findUserByUscc(ctx.db, normaliseUscc(l));
  dummyHash ??= hashPassword('not-a-real-password-0000');
  const ok = user ? await argonVerify(user.password_hash, input.password) : (await argonVerify(await dummyHash, input.password + 'x'), false);
  if (!user || !ok) {
    await insertAudit(ctx.db, { at: ctx.clock.now(), actorUserId: user?.id ?? null, organisationId: user?.organisation_id ?? null, action: 'auth.login_failed', entityType: 'user', entityId: user?.id ?? null, details: { login: l.slice(0, 100) }, ip });
    throw new Unauthenticated('账号或密码不正确');
  }
  const token = newToken();
  const csrfToken = newToken();
  const now = realNow();
  await ctx.db.transaction().execute(async (trx) => {
    if (previousToken) await repo.deleteSession(trx, hashToken(previousToken));
    await repo.insertSession(trx, {
      id: hashToken(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ctx.config.sessionTtlMs).toISOString(),
      last_seen_at: now.toISOString(),
    });
    await insertAudit(trx, { at: ctx.clock.now(), actorUserId: user.id, organisationId: user.organisation_id, action: 'auth.login', entityType: 'user', entityId: user.id, ip });
  });
  if (previousToken) sessionCache(ctx.db)?.forget(hashToken(previousToken));
  return { token, csrfToken, userId: user.id };
}

/** End a session. */
export async function logout(ctx: AppContext, token: string): Promise<void> {
  const idHash = hashToken(token);
  await repo.deleteSession(ctx.db, idHash);
  sessionCache(ctx.db)?.forget(idHash);
}

/**
 * The live session for a cookie token, or undefined: from this process's cache of sessions
 * where the database announces their changes (PostgreSQL, session-cache.ts), otherwise read.
 * Slides the expiry (written at most once a minute per session and instance: another
 * instance's slide is not announced); a session found gone or expired by that write (ended
 * by SQL while this request held it) is forgotten and undefined.
 */
export async function resolveSession(ctx: AppContext, token: string): Promise<repo.SessionRow | undefined> {
  const idHash = hashToken(token);
  const now = realNow();
  const cache = sessionCache(ctx.db);
  let s = cache?.get(idHash, now.getTime());
  if (!s) {
    const mark = cache?.mark() ?? 0;
    s = await repo.findSession(ctx.db, ctx.dialect, idHash, now.toISOString());
    if (!s) return undefined;
    cache?.remember(idHash, s, mark);
  }
  if (now.getTime() - Date.parse(s.lastSeenAt) > 60_000) {
    const lastSeenAt = now.toISOString();
    const expiresAt = new Date(now.getTime() + ctx.config.sessionTtlMs).toISOString();
    if (!(await repo.touchSession(ctx.db, idHash, lastSeenAt, expiresAt))) {
      cache?.forget(idHash);
      return undefined;
    }
    s.lastSeenAt = lastSeenAt;
    s.expiresAt = expiresAt;
  }
  return s;
}

/**
 * Change the password of the logged-in user; other sessions of the user are ended.
 * Errors: Forbidden for a wrong current password, Invalid for a short new one.
 */
export async function changePassword(ctx: AppContext, userId: string, token: string, input: { currentPassword: string; newPassword: string }, ip: string | null): Promise<void> {
  const user = await repo.findUserById(ctx.db, userId);
  if (!user) throw new Unauthenticated();
  if (!(await argonVerify(user.password_hash, input.currentPassword))) throw new Forbidden('当前密码不正确');
  if (input.newPassword.length < MIN_PASSWORD_LENGTH)
    throw new Invalid(`新密码至少 ${MIN_PASSWORD_LENGTH} 位`, [{ path: 'newPassword', message: `新密码至少 ${MIN_PASSWORD_LENGTH} 位` }]);
  const h = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updatePassword(trx, userId, h, ctx.clock.now().toISOString());
    await repo.deleteOtherSessions(trx, userId, hashToken(token));
    await insertAudit(trx, { at: ctx.clock.now(), actorUserId: userId, organisationId: user.organisation_id, action: 'auth.password_changed', entityType: 'user', entityId: userId, ip });
  });
  sessionCache(ctx.db)?.forgetUser(userId);
}
