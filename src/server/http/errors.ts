import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, Invalid } from '../../domain/errors';

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
  app.setErrorHandler((error: FastifyError | DomainError | Error, request, reply) => {
    if (error instanceof DomainError) {
      const statusCode = STATUS[error.code] ?? 400;
      return reply.status(statusCode).send({ statusCode, code: error.code, message: error.message, ...(error.details ?? {}) });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const problems = error.validation.map((v) => {
        const p = (v.instancePath || '').replace(/^\//, '').split('/').filter(Boolean);
        const path = p.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : (i ? '.' : '') + s)).join('');
        const where = (error as FastifyError).validationContext ?? 'body';
        return { path: path || where, message: v.message ?? '格式不正确' };
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

function isDatabaseDown(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003', 'SQLITE_BUSY', 'SQLITE_IOERR'].includes(code) ||
    /Connection terminated|connect ECONNREFUSED/.test(String((error as Error)?.message));
}

/** Re-export for services that build 400s. */
export { Invalid };
