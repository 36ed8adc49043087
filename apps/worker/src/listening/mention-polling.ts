import { AppConfig } from '@app/config';
import { SentimentScorer } from '@app/domain';
import { ChannelsRepository, MentionsRepository } from '@app/persistence';
import { MastodonPublisher, OutboundHttp, publisherFor, PublishError } from '@app/publishers';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Pages read per channel and run: a backlog is caught up over several runs, not in one. */
const PAGES_PER_RUN = 5;
const PAGE = 40;

/**
 * Reads the mentions of every connected Mastodon channel whose credentials still
 * work, from where the last run stopped (the cursor is kept in the database, so a
 * restart goes on from there), and stores each once with its sentiment. A channel
 * the network refuses or rate-limits is left for the next run.
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
        WHERE c.publisher_kind = 'mastodon' AND c.reconnect_reason IS NULL`,
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
    if (!(publisher instanceof MastodonPublisher)) return 0;
    let cursor = from;
    let stored = 0;
    for (let page = 0; page < PAGES_PER_RUN; page += 1) {
      const found = await publisher.mentionsAfter(cursor, PAGE);
      if (found.length === 0) break;
      const scored = await Promise.all(
        found.map(async (m) => {
          const { score, negative } = await this.scorer.score(m.text, m.language);
          return {
            channelId,
            network: 'mastodon',
            externalId: m.externalId,
            authorHandle: m.authorHandle,
            authorName: m.authorName,
            text: m.text,
            url: m.url,
            language: m.language,
            inReplyTo: m.inReplyTo,
            sentiment: score,
            negative,
            createdAt: m.createdAt,
          };
        }),
      );
      stored += await this.mentions.store(workspaceId, scored);
      cursor = found[found.length - 1].cursor;
      await this.db.query(
        `INSERT INTO mention_cursors (channel_id, cursor) VALUES ($1, $2)
         ON CONFLICT (channel_id) DO UPDATE SET cursor = $2, polled_at = now()`,
        [channelId, cursor],
      );
      if (found.length < PAGE) break;
    }
    return stored;
  }
}
