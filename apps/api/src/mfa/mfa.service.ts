import { DomainError, ErrorCode } from '@app/domain';
import {
  AccountEventsRepository,
  CredentialsCipher,
  OutboxRepository,
  SecondFactorRepository,
  SessionsRepository,
  UsersRepository,
  type ClientInfo,
  type UserEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toString as qrCodeOf } from 'qrcode';
import type { Login } from '../access/access.decorators';
import { AccessTokens } from '../auth/access-tokens';
import { AuthService, type IssuedToken } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import {
  isRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  recoveryCodeHash,
  totpStep,
} from './totp';

/** What an authenticator app needs to start: shown once, at enrolment. */
export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
  /** the otpauth URL as a QR code, an SVG data URL */
  qrCode: string;
}

const wrongCode = (field = 'code') =>
  DomainError.ofFields(ErrorCode.Forbidden, [
    { field, message: 'is not a current code of your authenticator, nor an unused recovery code' },
  ]);

/**
 * Two-factor sign-in with TOTP (RFC 6238): enrolment confirmed by a first code,
 * ten single-use recovery codes, the second step of a login, and turning it off.
 * A code works once (its time step is spent); failures are throttled as password
 * guesses are, per account and IP.
 */
@Injectable()
export class MfaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly factors: SecondFactorRepository,
    private readonly events: AccountEventsRepository,
    private readonly cipher: CredentialsCipher,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly outbox: OutboxRepository,
    private readonly tokens: AccessTokens,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  async begin(user: UserEntity): Promise<TotpEnrolment> {
    if (user.totpEnabledAt) {
      throw new DomainError(
        ErrorCode.Conflict,
        'Two-factor sign-in is on already; turn it off first to change it.',
      );
    }
    const secret = newTotpSecret();
    await this.factors.setPending(user.id, this.cipher.seal(secret));
    const url = otpauthUrl(secret, user.email);
    const svg = await qrCodeOf(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return {
      secret,
      otpauthUrl: url,
      qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    };
  }

  /** The first code turns it on; the answer holds the recovery codes, shown this once. */
  async confirm(login: Login, code: string, client: ClientInfo): Promise<string[]> {
    const { user } = login;
    await this.throttle.assertAllowed(user.email, client.ip);
    const { pending } = await this.factors.secrets(user.id);
    if (!pending) {
      throw new DomainError(
        ErrorCode.Conflict,
        'There is nothing to confirm: start with POST /v1/me/mfa/totp (or it is on already).',
      );
    }
    const step = totpStep(this.cipher.open(pending), code);
    if (step === null) {
      await this.throttle.recordFailure(user.email, client.ip);
      throw wrongCode();
    }
    const codes = newRecoveryCodes();
    await this.db.transaction(async (em) => {
      if (!(await this.factors.enable(user.id, pending, step, em))) {
        throw new DomainError(ErrorCode.Conflict, 'The enrolment changed meanwhile; start again.');
      }
      await this.factors.replaceRecoveryCodes(user.id, codes.map(recoveryCodeHash), em);
      // This session has just shown the second factor.
      await this.sessions.provedSecondFactor(login.sessionId, em);
      await this.outbox.push(
        { topic: 'mail.account', payload: { kind: 'mfa_changed', userId: user.id, on: true } },
        em,
      );
    });
    return codes;
  }

  /** Turns it off, with a current code or a recovery code. */
  async disable(user: UserEntity, code: string, client: ClientInfo): Promise<void> {
    if (!user.totpEnabledAt) throw new DomainError(ErrorCode.Conflict, 'Two-factor sign-in is not on.');
    await this.verify(user, code, client);
    await this.db.transaction(async (em) => {
      await this.factors.disable(user.id, em);
      // Turned off, it no longer vouches for any session (an identity provider's included: sign in again).
      await this.sessions.forgetSecondFactor(user.id, em);
      await this.outbox.push(
        { topic: 'mail.account', payload: { kind: 'mfa_changed', userId: user.id, on: false } },
        em,
      );
    });
  }

  /** The second step of a login: the challenge of the first, and a code. */
  async completeLogin(mfaToken: string, code: string, client: ClientInfo): Promise<IssuedToken> {
    const userId = await this.tokens.verifyMfaChallenge(mfaToken);
    const user = userId ? await this.users.findById(userId) : null;
    if (!user?.totpEnabledAt) {
      throw new DomainError(ErrorCode.Unauthenticated, 'The login has expired or is unknown; log in again.');
    }
    await this.verify(user, code, client);
    return this.auth.startSession(user.id, client, { method: 'password+totp', secondFactor: true });
  }

  /** A current TOTP code whose step is not spent yet, or an unused recovery code; spent now. */
  private async verify(user: UserEntity, code: string, client: ClientInfo): Promise<void> {
    await this.throttle.assertAllowed(user.email, client.ip);
    if (!(await this.spend(user, code))) {
      await this.throttle.recordFailure(user.email, client.ip);
      throw wrongCode();
    }
    await this.throttle.recordSuccess(user.email, client.ip);
  }

  private async spend(user: UserEntity, code: string): Promise<boolean> {
    if (isRecoveryCode(code)) return this.factors.spendRecoveryCode(user.id, recoveryCodeHash(code));
    const { active } = await this.factors.secrets(user.id);
    const step = active ? totpStep(this.cipher.open(active), code.trim()) : null;
    return step !== null && this.factors.spendStep(user.id, step);
  }
}
