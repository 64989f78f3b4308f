import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { Invalid } from '../../domain/errors';

/** A lone UTF-16 surrogate: JSON can carry it as `\ud800`, UTF-8 storage cannot keep it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** U+0000: PostgreSQL text cannot store it (SQLite can), so it is refused on both. */
const NUL = '\u0000';
/** The escapes that can carry U+0000 or a surrogate in JSON text. */
const ESCAPED_SUSPECT = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * The path (contract path text, as in problems[].path: `data.team[0].note`) of the first
 * key or string value of `value` for which `bad` holds, or null. Iterative: a body may be
 * nested a million levels deep.
 */
export function findText(value: unknown, bad: (s: string) => boolean): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (bad(v)) return path || 'body';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i];
        const p = path ? `${path}.${k}` : k;
        if (bad(k)) return p;
        stack.push([x, p]);
      }
    }
  }
  return null;
}

/**
 * JSON bodies are read as bytes and refused with 400 (naming the field where it can be
 * found) when they are not valid UTF-8, or carry text that storage would change or refuse
 * (U+0000, lone surrogates). Without this, invalid bytes were silently replaced by U+FFFD
 * and saved, and U+0000 made PostgreSQL fail with a 500.
 * Parsing itself stays Fastify's (secure-json-parse: `__proto__` and
 * `constructor.prototype` keys are refused).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    const utf8 = isUtf8(bytes);
    const text = bytes.toString('utf8');
    parse(request, text, (err, value) => {
      if (!utf8) {
        // invalid sequences were decoded as U+FFFD: name the field that holds one, unless the
        // body also carries a genuine U+FFFD and the field cannot be told apart
        const genuine = bytes.includes(Buffer.from('\ufffd', 'utf8'));
        const path = !err && !genuine ? findText(value, (s) => s.includes('\ufffd')) : null;
        const message = '请求数据不是有效的 UTF-8 编码文本（可能粘贴了乱码或以其他编码保存的内容），请检查后重试';
        return done(new Invalid(message, path ? [{ path, message: '包含无效的 UTF-8 字节' }] : []), undefined);
      }
      if (err) return done(err, undefined);
      // U+0000 and lone surrogates can only arrive as \u escapes (a raw NUL is not valid JSON,
      // a raw surrogate not valid UTF-8): only a body that has one needs the walk
      if (!ESCAPED_SUSPECT.test(text)) return done(null, value);
      const path = findText(value, (s) => s.includes(NUL) || LONE_SURROGATE.test(s));
      if (path) {
        const message = '包含无法保存的字符（U+0000 空字符或不成对的代理字符），请删除后重试';
        return done(new Invalid(`请求数据不正确：${path}：${message}`, [{ path, message }]), undefined);
      }
      done(null, value);
    });
  });
}

/**
 * Refuse a URL that carries U+0000 (`%00`) in its path or query: no id, code or filter
 * contains one, and PostgreSQL fails on it (a 500 instead of a 4xx).
 */
export function registerUrlGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.url.includes('%00')) throw new Invalid('请求地址包含无效字符（%00）', [{ path: 'url', message: '包含空字符 %00' }]);
  });
}
