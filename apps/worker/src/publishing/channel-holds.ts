import { AppConfig } from '@app/config';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** How long a process trusts what it read of a channel's hold before asking Redis again. */
const RECHECK_MS = 1000;
/** Channels remembered per process before the memory is cleared. */
const MAX_REMEMBERED = 10_000;

/**
 * A network's "not before" (its 429 and reset time) for a channel, kept in Redis so
 * that every worker process waits, not only the one that was told. Each process
 * reads a channel's hold at most once a second: the hot path pays no round trip
 * per post.
 */
@Injectable()
export class ChannelHolds {
  private readonly known = new Map<string, { until: number; readAt: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Until when (epoch ms) the channel is held; 0 when it is not. */
  async until(channelId: string): Promise<number> {
    const now = Date.now();
    const seen = this.known.get(channelId);
    if (seen && (seen.until > now || now - seen.readAt < RECHECK_MS))
      return seen.until > now ? seen.until : 0;
    const until = Number((await this.redis.get(this.key(channelId))) ?? 0);
    this.remember(channelId, until, now);
    return until > now ? until : 0;
  }

  async hold(channelId: string, until: Date): Promise<void> {
    const ms = until.getTime() - Date.now();
    if (ms <= 0) return;
    await this.redis.set(this.key(channelId), String(until.getTime()), 'PX', ms);
    this.remember(channelId, until.getTime(), Date.now());
  }

  private remember(channelId: string, until: number, readAt: number): void {
    if (this.known.size >= MAX_REMEMBERED) this.known.clear();
    this.known.set(channelId, { until, readAt });
  }

  private key(channelId: string): string {
    return `${this.config.queuePrefix}:channel-hold:${channelId}`;
  }
}
