import { DomainError, ErrorCode, type Role } from '@app/domain';
import { ApiKeysRepository, SessionsRepository, UsersRepository } from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { AccessTokens } from '../auth/access-tokens';
import { hashApiKey, looksLikeApiKey } from './api-key-secret';
import type { Principal } from './principal';

/** A session's last use is recorded when it is older than this: not a write per request. */
const TOUCH_EVERY_MS = 60_000;

const unauthenticated = (why: string) => new DomainError(ErrorCode.Unauthenticated, why);

/** What the credentials may do in the workspace the request names (null: they are not in it). */
export interface WorkspaceAccess {
  role: Role;
  timezone: string;
  /** the workspace asks this role for a second factor, and the credentials lack one */
  secondFactorMissing: boolean;
}

/**
 * Turns a bearer credential (login token or API key) into a principal, or refuses
 * with 401; when the request names a workspace, its role there comes back from the
 * same round trip to the database.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    private readonly tokens: AccessTokens,
    private readonly users: UsersRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly sessions: SessionsRepository,
  ) {}

  async authenticate(
    authorization: string | undefined,
    workspaceId: string | undefined,
  ): Promise<{ principal: Principal; access: WorkspaceAccess | null }> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match)
      throw unauthenticated('Send "Authorization: Bearer <token>" with a login token or an API key.');
    const credential = match[1];

    if (looksLikeApiKey(credential)) {
      const found = await this.apiKeys.findActiveBySecretHash(hashApiKey(credential));
      const onBehalfOf = found?.key.createdBy;
      if (!found || !onBehalfOf) throw unauthenticated('This API key is unknown or has been revoked.');
      const inWorkspace = found.key.workspaceId === workspaceId;
      return {
        principal: { kind: 'api-key', key: found.key, onBehalfOf },
        access: inWorkspace
          ? {
              role: found.key.role,
              timezone: found.timezone,
              // A key cannot show a second factor; it stands in for its creator, who must have one.
              secondFactorMissing: found.creatorLacksSecondFactor,
            }
          : null,
      };
    }

    const token = await this.tokens.verify(credential);
    const found = token
      ? await this.users.findWithMembership(token.userId, token.sessionId, workspaceId)
      : null;
    if (!token || !found) throw unauthenticated('The token is invalid or has expired; log in again.');
    const { session, membership } = found;
    if (!session || session.endedAt) throw unauthenticated('This session has ended; log in again.');
    const revokedAt = membership?.sessionsRevokedAt;
    // A lockdown ends, in its workspace, every session started before it but the caller's.
    if (revokedAt && session.createdAt < revokedAt && membership.sessionsRevokedExcept !== token.sessionId) {
      throw unauthenticated('This workspace was locked down and your session ended with it; log in again.');
    }
    if (Date.now() - session.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      this.sessions
        .touch(token.sessionId)
        .catch((error: Error) => this.logger.warn(`session touch: ${error.message}`));
    }
    return {
      principal: {
        kind: 'user',
        user: found.user,
        sessionId: token.sessionId,
        secondFactor: session.secondFactorAt !== null,
      },
      access: membership && {
        role: membership.role,
        timezone: membership.timezone,
        secondFactorMissing:
          membership.requireMfaFor.includes(membership.role) && session.secondFactorAt === null,
      },
    };
  }
}
