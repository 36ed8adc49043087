import { linearMatcher, DomainError, ErrorCode, gateFor, type Actor } from '@app/domain';
import {
  AuditRepository,
  OutboxRepository,
  PostsRepository,
  PublishingRepository,
  type PostEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { lockVisiblePost } from './visible-post';

/**
 * Publish-now: the full gate, without the wait. Allowed, the post is rescheduled to
 * this moment and its job moved there; the worker runs the same gate again under
 * the lock before it calls out. Refused, nothing changes and the reasons come back.
 */
@Injectable()
export class PublishNowService {
  private readonly matcher = linearMatcher();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publishing: PublishingRepository,
    private readonly posts: PostsRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditRepository,
  ) {}

  publishNow(actor: Actor, postId: string): Promise<PostEntity> {
    return this.db.transaction(async (em) => {
      // The worker's loader, so its locks come in the worker's order (workspace and channel, then the post).
      const target = await this.publishing.lockOneForPublishing(postId, em);
      if (!target || target.post.workspaceId !== actor.workspaceId) throw DomainError.notFound('Post');
      const post = await lockVisiblePost(this.posts, actor, postId, em);
      const gate = gateFor(target, {
        jobVersion: post.version,
        now: new Date(),
        matcher: this.matcher,
        skipWait: true,
      });
      if (!gate.ok) {
        throw new DomainError(
          ErrorCode.Conflict,
          `The gate refuses to publish this post now: ${gate.reasons.map((r) => r.code).join(', ')}.`,
          gate.reasons.map((r) => ({ field: 'gate', message: JSON.stringify(r) })),
        );
      }
      const before = { status: post.status, scheduledAt: post.scheduledAt.toISOString() };
      post.scheduledAt = new Date();
      await this.posts.save(post, em);
      await this.outbox.schedulePublish(post, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId,
          version: post.version,
          action: 'post.publish_now',
          before,
          after: { scheduledAt: post.scheduledAt.toISOString() },
        },
        em,
      );
      return post;
    });
  }
}
