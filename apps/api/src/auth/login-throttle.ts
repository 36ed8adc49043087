import { AppConfig } from '@app/config';
import { RateLimitedError } from '@app/domain';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** Failures allowed before each kind of delay starts, and how long its count is kept. */
const RULES = {
  /** one account from one IP: a person mistyping, or a guesser at one account */
  pair: { threshold: 5, ttlSeconds: 24 * 3600 },
  /** one account from anywhere: guessing spread over many IPs */
  account: { threshold: 10, ttlSeconds: 3600 },
  /** one IP at any account: credential stuffing */
  ip: { threshold: 30, ttlSeconds: 3600 },
} as const;
type Rule = keyof typeof RULES;
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
 * person out. Failures are counted per account and IP, per account and per IP, in
 * Redis (shared by every API process); each count past its threshold asks for a
 * growing wait after its last failure (429 with Retry-After), never a hard lock. From
 * an IP the person has signed in from before, only their own count there applies:
 * an attacker elsewhere, or one guessing other accounts behind the same IP, does
 * not slow them down.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Throws 429 (with how long to wait) while a count that applies asks for a wait. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const replies = await this.safely(() =>
      this.redis
        .multi()
        .hmget(keys.pair, 'n', 't')
        .hmget(keys.account, 'n', 't')
        .hmget(keys.ip, 'n', 't')
        .sismember(keys.known, ip)
        .exec(),
    );
    if (!replies) return;
    const [pair, account, fromIp, known] = replies.map(([, value]) => value) as [
      Array<string | null>,
      Array<string | null>,
      Array<string | null>,
      number,
    ];
    const applies: Array<[Rule, Array<string | null>]> =
      known === 1
        ? [['pair', pair]]
        : [
            ['pair', pair],
            ['account', account],
            ['ip', fromIp],
          ];
    const now = Date.now();
    const waitMs = Math.max(
      0,
      ...applies.map(
        ([rule, [n, t]]) =>
          Number(t ?? 0) + loginDelaySeconds(Number(n ?? 0), RULES[rule].threshold) * 1000 - now,
      ),
    );
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new RateLimitedError(`Too many failed logins; try again in ${seconds} s.`, seconds);
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const now = String(Date.now());
    const multi = this.redis.multi();
    for (const rule of ['pair', 'account', 'ip'] as const) {
      multi.hincrby(keys[rule], 'n', 1).hset(keys[rule], 't', now).expire(keys[rule], RULES[rule].ttlSeconds);
    }
    await this.safely(() => multi.exec());
  }

  /** Clears this account's count from this IP, and remembers the IP as one the person uses. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    await this.safely(() =>
      this.redis.multi().del(keys.pair).sadd(keys.known, ip).expire(keys.known, KNOWN_IP_TTL_SECONDS).exec(),
    );
  }

  private keys(email: string, ip: string) {
    const base = `${this.config.queuePrefix}:login`;
    const account = email.toLowerCase();
    return {
      pair: `${base}:pair:${account}:${ip}`,
      account: `${base}:account:${account}`,
      ip: `${base}:ip:${ip}`,
      known: `${base}:known:${account}`,
    };
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
