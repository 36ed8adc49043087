import { AppConfig } from '@app/config';
import { canApply, DomainError, ErrorCode, transition, type Actor } from '@app/domain';
import { AuditRepository, ChannelsRepository, PostsRepository, type PostEntity } from '@app/persistence';
import { OutboundHttp, PublishError, publisherFor } from '@app/publishers';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { lockVisiblePost } from '../posts/visible-post';
import type { TakedownDto } from './dto/takedown.dto';

/**
 * Takes a published post down: the channel's publisher is asked to delete it (the
 * webhook gets a signed `post.delete` event with the externalId) while the post is
 * locked, and only when that succeeds does the post become `taken_down`. A refusal
 * by the receiver leaves it published and says so (502).
 */
@Injectable()
export class TakedownService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsRepository,
    private readonly channels: ChannelsRepository,
    private readonly audit: AuditRepository,
    private readonly config: AppConfig,
    private readonly http: OutboundHttp,
  ) {}

  takeDown(actor: Actor, postId: string, dto: TakedownDto): Promise<PostEntity> {
    return this.db.transaction(async (em) => {
      const post = await lockVisiblePost(this.posts, actor, postId, em);
      if (!canApply(post.status, 'take_down'))
        throw new DomainError(
          ErrorCode.Conflict,
          `Only a published post can be taken down; this one is ${post.status}.`,
        );
      const channel = await this.channels.findForPublishing(actor.workspaceId, post.channelId, em);
      if (!channel) throw DomainError.notFound('Channel');
      try {
        const publisher = publisherFor(this.channels.forPublisher(channel), {
          http: this.http,
          timeoutMs: this.config.publishTimeoutMs,
          // In this transaction: it holds the channel's share lock, which another connection would wait on.
          saveCredentials: (id, credentials) => this.channels.saveCredentials(id, credentials, em),
        });
        await publisher.unpublish({
          idempotencyKey: `${post.id}-v${post.version}-takedown`,
          postId: post.id,
          externalId: post.externalId,
          reason: dto.reason,
        });
      } catch (error) {
        const why = error instanceof PublishError ? error.message : (error as Error).message;
        throw new DomainError(
          ErrorCode.BadGateway,
          `The channel did not take the post down: ${why}. It is still published.`,
        );
      }
      const next = transition(post, 'take_down');
      post.outcome = {
        ...(post.outcome ?? {}),
        takedown: { reason: dto.reason, note: dto.note ?? null, at: new Date().toISOString() },
      };
      await this.posts.save(post, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId,
          version: post.version,
          action: 'post.taken_down',
          before: { status: 'published' },
          after: { status: next, reason: dto.reason, note: dto.note ?? null, externalId: post.externalId },
        },
        em,
      );
      return post;
    });
  }
}
