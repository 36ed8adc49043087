import { DomainError, ErrorCode } from '@app/domain';
import {
  AccountEventsRepository,
  OutboxRepository,
  PasswordResetsRepository,
  SessionsRepository,
  UsersRepository,
  type ClientInfo,
  type UserEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Login } from '../access/access.decorators';
import { LoginThrottle } from '../auth/login-throttle';
import { PasswordHasher } from '../auth/password-hasher';
import { newPasswordProblem } from '../auth/password-strength';
import { Quotas, type Quota } from '../common/quotas';

/** Reset requests one IP may make in an hour (each account also gets at most 3 mails an hour). */
const RESET_REQUESTS: Quota = {
  name: 'password-reset-ip',
  points: 10,
  windowSeconds: 3600,
  what: 'Password reset requests from this address',
};

const gone = (message: string) => new DomainError(ErrorCode.Gone, message);

/** Changing a password, and resetting a forgotten one by a link sent by e-mail. */
@Injectable()
export class PasswordsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly events: AccountEventsRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly outbox: OutboxRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly quotas: Quotas,
  ) {}

  /**
   * The same work and the same answer whatever the address: one outbox row. The
   * worker looks the account up and mails a link only to one that has a password.
   */
  async requestReset(email: string, ip: string): Promise<void> {
    await this.quotas.spend(RESET_REQUESTS, ip);
    await this.db.transaction((em) =>
      this.outbox.push({ topic: 'mail.account', payload: { kind: 'password_reset', email } }, em),
    );
  }

  /** Whose link it is, while it may still be used. */
  async resetLinkOwner(token: string): Promise<UserEntity> {
    const reset = await this.resets.find(token);
    if (!reset) throw DomainError.notFound('Password reset link');
    if (reset.usedAt) throw gone('This link has already been used; each link works once. Ask for a new one.');
    if (reset.expiresAt.getTime() < Date.now()) throw gone('This link has expired; ask for a new one.');
    const user = await this.users.findById(reset.userId);
    if (!user) throw DomainError.notFound('Password reset link');
    return user;
  }

  /** Sets the password through a reset link, once; every session of the person ends. */
  async reset(token: string, password: string, client: ClientInfo): Promise<void> {
    const user = await this.resetLinkOwner(token);
    this.assertStrong(user, password, 'password');
    const passwordHash = await this.hasher.hash(password);
    await this.db.transaction(async (em) => {
      if (!(await this.resets.use(token, em))) throw gone('This link has already been used or has expired.');
      await this.setPassword(user, passwordHash, 'password_reset', null, em);
      await this.users.proveMailbox(user.id, em);
      await this.events.append(user.id, 'password.reset', client, {}, em);
    });
  }

  /**
   * Changes the password of the person signed in, who proves they know the current
   * one (guesses are throttled as logins are); their other sessions end.
   */
  async change(login: Login, current: string, next: string, client: ClientInfo): Promise<void> {
    const { ip } = client;
    const { user } = login;
    await this.throttle.assertAllowed(user.email, ip);
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      await this.throttle.recordFailure(user.email, ip);
      throw DomainError.ofFields(ErrorCode.Forbidden, [{ field: 'currentPassword', message: 'is wrong' }]);
    }
    this.assertStrong(user, next, 'newPassword');
    const passwordHash = await this.hasher.hash(next);
    await this.db.transaction(async (em) => {
      await this.setPassword(user, passwordHash, 'password_changed', login.sessionId, em);
      await this.events.append(user.id, 'password.changed', client, {}, em);
    });
  }

  private async setPassword(
    user: UserEntity,
    passwordHash: string,
    reason: 'password_changed' | 'password_reset',
    keepSession: string | null,
    em: EntityManager,
  ): Promise<void> {
    await this.users.setPassword(user.id, passwordHash, em);
    await this.sessions.endAllOf(user.id, reason, keepSession, em);
    await this.resets.voidAllOf(user.id, em);
    await this.outbox.push(
      { topic: 'mail.account', payload: { kind: 'password_changed', userId: user.id } },
      em,
    );
  }

  /** Checked here too (a form has no DTO), and against the person's own name and e-mail. */
  private assertStrong(user: UserEntity, password: string, field: string): void {
    const problem = newPasswordProblem(password, [user.email, user.name]);
    if (problem) throw DomainError.invalid(field, problem);
  }
}
