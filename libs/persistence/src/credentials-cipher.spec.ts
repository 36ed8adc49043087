import { CredentialsCipher } from './credentials-cipher';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe(CredentialsCipher.name, () => {
  const cipher = new CredentialsCipher({ credentialsKey: key(1), credentialsKeyPrevious: undefined });

  it('opens what it sealed, and seals the same text differently each time', () => {
    const a = cipher.seal('JBSWY3DPEHPK3PXP');
    const b = cipher.seal('JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(cipher.open(a)).toBe('JBSWY3DPEHPK3PXP');
    expect(cipher.open(b)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a value that was altered', () => {
    const sealed = cipher.seal('secret');
    const parts = sealed.split('.');
    const data = Buffer.from(parts[4], 'base64url');
    data[0] ^= 1;
    parts[4] = data.toString('base64url');
    expect(() => cipher.open(parts.join('.'))).toThrow();
    expect(() => cipher.open('not sealed')).toThrow(/cannot be opened/);
  });

  it('rotates: values sealed under the previous key still open, and are marked for resealing', () => {
    const old = new CredentialsCipher({ credentialsKey: key(1), credentialsKeyPrevious: undefined }).seal(
      'kept',
    );
    const rotated = new CredentialsCipher({ credentialsKey: key(2), credentialsKeyPrevious: key(1) });
    expect(rotated.open(old)).toBe('kept');
    expect(rotated.needsResealing(old)).toBe(true);
    expect(rotated.needsResealing(rotated.seal('kept'))).toBe(false);
    // Once the previous key is dropped, the old value no longer opens: it says under which key it was.
    const after = new CredentialsCipher({ credentialsKey: key(2), credentialsKeyPrevious: undefined });
    expect(() => after.open(old)).toThrow(/under key [0-9a-f]{8}/);
  });
});
