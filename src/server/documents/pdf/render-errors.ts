import { DomainError, Invalid, type FieldProblem } from '../../../domain/errors';

/** Typst failed on a model it should accept: a bug in the template, not in the data. */
export class PdfRenderError extends Error {
  constructor(readonly diagnostics: unknown[]) {
    super(`申报书 PDF 生成失败：${diagnostics.map((d) => JSON.stringify(d)).join('; ')}`);
    this.name = 'PdfRenderError';
  }
}

/**
 * The renderer could not answer: its child process died, took longer than the timeout, or
 * too many renders were waiting. Code `unavailable` (HTTP 503); `reason` says which. The
 * next render starts a new child.
 */
export class PdfRendererUnavailable extends DomainError {
  constructor(
    readonly reason: 'crashed' | 'timeout' | 'busy' | 'closed',
    detail = '',
  ) {
    const text = {
      crashed: '申报书 PDF 生成进程意外退出',
      timeout: '申报书 PDF 生成超时',
      busy: '申报书 PDF 生成排队已满',
      closed: '申报书 PDF 生成服务已关闭',
    }[reason];
    super(`${text}，请稍后重试${detail ? `（${detail}）` : ''}`, 'unavailable', { reason });
  }
}

/**
 * An error as it crosses from the renderer child to the server: plain data that survives
 * the IPC channel, with what {@link decodeError} needs to rebuild the same class, message,
 * code and field problems (so the HTTP layer still answers 400 naming field and code point).
 */
export type TWireError =
  | { kind: 'invalid'; message: string; code: string; problems: FieldProblem[] }
  | { kind: 'typst'; diagnostics: unknown[] }
  | { kind: 'error'; name: string; message: string; stack?: string };

/** See {@link TWireError}. */
export function encodeError(e: unknown): TWireError {
  if (e instanceof Invalid) return { kind: 'invalid', message: e.message, code: e.code, problems: e.problems.map(({ path, message }) => ({ path, message })) };
  // JSON round trip: Typst diagnostics are plain objects, but make sure nothing uncloneable rides along
  if (e instanceof PdfRenderError) return { kind: 'typst', diagnostics: JSON.parse(JSON.stringify(e.diagnostics)) };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'error', name: err.name, message: err.message, stack: err.stack };
}

/** The error that {@link encodeError} encoded, rebuilt in the server process. */
export function decodeError(w: TWireError): Error {
  switch (w.kind) {
    case 'invalid':
      return new Invalid(w.message, w.problems, w.code);
    case 'typst':
      return new PdfRenderError(w.diagnostics);
    default: {
      const err = new Error(w.message);
      err.name = w.name;
      if (w.stack) err.stack = `${w.stack}\n    (in the PDF renderer child process)`;
      return err;
    }
  }
}
