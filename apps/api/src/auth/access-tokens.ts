import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

const ISSUER = 'countersign';
const AUDIENCE = 'countersign-api';
const MFA_CHALLENGE_SECONDS = 5 * 60;

/**
 * Short-lived signed login tokens (JWT, HS256). They say who; the database says what
 * they may do. The key is a KeyObject made once (see AuthModule): given a string,
 * jsonwebtoken would rebuild one, through a thrown exception, on every request.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.jwtTtlSeconds;
  }

  /** A token of `sessionId` (its `sid`: the token works while that session runs). */
  sign(userId: string, sessionId: string): Promise<string> {
    return this.jwt.signAsync(
      { typ: 'access', sid: sessionId },
      {
        subject: userId,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: this.config.jwtTtlSeconds,
        algorithm: 'HS256',
      },
    );
  }

  /** A login half done: the password was right, the second factor is still to come (5 minutes). */
  signMfaChallenge(userId: string): Promise<string> {
    return this.jwt.signAsync(
      { typ: 'mfa' },
      {
        subject: userId,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: MFA_CHALLENGE_SECONDS,
        algorithm: 'HS256',
      },
    );
  }

  /** Whose login a valid, unexpired challenge continues; null for anything else (an access token too). */
  async verifyMfaChallenge(token: string): Promise<string | null> {
    const payload = await this.payload(token);
    return payload?.typ === 'mfa' && typeof payload.sub === 'string' ? payload.sub : null;
  }

  /** Who a valid, unexpired token speaks for and its session; null for anything else. */
  async verify(token: string): Promise<{ userId: string; sessionId: string } | null> {
    const payload = await this.payload(token);
    return payload?.typ === 'access' && typeof payload.sub === 'string' && typeof payload.sid === 'string'
      ? { userId: payload.sub, sessionId: payload.sid }
      : null;
  }

  private async payload(token: string): Promise<{ sub?: string; typ?: string; sid?: string } | null> {
    try {
      return await this.jwt.verifyAsync(token, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    } catch {
      return null;
    }
  }
}
