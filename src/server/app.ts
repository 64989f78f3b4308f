import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import type { AppContext } from './http/context';
import { frameworkErrorHandler, registerErrorHandler } from './http/errors';
import { registerJsonBodyParser, registerUrlGuard } from './http/input-guards';
import { registerSessionHooks } from './http/session';
import { authRoutes } from './features/auth/auth.routes';
import { callsRoutes } from './features/calls/calls.routes';
import { applicationsRoutes } from './features/applications/applications.routes';
import { attachmentsRoutes } from './features/attachments/attachments.routes';
import { documentsRoutes } from './features/documents/documents.routes';
import { exportsRoutes } from './features/exports/exports.routes';

/** Largest JSON body accepted (an application with every long text at its limit fits). */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  logger?: boolean;
  /**
   * Called for every route as it is added (a Fastify `onRoute` hook registered before any
   * route), so that tests can walk the whole route table, e.g. the authorisation matrix.
   */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * Where the per-route rate limits (login, registration) count: with `redisUrl`, in Redis, so
 * that several instances behind a load balancer share one count per client; otherwise in
 * this process's memory. If Redis cannot be reached a request is let through (`skipOnError`)
 * rather than refused: a Redis outage at the deadline must not lock every applicant out.
 */
function rateLimitStore(app: FastifyInstance, redisUrl: string | undefined) {
  if (!redisUrl) return {};
  const redis = new Redis(redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // reconnects on its own; an unreachable Redis must not crash the process
  redis.on('error', (e) => app.log.warn({ err: e }, 'redis'));
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  return { redis, nameSpace: 'shenbao-rl-', skipOnError: true };
}

/**
 * Build the HTTP application (no listen): the JSON API under /api (OpenAPI at
 * /api/openapi.json) and the built web app from `ctx.config.webDir` with SPA fallback.
 */
export async function buildApp(ctx: AppContext, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: 'info' } : false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: process.env.TRUST_PROXY === '1',
    genReqId: () => crypto.randomUUID(),
    frameworkErrors: frameworkErrorHandler,
  });
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerJsonBodyParser(app);
  registerUrlGuard(app);

  await app.register(cookie);
  // Security headers (helmet), built once: @fastify/helmet rebuilt the middleware on every
  // request, 4 % of a save's server time on the deadline-day hot path.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design writes its styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(rateLimit, { global: false, ...rateLimitStore(app, ctx.config.redisUrl) });
  // preservePath: the name is kept whole (slashes become full-width in the attachment service)
  await app.register(multipart, { preservePath: true, limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Shenbao 申报系统 API', version: '0.1.0', description: '学会公共服务能力提升项目申报与管理。所有时间为 ISO-8601（UTC），界面显示北京时间。' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sb_sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  registerSessionHooks(app, ctx);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { hide: true } }, async () => {
    await ctx.db.selectFrom('calls').select('code').limit(1).execute();
    return { ok: true };
  });

  await app.register(authRoutes(ctx));
  await app.register(callsRoutes(ctx));
  await app.register(applicationsRoutes(ctx));
  await app.register(attachmentsRoutes(ctx));
  await app.register(documentsRoutes(ctx));
  await app.register(exportsRoutes(ctx));

  const webDir = ctx.config.webDir;
  const hasWeb = existsSync(path.join(webDir, 'index.html'));
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: true,
      index: 'index.html',
      serve: true,
      prefix: '/',
      // an /api address that no route matched (e.g. a parameter over the length limit) is an API 404, never a file
      allowedPath: (pathName) => !pathName.startsWith('/api/'),
    });
  app.setNotFoundHandler((request, reply) => {
    // the single-page app answers every other page address (HEAD as GET, without the body:
    // sendFile leaves it out); a missing asset stays a 404
    if ((request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api/') && !request.url.startsWith('/assets/') && hasWeb) {
      // Not `return reply…`: the reply is a thenable, and Fastify awaits a returned one by
      // subscribing to the end of the response (two more 'close' listeners on it) while
      // sendFile streams. The path holds eight already (Fastify's own; @fastify/static
      // awaiting the reply twice, two each; the file's pipe, three), all released with the
      // response: with those two, a real server sat at Node's limit of ten, and under
      // app.inject (whose response adds one) every page address warned
      // MaxListenersExceededWarning … [Response] (test/integration/web-static.test.ts).
      reply.header('cache-control', 'no-cache').sendFile('index.html');
      return;
    }
    return reply.status(404).send({ statusCode: 404, code: 'not_found', message: '请求的地址不存在' });
  });
  return app;
}
