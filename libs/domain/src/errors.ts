/** Why a use case refused; the API maps each code to one HTTP status, the worker to retry or fail. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  PayloadTooLarge = 'payload_too_large',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  /** the workspace asks this role for a second factor, and the session has none */
  MfaRequired = 'mfa_required',
  NotFound = 'not_found',
  Conflict = 'conflict',
  PreconditionFailed = 'precondition_failed',
  PreconditionRequired = 'precondition_required',
  RateLimited = 'rate_limited',
  Unprocessable = 'unprocessable',
  /** it existed, but is no more (a used or expired review link) */
  Gone = 'gone',
  /** an outside service (a channel's receiver) refused or did not answer */
  BadGateway = 'bad_gateway',
}

/** One problem with one input field, named by its path (`stages[0].required`). */
export interface FieldError {
  field: string;
  message: string;
}

/** A refusal by a rule, carrying a code and, for bad input, the fields at fault. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  static invalid(field: string, message: string): DomainError {
    return DomainError.ofFields(ErrorCode.ValidationFailed, [{ field, message }]);
  }

  /** A refusal naming each field at fault; its message lists them as `field: message`, after `lead`. */
  static ofFields(code: ErrorCode, errors: FieldError[], lead?: string): DomainError {
    const list = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new DomainError(code, lead ? `${lead}: ${list}` : list, errors);
  }
}

/** Too many attempts: try again in `retryAfterSeconds` (sent as Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(ErrorCode.RateLimited, message);
    this.name = 'RateLimitedError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID: anything else names no row, so it is not looked up. */
export const isUuid = (value: string): boolean => UUID.test(value);
