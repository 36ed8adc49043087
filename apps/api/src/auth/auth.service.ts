import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import {
  AccountEventsRepository,
  isUniqueViolation,
  SessionsRepository,
  UsersRepository,
  type ClientInfo,
  type UserEntity,
  type WorkspaceEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { AccessTokens } from './access-tokens';
import type { LoginDto } from './dto/login.dto';
import type { SignupDto } from './dto/signup.dto';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';

/** A session's credentials: a short-lived access token, and the single-use token that renews it. */
export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
}

/** How a session was opened, as the person's security log says. */
export type SignInMethod = 'signup' | 'password' | 'password+totp' | 'invitation' | 'sso';

/** A login whose password was right, for someone with a second factor: the code comes next. */
export interface MfaChallenge {
  mfaRequired: true;
  /** send it back with the code to POST /v1/auth/login/mfa */
  mfaToken: string;
  expiresIn: number;
}

/** Sign-up (a user and their first workspace), log-in, and the sessions they start. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly events: AccountEventsRepository,
    private readonly workspaces: WorkspacesService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly throttle: LoginThrottle,
    private readonly config: AppConfig,
  ) {}

  /**
   * The person proved they read their address's mail. If someone had set a password
   * on it before (signing up proves nothing), that password gives way to `password`
   * (null: none) and its sessions end: the account is the mailbox owner's from now on.
   */
  async proveMailbox(user: UserEntity, password: string | null, em?: EntityManager): Promise<void> {
    if (!em) return this.db.transaction((tx) => this.proveMailbox(user, password, tx));
    if (!(await this.users.proveMailbox(user.id, em))) return;
    await this.users.setPassword(user.id, password, em);
    await this.sessions.endAllOf(user.id, 'mailbox_proved', null, em);
  }

  async signup(
    dto: SignupDto,
    client: ClientInfo,
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
      await this.throttle.recordSuccess(dto.email, client.ip);
      return {
        ...(await this.startSession(user.id, client, { method: 'signup', secondFactor: false })),
        user,
        workspace,
      };
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
  async login(dto: LoginDto, client: ClientInfo): Promise<IssuedToken | MfaChallenge> {
    await this.throttle.assertAllowed(dto.email, client.ip);
    const user = await this.users.findByEmail(dto.email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !ok) {
      await this.throttle.recordFailure(dto.email, client.ip);
      throw new DomainError(ErrorCode.Unauthenticated, 'The e-mail or the password is wrong.');
    }
    await this.throttle.recordSuccess(dto.email, client.ip);
    return this.sessionOrChallenge(user, client, 'password');
  }

  /** A session for someone who proved their password; the challenge for a second factor instead if they have one. */
  async sessionOrChallenge(
    user: UserEntity,
    client: ClientInfo,
    method: SignInMethod,
  ): Promise<IssuedToken | MfaChallenge> {
    if (user.totpEnabledAt === null)
      return this.startSession(user.id, client, { method, secondFactor: false });
    return { mfaRequired: true, mfaToken: await this.tokens.signMfaChallenge(user.id), expiresIn: 300 };
  }

  /**
   * The next credentials of a session, for a refresh token used once: a token
   * presented a second time was copied, and ends its session for whoever holds it.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedToken> {
    const rotation = await this.sessions.rotate(refreshToken, this.refreshTtlMs);
    switch (rotation.kind) {
      case 'rotated':
        return this.issue(rotation.userId, rotation.sessionId, rotation.refreshToken);
      case 'reused':
        await this.events.append(rotation.userId, 'session.refresh_reused', client, {
          sessionId: rotation.sessionId,
        });
        throw new DomainError(
          ErrorCode.Unauthenticated,
          'This refresh token was used before, so it may have been copied: its session has ended. Log in again.',
        );
      case 'refused':
        throw new DomainError(
          ErrorCode.Unauthenticated,
          'The refresh token is unknown, expired or of an ended session.',
        );
    }
  }

  /** A new session, recorded in the person's security log with how it was opened. */
  async startSession(
    userId: string,
    client: ClientInfo,
    how: { method: SignInMethod; secondFactor: boolean },
  ): Promise<IssuedToken> {
    const { sessionId, refreshToken } = await this.db.transaction(async (em) => {
      const started = await this.sessions.start(userId, client, how.secondFactor, this.refreshTtlMs, em);
      await this.events.append(
        userId,
        'session.started',
        client,
        { sessionId: started.sessionId, ...how },
        em,
      );
      return started;
    });
    return this.issue(userId, sessionId, refreshToken);
  }

  /** Ends one of the person's sessions (this one: a logout); false when it was not running. */
  async endSession(
    userId: string,
    sessionId: string,
    reason: 'logout' | 'revoked',
    client: ClientInfo,
  ): Promise<boolean> {
    if (!(await this.sessions.endOwn(userId, sessionId, reason))) return false;
    await this.events.append(userId, 'session.ended', client, { sessionId, reason });
    return true;
  }

  private get refreshTtlMs(): number {
    return this.config.refreshTtlDays * 86_400_000;
  }

  private async issue(userId: string, sessionId: string, refreshToken: string): Promise<IssuedToken> {
    return {
      accessToken: await this.tokens.sign(userId, sessionId),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
      refreshToken,
    };
  }
}
