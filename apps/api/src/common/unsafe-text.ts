import { DomainError, ErrorCode, type FieldError } from '@app/domain';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/**
 * A NUL (PostgreSQL's text cannot hold one) or a lone UTF-16 surrogate (not a
 * character at all: it cannot be stored or sent on as UTF-8).
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Every string (value or key) in `value` that no text column or UTF-8 stream can take, by field path. */
export function unsafeTextFields(value: unknown, path = ''): FieldError[] {
  if (typeof value === 'string')
    return UNSAFE.test(value) ? [{ field: path || 'body', message: MESSAGE }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unsafeTextFields(item, join(path, i)));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    UNSAFE.test(key)
      ? [{ field: join(path, key.replace(UNSAFE, '?')), message: `${MESSAGE} (in the name)` }]
      : unsafeTextFields(item, join(path, key)),
  );
}

/**
 * Refuses, before any handler runs, a request whose body, query or path holds text
 * that cannot be stored: 400 naming each field, as the validation pipe would.
 */
export function useUnsafeTextGuard(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request, reply) => {
    const errors = [
      ...unsafeTextFields(request.body),
      ...unsafeTextFields(request.query),
      ...unsafeTextFields(request.params),
    ];
    if (errors.length === 0) return;
    const problem = toProblem(
      new DomainError(
        ErrorCode.ValidationFailed,
        errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      ),
    );
    await reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
}
