import { DomainError, ErrorCode } from '@app/domain';
import { ApiKeysRepository, UsersRepository } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { AccessTokens } from '../auth/access-tokens';
import { hashApiKey, looksLikeApiKey } from './api-key-secret';
import type { Principal } from './principal';

const unauthenticated = (why: string) => new DomainError(ErrorCode.Unauthenticated, why);

/** Turns a bearer credential (login token or API key) into a principal, or refuses with 401. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly users: UsersRepository,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match)
      throw unauthenticated('Send "Authorization: Bearer <token>" with a login token or an API key.');
    const credential = match[1];

    if (looksLikeApiKey(credential)) {
      const key = await this.apiKeys.findActiveBySecretHash(hashApiKey(credential));
      if (!key) throw unauthenticated('This API key is unknown or has been revoked.');
      return { kind: 'api-key', key };
    }

    const userId = await this.tokens.verify(credential);
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) throw unauthenticated('The token is invalid or has expired; log in again.');
    return { kind: 'user', user };
  }
}
