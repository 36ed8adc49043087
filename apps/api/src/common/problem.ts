import { DomainError, ErrorCode, type FieldError } from '@app/domain';
import { HttpException, HttpStatus } from '@nestjs/common';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const STATUS_BY_CODE: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.MalformedJson]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.MfaRequired]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.PreconditionFailed]: HttpStatus.PRECONDITION_FAILED,
  [ErrorCode.PreconditionRequired]: HttpStatus.PRECONDITION_REQUIRED,
  [ErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.Unprocessable]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.Gone]: HttpStatus.GONE,
  [ErrorCode.BadGateway]: HttpStatus.BAD_GATEWAY,
};

const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: ErrorCode.Conflict,
  410: 'gone',
  412: ErrorCode.PreconditionFailed,
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: ErrorCode.Unprocessable,
  428: ErrorCode.PreconditionRequired,
  429: ErrorCode.RateLimited,
  503: 'service_unavailable',
};

/** Every `code` a problem body may carry. */
export const PROBLEM_CODES: readonly string[] = [
  ...new Set([...Object.values(ErrorCode), ...Object.values(CODE_BY_STATUS)]),
].sort() as string[];

export function titleOf(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** A problem body for `status`, titled after it. */
export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `urn:countersign:problem:${code}`,
    title: titleOf(status),
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

function httpExceptionDetail(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Maps anything thrown while handling a request to problem details; unknown errors are 500s. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problem(STATUS_BY_CODE[error.code], error.code, error.message, error.errors);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return problem(status, CODE_BY_STATUS[status] ?? 'error', httpExceptionDetail(error));
  }
  return problem(500, 'internal_error', 'Something went wrong on our side. It has been logged.');
}
