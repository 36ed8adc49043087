import { AppConfig } from '@app/config';
import { RateLimitedError } from '@app/domain';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** A limit on an action that makes a link or checks a code: so many per key and window. */
export interface Quota {
  name: string;
  points: number;
  windowSeconds: number;
  /** what the 429 says is being done too often */
  what: string;
}

/**
 * Counts actions that send a link or try a code, per IP and per account, in Redis
 * (rate-limiter-flexible: shared by every API process). While Redis is away they are
 * let through: the general rate limit and the tokens' own strength still hold.
 */
@Injectable()
export class Quotas {
  private readonly logger = new Logger(Quotas.name);
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Spends one of `quota` for `key`; a 429 with Retry-After once it is spent. */
  async spend(quota: Quota, key: string): Promise<void> {
    try {
      await this.limiterOf(quota).consume(key);
    } catch (rejection) {
      // consume() rejects with the bucket's state once it is spent, and with an Error when Redis fails.
      if (!(rejection instanceof RateLimiterRes)) {
        this.logger.warn(`quota ${quota.name} not counted: ${(rejection as Error).message}`);
        return;
      }
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new RateLimitedError(`${quota.what}: too many; try again in ${seconds} s.`, seconds);
    }
  }

  private limiterOf(quota: Quota): RateLimiterRedis {
    let limiter = this.limiters.get(quota.name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${this.config.queuePrefix}:quota:${quota.name}`,
        points: quota.points,
        duration: quota.windowSeconds,
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(quota.name, limiter);
    }
    return limiter;
  }
}
