/**
 * Domain errors. Services throw these; the server maps them to HTTP once
 * (NotFound 404, Forbidden 403, Unauthenticated 401, Conflict 409, DeadlinePassed 409,
 * Invalid 400/422). Messages are Chinese, for people.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The object does not exist, or the caller may not know that it exists. */
export class NotFound extends DomainError {
  constructor(message = '未找到该对象或无权访问', details?: Record<string, unknown>) {
    super(message, 'not_found', details);
  }
}

/** Not logged in. */
export class Unauthenticated extends DomainError {
  constructor(message = '请先登录') {
    super(message, 'unauthenticated');
  }
}

/** Logged in, but not allowed. */
export class Forbidden extends DomainError {
  constructor(message = '无权执行此操作') {
    super(message, 'forbidden');
  }
}

/** The request conflicts with the current state (stale version, duplicate, wrong status). */
export class Conflict extends DomainError {
  constructor(message: string, code = 'conflict', details?: Record<string, unknown>) {
    super(message, code, details);
  }
}

/** A write after the deadline. `deadline` is the human text in 北京时间. */
export class DeadlinePassed extends DomainError {
  constructor(deadline: string, message?: string) {
    super(message ?? `申报已于 ${deadline} 截止，系统不再接受新的申报或修改`, 'deadline_passed', { deadline });
  }
}

/** One problem with input, located by a path of the application-data contract. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Input that cannot be accepted; `problems` name the fields. */
export class Invalid extends DomainError {
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
    code = 'invalid',
  ) {
    super(message, code, { problems });
  }
}

/** Too many attempts. */
export class TooManyRequests extends DomainError {
  constructor(message = '尝试次数过多，请稍后再试') {
    super(message, 'too_many_requests');
  }
}
