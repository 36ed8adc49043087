import { AppConfig } from '@app/config';
import { RateLimitedError } from '@app/domain';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

/** Failures allowed before each kind of delay starts, and how long its count is kept (from the first). */
const RULES = {
  /** one account from one IP: a person mistyping, or a guesser at one account */
  pair: { threshold: 5, ttlSeconds: 24 * 3600 },
  /** one account from anywhere: guessing spread over many IPs */
  account: { threshold: 10, ttlSeconds: 3600 },
  /** one IP at any account: credential stuffing */
  ip: { threshold: 30, ttlSeconds: 3600 },
} as const;
type Rule = keyof typeof RULES;
const EVERY_RULE = Object.keys(RULES) as Rule[];
const MAX_DELAY_SECONDS = 15 * 60;
/** How long an IP a person signed in from stays "known" for them. */
const KNOWN_IP_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Seconds to wait after the last failure once `failures` reach `threshold`: 1, 2,
 * 4, ... up to 15 minutes. Zero below the threshold.
 */
export function loginDelaySeconds(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(2 ** (failures - threshold), MAX_DELAY_SECONDS);
}

/**
 * Slows down password guessing without handing anyone a way to lock the real
 * person out. Failures are counted per account and IP, per account and per IP
 * (rate-limiter-flexible, in Redis: shared by every API process); each count past its
 * threshold asks for a growing wait after its last failure (429 with Retry-After),
 * never a hard lock. From an IP the person has signed in from before, only their own
 * count there applies: an attacker elsewhere, or one guessing other accounts behind
 * the same IP, does not slow them down.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly base: string;
  /** failures per rule; `penalty` counts them, never refuses */
  private readonly failures: Record<Rule, RateLimiterRedis>;
  /** the wait each rule asks for, as a block of its key */
  private readonly waits: Record<Rule, RateLimiterRedis>;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.base = `${config.queuePrefix}:login`;
    const limiter = (name: string, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${this.base}:${name}`,
        points: 1,
        duration,
        rejectIfRedisNotReady: true,
      });
    const each = (make: (rule: Rule) => RateLimiterRedis) =>
      Object.fromEntries(EVERY_RULE.map((rule) => [rule, make(rule)])) as Record<Rule, RateLimiterRedis>;
    this.failures = each((rule) => limiter(rule, RULES[rule].ttlSeconds));
    this.waits = each((rule) => limiter(`wait:${rule}`, MAX_DELAY_SECONDS));
  }

  /** Throws 429 (with how long to wait) while a count that applies asks for a wait. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const waitMs = await this.safely(async () => {
      const known = (await this.redis.sismember(this.knownKey(email), ip)) === 1;
      const applies: Rule[] = known ? ['pair'] : EVERY_RULE;
      const waits = await Promise.all(applies.map((rule) => this.waits[rule].get(keys[rule])));
      return Math.max(0, ...waits.map((wait) => wait?.msBeforeNext ?? 0));
    });
    if (waitMs) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new RateLimitedError(`Too many failed logins; try again in ${seconds} s.`, seconds);
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    await this.safely(() =>
      Promise.all(
        EVERY_RULE.map(async (rule) => {
          const { consumedPoints } = await this.failures[rule].penalty(keys[rule]);
          const seconds = loginDelaySeconds(consumedPoints, RULES[rule].threshold);
          if (seconds > 0) await this.waits[rule].block(keys[rule], seconds);
        }),
      ),
    );
  }

  /** Clears this account's count from this IP, and remembers the IP as one the person uses. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    const { pair } = this.keys(email, ip);
    const known = this.knownKey(email);
    await this.safely(() =>
      Promise.all([
        this.failures.pair.delete(pair),
        this.waits.pair.delete(pair),
        this.redis.multi().sadd(known, ip).expire(known, KNOWN_IP_TTL_SECONDS).exec(),
      ]),
    );
  }

  private keys(email: string, ip: string): Record<Rule, string> {
    const account = email.toLowerCase();
    return { pair: `${account}:${ip}`, account, ip };
  }

  private knownKey(email: string): string {
    return `${this.base}:known:${email.toLowerCase()}`;
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
