import { createHash, randomBytes } from 'node:crypto';

/** Every API key starts with this, so a leaked key is recognisable (and scannable). */
export const API_KEY_PREFIX = 'csk_';
const PREFIX_SHOWN = API_KEY_PREFIX.length + 8;

/** A new key: 32 random bytes; only its SHA-256 is stored, its first characters shown in lists. */
export function generateApiKey(): { key: string; prefix: string; secretHash: Buffer } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, PREFIX_SHOWN), secretHash: hashApiKey(key) };
}

/** SHA-256 suffices: the secret has 256 bits of entropy, nothing to brute-force. */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}
