import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { DomainError, Forbidden, Unauthenticated } from '../../domain/errors';
import type { Actor, AppContext } from './context';
import { newToken, resolveSession } from '../features/auth/auth.service';

/** Cookie with the session token (httpOnly, SameSite=Lax). */
export const SESSION_COOKIE = 'sb_sid';
/** Cookie with the CSRF token of a visitor without a session (double submit). */
export const CSRF_COOKIE = 'sb_csrf';
/** Header that carries the CSRF token on every POST, PUT, PATCH and DELETE. */
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | undefined;
    csrfToken: string | undefined;
  }
}

class CsrfError extends DomainError {
  constructor() {
    super('页面已过期或请求来源不明（CSRF 校验未通过），请刷新页面后重试', 'csrf');
  }
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Cookie options for the session and CSRF cookies. */
export function cookieOptions(ctx: AppContext) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: ctx.config.secureCookies };
}

/**
 * Sessions and CSRF for every /api request: resolve the session cookie into
 * `request.actor`; on state-changing methods require `x-csrf-token` to equal the session's
 * CSRF token (or, without a session, the `sb_csrf` cookie).
 */
export function registerSessionHooks(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('csrfToken', undefined);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    // Another site may send the browser here (a link, a form, a top-level navigation carries
    // SameSite=Lax cookies): nothing of the API is for that, not even a GET that starts an
    // export or a PDF in the visitor's name. Browsers say where a request comes from.
    if (request.headers['sec-fetch-site'] === 'cross-site') throw new Forbidden('拒绝来自其他网站的请求：请直接打开申报系统后再操作');
    const token = request.cookies[SESSION_COOKIE];
    if (token && token.length < 200) {
      const s = await resolveSession(ctx, token);
      if (s) {
        request.actor = { userId: s.userId, role: s.role as Actor['role'], organisationId: s.organisationId, ip: request.ip };
        request.sessionToken = token;
        request.csrfToken = s.csrfToken;
      }
    }
    if (!request.csrfToken) request.csrfToken = request.cookies[CSRF_COOKIE];
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !request.csrfToken || !safeEqual(sent, request.csrfToken)) {
        // A write that still carries a session cookie whose session has ended is an expired
        // login, not a forgery: say so (401), so the page keeps the text and asks to log in.
        if (token && !request.actor && typeof sent === 'string' && sent.length > 0) throw new Unauthenticated(EXPIRED_MESSAGE);
        throw new CsrfError();
      }
    }
  });
}

/** Make sure a visitor without a session has a CSRF cookie; return the token to give out. */
export function ensureCsrfToken(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): string {
  if (request.csrfToken) return request.csrfToken;
  const t = newToken();
  reply.setCookie(CSRF_COOKIE, t, cookieOptions(ctx));
  request.csrfToken = t;
  return t;
}

const EXPIRED_MESSAGE = '登录已过期，请重新登录。未保存的内容保留在本机浏览器中，重新登录后可恢复';

/** The logged-in actor, or Unauthenticated. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthenticated(request.sessionToken === undefined && request.cookies[SESSION_COOKIE] ? EXPIRED_MESSAGE : '请先登录');
  return request.actor;
}
