import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/domain';

/**
 * The CSRF token of a page's form: an HMAC of what the page is about (a review link,
 * an invitation, a password reset), so it needs no session or cookie and works for
 * that page only. `purpose` keeps one page's token from passing on another.
 */
export function formToken(secret: string, purpose: string, id: string): string {
  return createHmac('sha256', secret).update(`${purpose}-form:${id}`).digest('base64url');
}

/** Refuses (403) a form whose token is not the one its page made. */
export function assertFormToken(secret: string, purpose: string, id: string, given: unknown): void {
  const expected = Buffer.from(formToken(secret, purpose, id));
  const actual = Buffer.from(typeof given === 'string' ? given : '');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new DomainError(
      ErrorCode.Forbidden,
      'This form is not one this page made; open the link from your e-mail again.',
    );
  }
}
