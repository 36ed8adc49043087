import { PasswordResetsRepository, SealedValuesRepository, SessionsRepository } from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';

/** Ended sessions are kept this long (the security log keeps their story for good). */
const ENDED_SESSIONS_KEPT_MS = 90 * 24 * 3600_000;

/**
 * Run by a repeatable job: forgets expired refresh tokens and reset links, and
 * long-ended sessions; writes values sealed under the previous CREDENTIALS_KEY again
 * under the current one.
 */
@Injectable()
export class Housekeeping {
  private readonly logger = new Logger(Housekeeping.name);

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly sealed: SealedValuesRepository,
  ) {}

  async run(): Promise<{
    refreshTokens: number;
    sessions: number;
    passwordResets: number;
    resealed: number;
  }> {
    const done = {
      ...(await this.sessions.purge(ENDED_SESSIONS_KEPT_MS)),
      passwordResets: await this.resets.purge(),
      resealed: await this.sealed.resealAll(),
    };
    if (Object.values(done).some((n) => n > 0)) this.logger.log(`housekeeping ${JSON.stringify(done)}`);
    return done;
  }
}
