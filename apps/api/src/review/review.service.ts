import {
  boundedMatcher,
  checkContent,
  decide,
  DomainError,
  ErrorCode,
  gateFor,
  mayActOnPost,
  openStageIndex,
  reevaluate,
  stageProgress,
  submitForReview,
  transition,
  type Actor,
} from '@app/domain';
import {
  ApprovalsRepository,
  AuditRepository,
  ChannelsRepository,
  ContentRulesRepository,
  isUniqueViolation,
  OutboxRepository,
  PostsRepository,
  PublishingRepository,
  ReviewReader,
  type ReviewContext,
  snapshotOf,
  WorkflowsRepository,
  type PostEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import type { DecisionDto } from './dto/decision.dto';

/** Where a decision came from, for the audit log. */
export interface DecisionOrigin {
  via: 'api' | 'email';
  ip?: string;
  userAgent?: string;
}

/**
 * Submission and sign-offs, each under the post's row lock so that concurrent
 * decisions are counted one after the other (two last approvals at once make one
 * transition to approved). The rules are libs/domain's; this only loads and stores.
 */
@Injectable()
export class ReviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly workflows: WorkflowsRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
    private readonly reader: ReviewReader,
    private readonly channels: ChannelsRepository,
    private readonly publishing: PublishingRepository,
    private readonly contentRules: ContentRulesRepository,
  ) {}

  private readonly matcher = boundedMatcher();

  /** The content-rule violations of a post now, as `field: detail` lines. */
  private async violations(post: PostEntity, em: EntityManager): Promise<string[]> {
    const channel = await this.channels.findInWorkspace(post.workspaceId, post.channelId, em);
    if (!channel) return [];
    const rules = await this.contentRules.get(post.workspaceId, em);
    return checkContent(post, channel.network, rules, this.matcher).map((v) => `${v.field}: ${v.detail}`);
  }

  submit(actor: Actor, postId: string): Promise<PostEntity> {
    return this.db.transaction(async (em) => {
      const post = await this.lockVisible(actor, postId, em);
      const violations = await this.violations(post, em);
      if (violations.length > 0) {
        throw new DomainError(
          ErrorCode.Unprocessable,
          `The post breaks this workspace's content rules: ${violations.join('; ')}`,
          violations.map((v) => ({
            field: v.slice(0, v.indexOf(':')),
            message: v.slice(v.indexOf(':') + 2),
          })),
        );
      }
      const workflow = await this.workflows.currentFor(post.workspaceId, post.channelId, post.workflowId, em);
      const review = await this.load(post, em);
      const out = submitForReview(
        { status: post.status, version: post.version, snapshot: review.snapshot },
        workflow ? snapshotOf(workflow) : null,
        review.decisions,
        review.ctx,
      );
      const before = { status: post.status };
      transition(post, ...out.events);
      Object.assign(post, { workflowVersionId: out.snapshot.workflowVersionId, submittedAt: new Date() });
      await this.posts.save(post, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId,
          version: post.version,
          action: 'post.submitted',
          before,
          after: {
            status: post.status,
            workflowId: out.snapshot.workflowId,
            workflowVersion: out.snapshot.version,
          },
        },
        em,
      );
      if (out.status === 'approved') await this.approved(post, em);
      return post;
    });
  }

  /** A sign-off or a rejection by a person (API keys are not people and cannot sign off). */
  decide(
    actor: Actor,
    postId: string,
    dto: DecisionDto,
    origin: DecisionOrigin,
    /** more work for the same transaction (a review link marks itself used) */
    alongside?: (em: EntityManager) => Promise<void>,
  ): Promise<PostEntity> {
    if (actor.kind !== 'user')
      throw new DomainError(ErrorCode.Forbidden, 'Only people can sign off posts, not API keys.');
    return this.db.transaction(async (em) => {
      const post = await this.lockVisible(actor, postId, em);
      const review = await this.load(post, em);
      const out = decide(
        { status: post.status, version: post.version, snapshot: review.snapshot },
        review.decisions,
        review.ctx,
        {
          userId: actor.userId,
          role: actor.role,
          decision: dto.decision,
          version: dto.version,
          comment: dto.comment,
        },
      );
      try {
        await this.approvals.add(
          {
            postId,
            version: post.version,
            stageIndex: out.record.stageIndex,
            approverUserId: actor.userId,
            decision: dto.decision,
            comment: dto.comment?.trim() || null,
            via: origin.via,
          },
          em,
        );
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError(ErrorCode.Conflict, 'You have already decided on this version.');
        throw error;
      }
      const before = { status: post.status };
      transition(post, ...out.events);
      await this.posts.save(post, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId,
          version: post.version,
          action: dto.decision === 'approve' ? 'post.signed_off' : 'post.changes_requested',
          before,
          after: {
            status: post.status,
            stage: out.record.stageIndex,
            comment: dto.comment ?? null,
            via: origin.via,
          },
          ip: origin.ip ?? null,
          userAgent: origin.userAgent ?? null,
        },
        em,
      );
      await alongside?.(em);
      if (before.status !== 'approved' && out.status === 'approved') await this.approved(post, em);
      if (before.status === 'approved' && out.status !== 'approved') {
        await this.outbox.unschedulePublish(post.id, post.version, em);
      }
      return post;
    });
  }

  /**
   * Publish-now: the full gate, without the wait. Allowed, the post is rescheduled to
   * this moment and its job moved there (the worker runs the gate again under the
   * lock before it calls out). Refused, nothing changes and the reasons come back.
   */
  publishNow(actor: Actor, postId: string): Promise<PostEntity> {
    return this.db.transaction(async (em) => {
      // The worker's locks in the worker's order (workspace and channel, then the post).
      const target = await this.publishing.lockOneForPublishing(postId, em);
      if (!target || target.post.workspaceId !== actor.workspaceId) throw DomainError.notFound('Post');
      const post = await this.lockVisible(actor, postId, em);
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

  /**
   * After a membership change, every post in review or approved is counted again
   * (reevaluate): approved ones that lost their quorum go back to review (their job
   * goes), in-review ones that now have it are approved (their job is asked for).
   */
  async recount(actor: Actor, cause: string, em: EntityManager): Promise<void> {
    for (const post of await this.posts.lockUnderReview(actor.workspaceId, em)) {
      const review = await this.load(post, em);
      const recount = reevaluate(
        { status: post.status, version: post.version, snapshot: review.snapshot },
        review.decisions,
        review.ctx,
      );
      if (!recount) continue;
      const before = post.status;
      transition(post, recount);
      await this.posts.save(post, em);
      if (post.status === 'approved') {
        await this.approved(post, em, cause);
        continue;
      }
      await this.outbox.unschedulePublish(post.id, post.version, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId: post.id,
          version: post.version,
          action: 'post.returned_to_review',
          before: { status: before },
          after: { status: post.status, cause },
        },
        em,
      );
    }
  }

  /** Stage-by-stage progress of the post's current version, as GET post shows it. */
  async progress(post: PostEntity) {
    if (!post.workflowVersionId) return null;
    const review = await this.load(post, this.db.manager);
    if (!review.snapshot) return null;
    const stages = stageProgress(review.snapshot.stages, review.decisions, review.ctx);
    const open = openStageIndex(stages);
    const current = review.approvals.filter((a) => a.version === post.version);
    const at = (userId: string) =>
      current.find((a) => a.approverUserId === userId)?.createdAt.toISOString() ?? null;
    return {
      workflowId: review.snapshot.workflowId,
      workflowVersion: review.snapshot.version,
      openStage: open === -1 ? null : open,
      stages: stages.map((s) => ({
        name: s.name,
        required: s.required,
        approvals: s.approvedBy.map((userId) => ({ userId, at: at(userId) })),
        state: s.satisfied ? 'satisfied' : s.index === open ? 'open' : 'waiting',
      })),
      decisions: current.map((a) => ({
        userId: a.approverUserId,
        decision: a.decision,
        stage: a.stageIndex,
        comment: a.comment,
        via: a.via,
        at: a.createdAt.toISOString(),
      })),
    };
  }

  /** Approved: the publish job of this version is asked for in the same transaction (outbox). */
  private async approved(post: PostEntity, em: EntityManager, cause?: string): Promise<void> {
    await this.outbox.schedulePublish(post, em);
    await this.audit.append(
      {
        workspaceId: post.workspaceId,
        actorKind: 'system',
        actorId: null,
        postId: post.id,
        version: post.version,
        action: 'post.approved',
        after: cause ? { status: 'approved', cause } : { status: 'approved' },
      },
      em,
    );
  }

  private load(post: PostEntity, em: EntityManager): Promise<ReviewContext> {
    return this.reader.load(post, em);
  }

  private async lockVisible(actor: Actor, id: string, em: EntityManager): Promise<PostEntity> {
    const post = await this.posts.lockInWorkspace(actor.workspaceId, id, em);
    if (!post || !mayActOnPost(actor, post)) throw DomainError.notFound('Post');
    return post;
  }
}
