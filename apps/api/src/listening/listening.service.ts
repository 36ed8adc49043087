import { timingSafeEqual } from 'node:crypto';
import {
  DEFAULT_WATCH,
  DomainError,
  ErrorCode,
  binMinutesOf,
  bucketBounds,
  MAX_STATS_BUCKETS,
  parseInstant,
  personOf,
  replyText,
  type StatsBucket,
  SentimentScorer,
  type Actor,
  type FieldError,
  type SpikeWatch,
} from '@app/domain';
import type { MentionStats, PostEntity } from '@app/persistence';
import {
  AuditRepository,
  ChannelsRepository,
  MentionsRepository,
  WorkspacesRepository,
  looksLikeSecretToken,
} from '@app/persistence';
import { AppConfig } from '@app/config';
import { standardWebhookSignature } from '@app/publishers';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { PostsService } from '../posts/posts.service';
import type {
  InboundMentionsDto,
  MentionReplyDto,
  MentionStatsQueryDto,
  SpikeWatchDto,
} from './listening.dto';

const HOUR_MS = 3600_000;
/** The range stats cover when the request does not say, by bucket. */
const DEFAULT_SPAN_MS: Record<StatsBucket, number> = {
  '5m': 6 * HOUR_MS,
  '1h': 48 * HOUR_MS,
  '1d': 30 * 24 * HOUR_MS,
};

/** When a reply is due if the request does not say. */
const REPLY_DUE_MS = 5 * 60_000;

/** How far a signed request's timestamp may be from now (Standard Webhooks' default tolerance). */
const TOLERANCE_MS = 5 * 60_000;

const unauthenticated = (why: string) => new DomainError(ErrorCode.Unauthenticated, why);

/** Mentions in from listening tools, and the workspace's spike watch. */
@Injectable()
export class ListeningService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mentions: MentionsRepository,
    private readonly channels: ChannelsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly audit: AuditRepository,
    private readonly scorer: SentimentScorer,
    private readonly config: AppConfig,
    private readonly posts: PostsService,
  ) {}

  /**
   * A draft answering the mention on its channel (the author named first on
   * Mastodon, where only those named are told). It is a post like any other: it is
   * submitted, signed off and passes the gate before it goes out; the network's
   * reference to the mention is copied to it and never changes.
   */
  async reply(actor: Actor, zone: string, mentionId: string, dto: MentionReplyDto): Promise<PostEntity> {
    const mention = await this.mentions.find(actor.workspaceId, mentionId);
    if (!mention) throw DomainError.notFound('Mention');
    if (!mention.channelId || !mention.replyRef) {
      throw new DomainError(
        ErrorCode.Conflict,
        'This mention came from a listening tool, without what its network needs to answer it; reply to it on the network.',
      );
    }
    const { post } = await this.posts.create(
      actor,
      zone,
      {
        ...dto,
        channelId: mention.channelId,
        text: replyText(mention.replyRef, mention.authorHandle, dto.text),
        scheduledAt: dto.scheduledAt ?? new Date(Date.now() + REPLY_DUE_MS).toISOString(),
      },
      undefined,
      { mentionId: mention.id, ref: mention.replyRef },
    );
    return post;
  }

  async createToken(actor: Actor, name: string) {
    const made = await this.mentions.createInboundToken(actor.workspaceId, name, personOf(actor));
    await this.db.transaction((em) =>
      this.audit.append(
        { ...auditActor(actor), action: 'listening.token_created', after: { tokenId: made.id, name } },
        em,
      ),
    );
    return { ...made, name, url: `${this.config.publicUrl}/v1/inbound/mentions/${made.token}` };
  }

  /**
   * Verifies the Standard Webhooks signature (webhook-id, webhook-timestamp within
   * five minutes, webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">
   * under the token's secret) over the exact body, then stores the mentions not seen
   * before. An unknown token is a 404, a bad or stale signature a 401.
   */
  async receive(
    token: string,
    headers: { id?: string; timestamp?: string; signature?: string },
    rawBody: string | undefined,
    dto: InboundMentionsDto,
  ): Promise<{ received: number; stored: number; duplicates: number }> {
    const inbound = looksLikeSecretToken(token) ? await this.mentions.inboundToken(token) : null;
    if (!inbound) throw DomainError.notFound('Inbound token');
    this.verify(inbound.secret, headers, rawBody ?? '');
    const channels = new Set((await this.channels.listInWorkspace(inbound.workspaceId)).map((c) => c.id));
    const errors: FieldError[] = dto.mentions.flatMap((m, i) =>
      m.channelId && !channels.has(m.channelId.toLowerCase())
        ? [{ field: `mentions[${i}].channelId`, message: 'is not a channel of this workspace' }]
        : [],
    );
    if (errors.length > 0) throw DomainError.ofFields(ErrorCode.ValidationFailed, errors);
    const scored = await Promise.all(
      dto.mentions.map(async (m) => {
        const { score, negative } = await this.scorer.score(m.text, m.language ?? null);
        return {
          channelId: m.channelId?.toLowerCase() ?? null,
          network: m.network,
          externalId: m.externalId,
          authorHandle: m.author.handle,
          authorName: m.author.name ?? null,
          text: m.text,
          url: m.url ?? null,
          language: m.language ?? null,
          inReplyTo: m.inReplyTo ?? null,
          sentiment: score,
          negative,
          createdAt: parseInstant(m.createdAt)!,
        };
      }),
    );
    const stored = await this.mentions.store(inbound.workspaceId, scored);
    return { received: scored.length, stored, duplicates: scored.length - stored };
  }

  /**
   * The mentions of a range counted in buckets (5 minutes, or the workspace's hours
   * or days) with their baselines, the spikes alerted, the posts answered, and the
   * time we took to reply. At most MAX_STATS_BUCKETS buckets.
   */
  async stats(
    actor: Actor,
    zone: string,
    q: MentionStatsQueryDto,
  ): Promise<{ bucket: StatsBucket; bounds: number[]; stats: MentionStats }> {
    const bucket = q.bucket ?? '1h';
    const to = q.to ? parseInstant(q.to)! : new Date();
    const from = q.from ? parseInstant(q.from)! : new Date(to.getTime() - DEFAULT_SPAN_MS[bucket]);
    if (from.getTime() >= to.getTime()) throw DomainError.invalid('to', 'must be after from');
    const bounds = bucketBounds(from, to, bucket, zone);
    if (bounds.length - 1 > MAX_STATS_BUCKETS) {
      throw DomainError.invalid(
        'from',
        `the range holds more than ${MAX_STATS_BUCKETS} buckets of ${bucket}: narrow it or take a larger bucket`,
      );
    }
    const stats = await this.mentions.stats(actor.workspaceId, bounds, binMinutesOf(bucket), q.channelId);
    return { bucket, bounds, stats };
  }

  private verify(
    secret: string,
    headers: { id?: string; timestamp?: string; signature?: string },
    body: string,
  ) {
    const { id, timestamp, signature } = headers;
    if (!id || !timestamp || !signature) {
      throw unauthenticated(
        'Sign the request: webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks).',
      );
    }
    const seconds = Number(timestamp);
    if (!Number.isInteger(seconds) || Math.abs(Date.now() - seconds * 1000) > TOLERANCE_MS) {
      throw unauthenticated('webhook-timestamp is more than five minutes from now.');
    }
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = standardWebhookSignature(key, id, timestamp, body);
    const matches = signature.split(' ').some((part) => {
      const [version, value] = part.split(',');
      if (version !== 'v1' || !value) return false;
      const given = Buffer.from(value, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches)
      throw unauthenticated("webhook-signature does not match the body under this token's secret.");
  }

  async watch(actor: Actor): Promise<SpikeWatch & { lastAlertAt: Date | null }> {
    return (await this.mentions.watch(actor.workspaceId)) ?? { ...DEFAULT_WATCH, lastAlertAt: null };
  }

  async setWatch(actor: Actor, dto: SpikeWatchDto): Promise<SpikeWatch & { lastAlertAt: Date | null }> {
    const watch: SpikeWatch = {
      windowMinutes: dto.windowMinutes ?? DEFAULT_WATCH.windowMinutes,
      minMentions: dto.minMentions ?? DEFAULT_WATCH.minMentions,
      factor: dto.factor ?? DEFAULT_WATCH.factor,
      negativeShare: dto.negativeShare ?? null,
      action: dto.action,
      cooldownMinutes: dto.cooldownMinutes ?? DEFAULT_WATCH.cooldownMinutes,
    };
    await this.mentions.saveWatch(actor.workspaceId, watch);
    await this.db.transaction((em) =>
      this.audit.append({ ...auditActor(actor), action: 'listening.watch_updated', after: { ...watch } }, em),
    );
    return this.watch(actor);
  }

  async assignable(actor: Actor, assigneeId: string | null | undefined): Promise<void> {
    if (!assigneeId) return;
    if (!(await this.workspaces.findMembership(actor.workspaceId, assigneeId))) {
      throw DomainError.invalid('assigneeId', 'is not a member of this workspace');
    }
  }
}
