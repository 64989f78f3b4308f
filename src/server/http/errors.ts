import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Conflict, DomainError, Invalid } from '../../domain/errors';

/** HTTP status of each domain error code. */
const STATUS: Record<string, number> = {
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  conflict: 409,
  version_conflict: 409,
  deadline_passed: 409,
  not_editable: 409,
  window_not_open: 409,
  organisation_pending: 409,
  organisation_exists: 409,
  email_exists: 409,
  duplicate_subprogramme: 409,
  nothing_to_export: 409,
  invalid: 400,
  has_errors: 422,
  too_many_requests: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  csrf: 403,
  unavailable: 503,
};

const FIELD_LABELS: Record<string, string> = {};

/**
 * Map errors to HTTP once (STYLE.md): domain errors by code, request-schema errors to 400
 * with the field paths, database outages to 503, anything else to 500 without details.
 * Body: `{statusCode, code, message, problems?, ...details}`.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  // schema messages without a message of their own read in Chinese (messages shown to
  // people are Chinese first); the schemas' own messages are Chinese already
  z.config(z.locales.zhCN());
  app.setErrorHandler((error: FastifyError | DomainError | Error, request, reply) => {
    if (error instanceof DomainError) {
      // a Conflict with a code of its own is still a 409
      const statusCode = STATUS[error.code] ?? (error instanceof Conflict ? 409 : 400);
      return reply.status(statusCode).send({ statusCode, code: error.code, message: error.message, ...(error.details ?? {}) });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = (error as FastifyError).validationContext ?? 'body';
      const problems = error.validation.flatMap((v) => {
        const p = (v.instancePath || '').replace(/^\//, '').split('/').filter(Boolean);
        const path = p.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : (i ? '.' : '') + s)).join('');
        // an unknown key is named by its own path, not only by the object that holds it
        const keys = v.keyword === 'unrecognized_keys' ? ((v.params as { keys?: unknown })?.keys as string[] | undefined) : undefined;
        if (Array.isArray(keys) && keys.length)
          return keys.map((k) => ({ path: path ? `${path}.${k}` : k, message: `不允许的字段“${k}”` }));
        return [{ path: path || where, message: v.message ?? '格式不正确' }];
      });
      return reply.status(400).send({
        statusCode: 400,
        code: 'invalid',
        message: `请求数据不正确：${problems.map((p) => `${FIELD_LABELS[p.path] ?? p.path}：${p.message}`).join('；')}`,
        problems,
      });
    }
    if (isResponseSerializationError(error)) {
      request.log.error(error, 'response serialization');
      return reply.status(500).send({ statusCode: 500, code: 'internal', message: '服务器内部错误' });
    }
    const fe = error as FastifyError;
    if (fe.statusCode === 403 && (!fe.code || fe.code === 'FST_STATIC_FORBIDDEN_PATH')) {
      // the static file server refusing a path it cannot check (e.g. a name over the file
      // system's length limit): for an /api address that is simply no such route
      const api = request.url.startsWith('/api/');
      return reply.status(api ? 404 : 403).send(
        api ? { statusCode: 404, code: 'not_found', message: '请求的地址不存在' } : { statusCode: 403, code: 'forbidden', message: '无权访问该地址' },
      );
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code =
        fe.statusCode === 413 ? 'payload_too_large' : fe.statusCode === 415 ? 'unsupported_media_type' : fe.statusCode === 429 ? 'too_many_requests' : 'bad_request';
      const message =
        fe.statusCode === 413
          ? '提交的数据过大'
          : fe.statusCode === 429
            ? '请求过于频繁，请稍后再试'
            : fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError
              ? '请求体不是有效的 JSON'
              : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
                ? '不支持的内容类型'
                : `请求不正确：${fe.message}`;
      return reply.status(fe.statusCode).send({ statusCode: fe.statusCode, code, message });
    }
    if (isDatabaseDown(error)) {
      request.log.error(error, 'database unavailable');
      return reply.status(503).header('retry-after', '5').send({ statusCode: 503, code: 'unavailable', message: '数据库暂时不可用，您的修改未保存，请稍后重试' });
    }
    request.log.error(error);
    return reply.status(500).send({ statusCode: 500, code: 'internal', message: '服务器内部错误，请稍后重试' });
  });
}

/**
 * Errors the router answers before any hook or handler runs (a URL that cannot be decoded,
 * a path parameter over the router's length limit): the same JSON body with a Chinese
 * message as every other error, instead of Fastify's English default.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? '请求地址中的参数过长' : '请求地址格式不正确';
  reply.status(statusCode).send({ statusCode, code: 'bad_request', message });
}

/** Node network errors: the database server cannot be reached or hung up. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
/** SQLite: locked past busy_timeout, or the file cannot be read or written. */
const SQLITE_DOWN = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN)/;

/**
 * The database is away rather than the request wrong: PostgreSQL connection exceptions
 * (SQLSTATE class 08), operator intervention (57P01 terminated by pg_terminate_backend or a
 * shutdown, 57P03 starting up), too many connections (53300), any FATAL error (it ends the
 * session: e.g. 55000 "database is not currently accepting connections", 3D000 database
 * gone), pg's own connection messages (pool connect timeout, connection terminated), Node
 * network errors and SQLite busy/I-O errors.
 */
export function isDatabaseDown(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SQLITE_DOWN.test(code)) return true;
  if (/^(08|57P)/.test(code) || code === '53300') return true;
  if (e?.severity === 'FATAL' && /^[0-9A-Z]{5}$/.test(code)) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|not queryable/.test(String(e?.message));
}

/** Re-export for services that build 400s. */
export { Invalid };
