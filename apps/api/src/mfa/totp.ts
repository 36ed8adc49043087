import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;
/** Codes of the step before and after are accepted too: a clock a little off still works. */
const WINDOW = 1;
const ISSUER = 'Countersign';

const totpOf = (secretBase32: string, label = '') =>
  new TOTP({
    issuer: ISSUER,
    label,
    secret: Secret.fromBase32(secretBase32),
    period: PERIOD_SECONDS,
    digits: 6,
  });

/** A new secret (160 random bits, base32, as authenticator apps take it). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// URL an authenticator app scans (RFC 6238 parameters, the person's e-mail as label). */
export const otpauthUrl = (secretBase32: string, email: string): string =>
  totpOf(secretBase32, email).toString();

/** The time step `code` belongs to, or null when it matches none in the window around `now`. */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/** A code of `secret` for `at` (tests and scripts). */
export const totpCode = (secretBase32: string, at = Date.now()): string =>
  totpOf(secretBase32).generate({ timestamp: at });

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten recovery codes of 16 characters (about 78 bits each), grouped by four: `k7p2-mq9x-4hzt-wc3n`. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: 4 }, () =>
      Array.from({ length: 4 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

/** How a recovery code is kept and looked up: lower-case, without separators, SHA-256. */
export const recoveryCodeHash = (code: string): Buffer =>
  createHash('sha256')
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .digest();

/** Looks like a recovery code rather than a six-digit code. */
export const isRecoveryCode = (code: string): boolean => code.replace(/[^A-Za-z0-9]/g, '').length === 16;
