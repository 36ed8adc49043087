import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AppConfig } from '@app/config';

const VERSION = 'v1';

/** A key with its id: the first 8 hex digits of its SHA-256, written beside each value it encrypts. */
interface Key {
  id: string;
  bytes: Buffer;
}

const keyOf = (base64: string): Key => {
  const bytes = Buffer.from(base64, 'base64');
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
};

/**
 * Encrypts secrets kept at rest (AES-256-GCM under CREDENTIALS_KEY). Each value
 * says which key sealed it (`v1.<key id>.<iv>.<tag>.<ciphertext>`), so values sealed
 * under CREDENTIALS_KEY_PREVIOUS still open while an operator rotates keys, and
 * `needsResealing` tells which to write again.
 */
export class CredentialsCipher {
  private readonly current: Key;
  private readonly keys: Map<string, Key>;

  constructor(config: Pick<AppConfig, 'credentialsKey' | 'credentialsKeyPrevious'>) {
    this.current = keyOf(config.credentialsKey);
    const previous = config.credentialsKeyPrevious ? [keyOf(config.credentialsKeyPrevious)] : [];
    this.keys = new Map([this.current, ...previous].map((k) => [k.id, k]));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plaintext; throws when the value was altered or sealed under a key this process does not have. */
  open(sealed: string): string {
    const [version, keyId, iv, tag, data, ...rest] = sealed.split('.');
    const key = this.keys.get(keyId);
    if (version !== VERSION || rest.length > 0 || !key || !iv || !tag || data === undefined) {
      throw new Error(`a sealed value under key ${keyId ?? '?'} cannot be opened with the configured keys`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** The id written beside every value the current key seals. */
  get currentKeyId(): string {
    return this.current.id;
  }

  /** Sealed under another key than the current one: write it again. */
  needsResealing(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}
