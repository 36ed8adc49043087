import {
  linearMatcher,
  checkContent,
  decide,
  DomainError,
  ErrorCode,
  reevaluate,
  submitForReview,
  transition,
  type Actor,
  type FieldError,
  type UserActor,
} from '@app/domain';
import {
  ApprovalsRepository,
  AuditRepository,
  ChannelsRepository,
  CommentsRepository,
  ContentRulesRepository,
  DelegationsRepository,
  isUniqueViolation,
  OutboxRepository,
  PostsRepository,
  ReviewReader,
  type ReviewContext,
  snapshotOf,
  WorkflowsRepository,
  WorkspacesRepository,
  type PostEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { lockVisiblePost } from '../posts/visible-post';
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
export class ApprovalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly workflows: WorkflowsRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
    private readonly reader: ReviewReader,
    private readonly channels: ChannelsRepository,
    private readonly contentRules: ContentRulesRepository,
    private readonly delegations: DelegationsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly comments: CommentsRepository,
  ) {}

  private readonly matcher = linearMatcher();

  /** The content-rule violations of a post now, by field. */
  private async violations(post: PostEntity, em: EntityManager): Promise<FieldError[]> {
    const channel = await this.channels.findInWorkspace(post.workspaceId, post.channelId, em);
    if (!channel) return [];
    const rules = await this.contentRules.get(post.workspaceId, em);
    return checkContent(post, channel.network, rules, this.matcher).map((v) => ({
      field: v.field,
      message: v.detail,
    }));
  }

  submit(actor: Actor, postId: string): Promise<PostEntity> {
    return this.db.transaction(async (em) => {
      const post = await lockVisiblePost(this.posts, actor, postId, em);
      const violations = await this.violations(post, em);
      if (violations.length > 0) {
        throw DomainError.ofFields(
          ErrorCode.Unprocessable,
          violations,
          "The post breaks this workspace's content rules",
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
  async decide(
    actor: Actor,
    postId: string,
    dto: DecisionDto,
    origin: DecisionOrigin,
    /** more work for the same transaction (a review link marks itself used) */
    alongside?: (em: EntityManager) => Promise<void>,
  ): Promise<PostEntity> {
    if (actor.kind !== 'user')
      throw new DomainError(ErrorCode.Forbidden, 'Only people can sign off posts, not API keys.');
    return await this.db.transaction(async (em) => {
      const post = await lockVisiblePost(this.posts, actor, postId, em);
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
          standsInFor: await this.standsInFor(actor, review, origin, em),
          onBehalfOf: dto.onBehalfOf,
        },
      );
      try {
        await this.approvals.add(
          {
            postId,
            version: post.version,
            stageIndex: out.record.stageIndex,
            approverUserId: actor.userId,
            onBehalfOfUserId: out.record.onBehalfOf ?? null,
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
      const comment = dto.comment?.trim();
      if (dto.decision === 'reject' && comment) {
        // What to change is said where the post's conversation is, to everyone who wrote it.
        await this.comments.create(
          {
            workspaceId: post.workspaceId,
            postId,
            parentId: null,
            authorUserId: actor.userId,
            authorApiKeyId: null,
            visibility: 'everyone',
            body: comment,
            mentions: [],
            postVersion: post.version,
          },
          em,
        );
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
            ...(out.record.onBehalfOf ? { onBehalfOf: out.record.onBehalfOf } : {}),
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
   * The members whose delegation to `actor` is in force now and whose seat the actor
   * may fill: a stand-in is held to the member's second-factor rule, so for a member
   * whose role the workspace asks a second factor of, only through a session that
   * had to show one (the actor's role is asked it too), never through an e-mail link.
   */
  private async standsInFor(
    actor: UserActor,
    review: ReviewContext,
    origin: DecisionOrigin,
    em: EntityManager,
  ): Promise<string[]> {
    const members = await this.delegations.standsInFor(actor.workspaceId, actor.userId, em);
    if (members.length === 0) return members;
    const strict = new Set((await this.workspaces.findById(actor.workspaceId))?.requireMfaFor ?? []);
    const actorShowedOne = origin.via === 'api' && strict.has(actor.role);
    return members.filter((id) => {
      const role = review.ctx.members.find((m) => m.userId === id)?.role;
      return role !== undefined && (!strict.has(role) || actorShowedOne);
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
}
