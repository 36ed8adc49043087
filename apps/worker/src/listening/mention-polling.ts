import { AppConfig } from '@app/config';
import { SentimentScorer } from '@app/domain';
import { ChannelsRepository, MentionsRepository } from '@app/persistence';
import { isMentionSource, OutboundHttp, publisherFor, PublishError, RateLimited } from '@app/publishers';
import { listenJobId, QueueName, REDIS_CLIENT, type JobData } from '@app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';

/** Pages read per channel and run: a backlog is caught up over several runs, not in one. */
const PAGES_PER_RUN = 5;

/**
 * Mentions read from every connected Mastodon and Bluesky channel whose
 * credentials still work: each tick (LISTEN_EVERY_MS) makes one job per channel on
 * the listening queue, under the channel's own job id, so a slow or failing network
 * holds up no other channel, and a channel still being read gets no second job. A
 * job reads from where the last one stopped (the cursor is kept in the database, so
 * a restart goes on from there) and stores each mention once, with its sentiment
 * and what a reply to it would refer to. A network that says "not now" (429) is
 * left alone until the time it gives.
 */
@Injectable()
export class MentionPolling {
  private readonly logger = new Logger(MentionPolling.name);
  private readonly scorer = new SentimentScorer();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Listening) private readonly queue: Queue,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly channels: ChannelsRepository,
    private readonly mentions: MentionsRepository,
    private readonly http: OutboundHttp,
    private readonly config: AppConfig,
  ) {}

  /** One tick: a job for each channel to read (none for one still read, or rate-limited). */
  async run(): Promise<{ channels: number; enqueued: number }> {
    const connected = await this.db.query<Array<{ id: string; workspace_id: string }>>(
      `SELECT id, workspace_id FROM channels
        WHERE publisher_kind IN ('mastodon', 'bluesky') AND reconnect_reason IS NULL`,
    );
    const held = connected.length ? await this.redis.mget(...connected.map((c) => this.holdKey(c.id))) : [];
    const due = connected.filter((_, i) => held[i] === null);
    await this.queue.addBulk(
      due.map((c) => ({
        name: 'listen-channel',
        data: { workspaceId: c.workspace_id, channelId: c.id } satisfies JobData<'listen-channel'>,
        opts: { jobId: listenJobId(c.id), removeOnComplete: true, removeOnFail: true },
      })),
    );
    return { channels: connected.length, enqueued: due.length };
  }

  /** Reads one channel's new mentions; how many were new. */
  async poll({ workspaceId, channelId }: JobData<'listen-channel'>): Promise<number> {
    try {
      return await this.read(workspaceId, channelId);
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      if (error instanceof RateLimited) {
        const ms = error.retryAt.getTime() - Date.now();
        if (ms > 0) await this.redis.set(this.holdKey(channelId), '1', 'PX', ms);
      }
      this.logger.warn(`mentions of channel ${channelId}: ${error.message}`);
      return 0;
    }
  }

  private async read(workspaceId: string, channelId: string): Promise<number> {
    const channel = await this.channels.findWithCredentials(workspaceId, channelId);
    if (!channel || channel.reconnectReason) return 0;
    const publisher = publisherFor(this.channels.forPublisher(channel), {
      http: this.http,
      timeoutMs: this.config.publishTimeoutMs,
      saveCredentials: (id, credentials) => this.channels.saveCredentials(id, credentials),
    });
    if (!isMentionSource(publisher)) return 0;
    const [kept] = await this.db.query<Array<{ cursor: string }>>(
      `SELECT cursor FROM mention_cursors WHERE channel_id = $1`,
      [channelId],
    );
    const from = kept?.cursor ?? null;
    const read = await publisher.mentionsAfter(from, PAGES_PER_RUN);
    const scored = await Promise.all(
      read.mentions.map(async (m) => {
        const { score, negative } = await this.scorer.score(m.text, m.language);
        return { ...m, channelId, network: channel.publisherKind, sentiment: score, negative };
      }),
    );
    const stored = await this.mentions.store(workspaceId, scored);
    if (read.cursor !== null && read.cursor !== from) {
      await this.db.query(
        `INSERT INTO mention_cursors (channel_id, cursor) VALUES ($1, $2)
         ON CONFLICT (channel_id) DO UPDATE SET cursor = $2, polled_at = now()`,
        [channelId, read.cursor],
      );
    }
    return stored;
  }

  /** Set while the channel's network asked us to wait (429): its reads are not enqueued. */
  private holdKey(channelId: string): string {
    return `${this.config.queuePrefix}:listen-hold:${channelId}`;
  }
}
