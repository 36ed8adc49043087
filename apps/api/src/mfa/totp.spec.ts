import {
  isRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  recoveryCodeHash,
  totpCode,
  totpStep,
} from './totp';

describe(totpStep.name, () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2027, 2, 28, 9, 30, 10);
  const step = Math.floor(now / 30_000);

  it('finds the step of a code from now, or from the step before or after', () => {
    expect(totpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(totpStep(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(totpStep(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
  });

  it('refuses codes further off, from another secret, or not six digits', () => {
    expect(totpStep(secret, totpCode(secret, now - 90_000), now)).toBeNull();
    expect(totpStep(secret, totpCode(newTotpSecret(), now), now)).toBeNull();
    expect(totpStep(secret, '12345', now)).toBeNull();
    expect(totpStep(secret, 'abcdef', now)).toBeNull();
  });

  it('makes an otpauth URL authenticator apps read', () => {
    const url = new URL(otpauthUrl(secret, 'maya@brand.example'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Countersign');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
  });
});

describe(newRecoveryCodes.name, () => {
  it('makes ten distinct codes, hashed alike however they are typed', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(isRecoveryCode(code)).toBe(true);
      expect(recoveryCodeHash(code.toUpperCase().replace(/-/g, ' '))).toEqual(recoveryCodeHash(code));
    }
    expect(isRecoveryCode('123456')).toBe(false);
  });
});
