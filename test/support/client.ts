import type { FastifyInstance } from 'fastify';

/** A response as the tests read it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  raw: Buffer;
}

/**
 * A browser-like client over app.inject: keeps cookies, fetches the CSRF token from
 * GET /api/session and sends it on every state-changing request.
 */
export class TestClient {
  cookies = new Map<string, string>();
  csrf: string | null = null;

  constructor(readonly app: FastifyInstance) {}

  /** The Cookie header this client sends. */
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async refreshSession(): Promise<any> {
    const r = await this.request('GET', '/api/session');
    this.csrf = r.body.csrfToken;
    return r.body;
  }

  async request(method: string, url: string, body?: unknown, opts: { headers?: Record<string, string>; csrf?: boolean; payload?: Buffer } = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (method !== 'GET' && opts.csrf !== false) {
      if (!this.csrf) await this.refreshSession();
      headers['x-csrf-token'] = this.csrf!;
      if (cookie !== this.cookieHeader()) headers.cookie = this.cookieHeader();
    }
    const res = await this.app.inject({
      method: method as any,
      url,
      headers,
      ...(opts.payload ? { payload: opts.payload } : body !== undefined ? { payload: body as any } : {}),
    });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    if (res.json && /json/.test(String(res.headers['content-type']))) {
      const b = res.json();
      if (b && typeof b === 'object' && typeof b.csrfToken === 'string') this.csrf = b.csrfToken;
      return { status: res.statusCode, headers: res.headers, body: b, raw: res.rawPayload };
    }
    return { status: res.statusCode, headers: res.headers, body: res.body, raw: res.rawPayload };
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
  put(url: string, body: unknown) {
    return this.request('PUT', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}
