import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORG_TYPES } from '../../../domain/calls/call';
import type { AppContext } from '../../http/context';
import { CSRF_COOKIE, SESSION_COOKIE, cookieOptions, ensureCsrfToken, requireActor } from '../../http/session';
import * as auth from './auth.service';

const ZPublicUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  mobile: z.string(),
  role: z.enum(['applicant', 'funder_admin']),
  organisation: z.object({ id: z.string(), name: z.string(), uscc: z.string(), type: z.string(), verification: z.string() }).nullable(),
});

/** Session, registration, login, logout, password change. */
export function authRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app0) => {
    const app = app0.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/session',
      {
        schema: {
          tags: ['auth'],
          summary: '当前会话、CSRF 令牌与服务器时间',
          response: { 200: z.object({ user: ZPublicUser.nullable(), csrfToken: z.string(), now: z.string(), clockSimulated: z.boolean() }) },
        },
      },
      async (request, reply) => {
        const csrfToken = ensureCsrfToken(ctx, request, reply);
        reply.header('cache-control', 'no-store');
        const user = request.actor ? await auth.getPublicUser(ctx, request.actor.userId) : null;
        return { user, csrfToken, now: ctx.clock.now().toISOString(), clockSimulated: ctx.clock.simulated };
      },
    );

    app.post(
      '/api/auth/register',
      {
        config: { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          summary: '注册申报单位及其管理员账号（每个单位一个）',
          body: z.strictObject({
            organisation: z.strictObject({ name: z.string().max(100), uscc: z.string().max(40), type: z.enum(ORG_TYPES) }),
            admin: z.strictObject({
              name: z.string().max(50),
              email: z.string().max(100),
              mobile: z.string().max(20),
              password: z.string().max(200),
            }),
            pendingVerification: z.boolean().optional(),
          }),
          response: { 201: z.object({ user: ZPublicUser, csrfToken: z.string() }) },
        },
      },
      async (request, reply) => {
        const { userId } = await auth.register(ctx, request.body, request.ip);
        const s = await auth.login(ctx, { login: request.body.admin.email, password: request.body.admin.password }, request.sessionToken, request.ip);
        reply.setCookie(SESSION_COOKIE, s.token, cookieOptions(ctx));
        reply.status(201);
        return { user: await auth.getPublicUser(ctx, userId), csrfToken: s.csrfToken };
      },
    );

    app.post(
      '/api/auth/login',
      {
        config: { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          summary: '登录（电子邮箱或统一社会信用代码）',
          body: z.strictObject({ login: z.string().min(1).max(100), password: z.string().max(200) }),
          response: { 200: z.object({ user: ZPublicUser, csrfToken: z.string() }) },
        },
      },
      async (request, reply) => {
        const s = await auth.login(ctx, request.body, request.sessionToken, request.ip);
        reply.setCookie(SESSION_COOKIE, s.token, cookieOptions(ctx));
        return { user: await auth.getPublicUser(ctx, s.userId), csrfToken: s.csrfToken };
      },
    );

    app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录' } }, async (request, reply) => {
      if (request.sessionToken) await auth.logout(ctx, request.sessionToken);
      // cleared with the attributes they were set with (HttpOnly, SameSite, Secure)
      reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
      reply.clearCookie(CSRF_COOKIE, cookieOptions(ctx));
      return reply.status(204).send();
    });

    app.post(
      '/api/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: '修改密码',
          body: z.strictObject({ currentPassword: z.string().max(200), newPassword: z.string().max(200) }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        await auth.changePassword(ctx, actor.userId, request.sessionToken!, request.body, request.ip);
        return reply.status(204).send();
      },
    );
  };
}
