import { DomainError } from '@app/domain';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** An Idempotency-Key header, when sent, is 1 to 255 printable ASCII characters. */
export function assertIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw DomainError.invalid('Idempotency-Key', 'must be 1 to 255 printable ASCII characters');
  }
}
