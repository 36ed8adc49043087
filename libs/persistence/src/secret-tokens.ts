import { createHash, randomBytes } from 'node:crypto';

/**
 * The bearer secrets of review links, calendar feeds and API keys: 32 random bytes,
 * of which only the SHA-256 is stored. SHA-256 suffices (no slow hash): the secret
 * has 256 bits of entropy, nothing to brute-force.
 */
export function newSecretToken(prefix = ''): { token: string; hash: Buffer } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: secretTokenHash(token) };
}

export function secretTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** 32 bytes in base64url, without a prefix: anything else cannot be one of ours. */
export const looksLikeSecretToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
