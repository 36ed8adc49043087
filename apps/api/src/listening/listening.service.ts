import { timingSafeEqual } from 'node:crypto';
import {
  DEFAULT_WATCH,
  DomainError,
  ErrorCode,
  parseInstant,
  personOf,
  SentimentScorer,
  type Actor,
  type FieldError,
  type SpikeWatch,
} from '@app/domain';
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
import type { InboundMentionsDto, SpikeWatchDto } from './listening.dto';

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
  ) {}

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
