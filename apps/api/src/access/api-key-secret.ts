import { newSecretToken, secretTokenHash } from '@app/persistence';

/** Every API key starts with this, so a leaked key is recognisable (and scannable). */
export const API_KEY_PREFIX = 'csk_';
const PREFIX_SHOWN = API_KEY_PREFIX.length + 8;

/** A new key: a secret token behind the prefix; its first characters are shown in lists. */
export function generateApiKey(): { key: string; prefix: string; secretHash: Buffer } {
  const { token: key, hash: secretHash } = newSecretToken(API_KEY_PREFIX);
  return { key, prefix: key.slice(0, PREFIX_SHOWN), secretHash };
}

export const hashApiKey = secretTokenHash;

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}
