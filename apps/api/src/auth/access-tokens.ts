import { randomUUID } from 'node:crypto';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

const ISSUER = 'countersign';
const AUDIENCE = 'countersign-api';

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

  /** A token of a new session (its id is `sid`: a lockdown keeps the caller's session, and only it). */
  sign(userId: string, sessionId: string = randomUUID()): Promise<string> {
    return this.jwt.signAsync(
      // `iat` has whole seconds; a lockdown must cut exactly between a token and the next.
      { typ: 'access', iatMs: Date.now(), sid: sessionId },
      {
        subject: userId,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: this.config.jwtTtlSeconds,
        algorithm: 'HS256',
      },
    );
  }

  /** Who a valid, unexpired token speaks for, its session, and when it was issued (epoch ms); null for anything else. */
  async verify(
    token: string,
  ): Promise<{ userId: string; sessionId: string | null; issuedAtMs: number } | null> {
    try {
      const payload = await this.jwt.verifyAsync<{
        sub?: string;
        typ?: string;
        iat?: number;
        iatMs?: number;
        sid?: string;
      }>(token, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      return payload.typ === 'access' && typeof payload.sub === 'string'
        ? {
            userId: payload.sub,
            sessionId: typeof payload.sid === 'string' ? payload.sid : null,
            issuedAtMs: payload.iatMs ?? (payload.iat ?? 0) * 1000,
          }
        : null;
    } catch {
      return null;
    }
  }
}
