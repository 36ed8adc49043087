import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

const WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_IP = 30;

/**
 * Counts failed logins per account and per IP in Redis (shared by every API
 * process) and refuses further attempts with 429 once either limit is reached
 * within the window. A success clears the account's count.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Throws 429 when this account or IP has failed too often lately. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const counts = await this.safely(() => this.redis.mget(this.accountKey(email), this.ipKey(ip)));
    if (!counts) return;
    const [account, fromIp] = counts.map((c) => Number(c ?? 0));
    if (account >= MAX_FAILURES_PER_ACCOUNT || fromIp >= MAX_FAILURES_PER_IP) {
      throw new DomainError(
        ErrorCode.RateLimited,
        `Too many failed logins; try again in ${WINDOW_SECONDS / 60} minutes.`,
      );
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await this.safely(() =>
      this.redis
        .multi()
        .incr(this.accountKey(email))
        .expire(this.accountKey(email), WINDOW_SECONDS, 'NX')
        .incr(this.ipKey(ip))
        .expire(this.ipKey(ip), WINDOW_SECONDS, 'NX')
        .exec(),
    );
  }

  async recordSuccess(email: string): Promise<void> {
    await this.safely(() => this.redis.del(this.accountKey(email)));
  }

  private accountKey(email: string): string {
    return `${this.config.queuePrefix}:login-failures:account:${email.toLowerCase()}`;
  }

  private ipKey(ip: string): string {
    return `${this.config.queuePrefix}:login-failures:ip:${ip}`;
  }

  // Logging in must keep working while Redis is away; the throttle then fails open.
  private async safely<T>(op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await op();
    } catch (error) {
      this.logger.warn(`login throttle unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }
}
