import { PasswordResetsRepository, SessionsRepository } from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';

/** Ended sessions are kept this long (the security log keeps their story for good). */
const ENDED_SESSIONS_KEPT_MS = 90 * 24 * 3600_000;

/** Run by a repeatable job: forgets expired refresh tokens and reset links, and long-ended sessions. */
@Injectable()
export class Housekeeping {
  private readonly logger = new Logger(Housekeeping.name);

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly resets: PasswordResetsRepository,
  ) {}

  async run(): Promise<{ refreshTokens: number; sessions: number; passwordResets: number }> {
    const purged = {
      ...(await this.sessions.purge(ENDED_SESSIONS_KEPT_MS)),
      passwordResets: await this.resets.purge(),
    };
    if (purged.refreshTokens + purged.sessions + purged.passwordResets > 0) {
      this.logger.log(`purged ${JSON.stringify(purged)}`);
    }
    return purged;
  }
}
