import { AppConfig } from '@app/config';
import { SentimentScorer } from '@app/domain';
import { ChannelsRepository, MentionsRepository } from '@app/persistence';
import { isMentionSource, OutboundHttp, publisherFor, PublishError } from '@app/publishers';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Pages read per channel and run: a backlog is caught up over several runs, not in one. */
const PAGES_PER_RUN = 5;

/**
 * Reads the mentions of every connected Mastodon and Bluesky channel whose
 * credentials still work, from where the last run stopped (the cursor is kept in
 * the database, so a restart goes on from there), and stores each once with its
 * sentiment and what a reply to it would refer to. A channel the network refuses
 * or rate-limits is left for the next run; the others are read all the same.
 */
@Injectable()
export class MentionPolling {
  private readonly logger = new Logger(MentionPolling.name);
  private readonly scorer = new SentimentScorer();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelsRepository,
    private readonly mentions: MentionsRepository,
    private readonly http: OutboundHttp,
    private readonly config: AppConfig,
  ) {}

  async run(): Promise<{ channels: number; stored: number }> {
    const connected = await this.db.query<Array<{ id: string; workspace_id: string; cursor: string | null }>>(
      `SELECT c.id, c.workspace_id, m.cursor FROM channels c LEFT JOIN mention_cursors m ON m.channel_id = c.id
        WHERE c.publisher_kind IN ('mastodon', 'bluesky') AND c.reconnect_reason IS NULL`,
    );
    let stored = 0;
    for (const row of connected) {
      try {
        stored += await this.poll(row.workspace_id, row.id, row.cursor);
      } catch (error) {
        if (!(error instanceof PublishError)) throw error;
        this.logger.warn(`mentions of channel ${row.id}: ${error.message}`);
      }
    }
    return { channels: connected.length, stored };
  }

  private async poll(workspaceId: string, channelId: string, from: string | null): Promise<number> {
    const channel = await this.channels.findWithCredentials(workspaceId, channelId);
    if (!channel) return 0;
    const publisher = publisherFor(this.channels.forPublisher(channel), {
      http: this.http,
      timeoutMs: this.config.publishTimeoutMs,
      saveCredentials: (id, credentials) => this.channels.saveCredentials(id, credentials),
    });
    if (!isMentionSource(publisher)) return 0;
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
}
