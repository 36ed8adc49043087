import { DomainError, ErrorCode } from '@app/domain';
import { isUniqueViolation, UsersRepository, type UserEntity, type WorkspaceEntity } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { AccessTokens } from './access-tokens';
import type { LoginDto } from './dto/login.dto';
import type { SignupDto } from './dto/signup.dto';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Sign-up (a user and their first workspace) and log-in (a short-lived token). */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly throttle: LoginThrottle,
  ) {}

  async signup(
    dto: SignupDto,
    ip: string,
  ): Promise<IssuedToken & { user: UserEntity; workspace: WorkspaceEntity }> {
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      const { user, workspace } = await this.db.transaction(async (em) => {
        const created = await this.users.create({ email: dto.email, name: dto.name, passwordHash }, em);
        const ws = await this.workspaces.createOwned(
          created,
          { name: dto.workspaceName, timezone: dto.timezone },
          em,
        );
        return { user: created, workspace: ws };
      });
      await this.throttle.recordSuccess(dto.email, ip);
      return { ...(await this.issue(user.id)), user, workspace };
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email')) {
        throw new DomainError(
          ErrorCode.Conflict,
          'An account with this e-mail already exists; log in instead.',
          [{ field: 'email', message: 'is already registered' }],
        );
      }
      throw error;
    }
  }

  /**
   * A wrong e-mail and a wrong password get the same answer in the same time (the
   * hasher verifies against a decoy); repeated failures slow down further tries (LoginThrottle).
   */
  async login(dto: LoginDto, ip: string): Promise<IssuedToken> {
    await this.throttle.assertAllowed(dto.email, ip);
    const user = await this.users.findByEmail(dto.email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !ok) {
      await this.throttle.recordFailure(dto.email, ip);
      throw new DomainError(ErrorCode.Unauthenticated, 'The e-mail or the password is wrong.');
    }
    await this.throttle.recordSuccess(dto.email, ip);
    return this.issue(user.id);
  }

  private async issue(userId: string): Promise<IssuedToken> {
    return {
      accessToken: await this.tokens.sign(userId),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
    };
  }
}
