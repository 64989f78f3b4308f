import type { FormIssue, TApplicationData } from '../../domain';
import type {
  TSubmitResult,
  TWithdrawResult,
  TApplication,
  TApplicationSummary,
  TAttachment,
  TCall,
  TCallSummary,
  TRegisterInput,
  TSaveResult,
  TSession,
  TUser,
} from './types';

/**
 * The one place that talks HTTP: adds the CSRF header to every write, sends cookies
 * (same-origin), parses JSON and turns every non-2xx answer into an {@link ApiError}
 * carrying the server's code, Chinese message and details (problems, issues, current…).
 * A failed fetch (offline, server down) becomes an ApiError with status 0 and code 'network'.
 */

export interface ApiProblem {
  path: string;
  message: string;
}

/** Body of an error answer (all optional: a proxy may answer with HTML). */
export interface ApiErrorBody {
  statusCode?: number;
  code?: string;
  message?: string;
  problems?: ApiProblem[];
  issues?: FormIssue[];
  current?: { version: number; data: TApplicationData; updatedAt: string };
  deadline?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: ApiErrorBody = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get isNetwork() {
    return this.status === 0;
  }
  get isUnauthenticated() {
    return this.status === 401;
  }
}

let csrfToken = '';
const unauthorisedListeners = new Set<() => void>();

/** Set the token sent as x-csrf-token (from GET /api/session). */
export function setCsrfToken(token: string) {
  csrfToken = token;
}

/** Called on any 401 from an endpoint other than login (the session expired). */
export function onUnauthorised(listener: () => void): () => void {
  unauthorisedListeners.add(listener);
  return () => unauthorisedListeners.delete(listener);
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: '提交的内容有误，请检查后重试',
  401: '登录已过期，请重新登录',
  403: '无权执行此操作',
  404: '未找到该对象或无权访问',
  409: '操作与当前状态冲突',
  413: '文件过大',
  415: '不支持的文件类型',
  422: '内容未通过检查',
  429: '尝试次数过多，请稍后再试',
};

async function request<T>(method: string, url: string, body?: unknown, opts: { quiet401?: boolean; retried?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const b = (json && typeof json === 'object' ? json : {}) as ApiErrorBody;
    if (res.status === 403 && b.code === 'csrf' && !opts.retried) {
      // The token belongs to a session that is gone (expired, logged out in another tab):
      // fetch the current one; without a user this is an expired login, else retry once.
      const s = await request<TSession>('GET', '/api/session');
      setCsrfToken(s.csrfToken);
      if (!s.user && !opts.quiet401) {
        unauthorisedListeners.forEach((l) => l());
        throw new ApiError(401, 'unauthenticated', DEFAULT_MESSAGES[401], b);
      }
      return request<T>(method, url, body, { ...opts, retried: true });
    }
    const err = new ApiError(res.status, b.code ?? `http_${res.status}`, b.message || DEFAULT_MESSAGES[res.status] || `服务器错误（${res.status}），请稍后重试`, b);
    if (res.status === 401 && !opts.quiet401) unauthorisedListeners.forEach((l) => l());
    throw err;
  }
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  session: () => request<TSession>('GET', '/api/session'),
  register: (input: TRegisterInput) => request<{ user: TUser }>('POST', '/api/auth/register', input, { quiet401: true }),
  login: (login: string, password: string) => request<{ user: TUser }>('POST', '/api/auth/login', { login, password }, { quiet401: true }),
  logout: () => request<void>('POST', '/api/auth/logout', undefined, { quiet401: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/api/auth/password', { currentPassword, newPassword }, { quiet401: true }),

  calls: () => request<TCallSummary[]>('GET', '/api/calls'),
  call: (code: string) => request<TCall>('GET', `/api/calls/${enc(code)}`),

  /** The caller's applications; `organisation` narrows them to a 申报单位 (a part of its name or the beginning of its code). */
  applications: (filter: { organisation?: string } = {}) =>
    request<TApplicationSummary[]>('GET', filter.organisation ? `/api/applications?organisation=${encodeURIComponent(filter.organisation)}` : '/api/applications'),
  application: (id: string) => request<TApplication>('GET', `/api/applications/${enc(id)}`),
  createApplication: (callCode: string, data: TApplicationData) => request<TApplication>('POST', '/api/applications', { callCode, data }),
  saveApplication: (id: string, version: number, data: TApplicationData) =>
    request<TSaveResult>('PUT', `/api/applications/${enc(id)}`, { version, data }),
  submit: (id: string) => request<TSubmitResult>('POST', `/api/applications/${enc(id)}/submit`),
  withdraw: (id: string) => request<TWithdrawResult>('POST', `/api/applications/${enc(id)}/withdraw`),

  attachments: (id: string) => request<TAttachment[]>('GET', `/api/applications/${enc(id)}/attachments`),
  uploadAttachment: (id: string, file: File) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    return request<TAttachment>('POST', `/api/applications/${enc(id)}/attachments`, fd);
  },
  deleteAttachment: (id: string, attachmentId: string) =>
    request<void>('DELETE', `/api/applications/${enc(id)}/attachments/${enc(attachmentId)}`),
};

/** URLs opened by the browser itself (new tab, download). */
export const urls = {
  pdf: (id: string) => `/api/applications/${enc(id)}/pdf`,
  docx: (id: string) => `/api/applications/${enc(id)}/docx`,
  attachment: (id: string, attachmentId: string) => `/api/applications/${enc(id)}/attachments/${enc(attachmentId)}`,
  /** The funder's exports of a call (funder admins only). */
  exportXlsx: (callCode: string) => `/api/calls/${enc(callCode)}/exports/applications.xlsx`,
  exportZip: (callCode: string) => `/api/calls/${enc(callCode)}/exports/documents.zip`,
};
