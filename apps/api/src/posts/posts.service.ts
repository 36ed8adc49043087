import { createHash } from 'node:crypto';
import {
  authorshipOf,
  Capability,
  changedContentFields,
  contentHash,
  DomainError,
  ErrorCode,
  INITIAL_STATUS,
  maySeeAllPosts,
  canApply,
  transition,
  parseInstant,
  roleCan,
  type Actor,
  type PostContent,
  previewOf,
  textLimitOf,
  type NetworkPreview,
  normalizedAlt,
  type ReplyRef,
} from '@app/domain';
import {
  AuditRepository,
  CampaignsRepository,
  ChannelsRepository,
  OutboxRepository,
  WorkflowsRepository,
  PostsRepository,
  type Page,
  type PostEntity,
  type PostFilter,
  type PostRevisionEntity,
  type NamedAuditEvent,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import type { PageQueryDto } from '../common/pagination.dto';
import type { CreatePostDto, ListPostsQueryDto, UpdatePostDto } from './dto/post.dto';
import { assertPostInput, channelNotFound, expectedVersion } from './post-input';
import { findVisiblePost, lockVisiblePost } from './visible-post';

/** The mention a post answers, and how its network references it. */
export interface ReplyTarget {
  mentionId: string;
  ref: ReplyRef;
}

export interface CreatedPost {
  post: PostEntity;
  /** true when an Idempotency-Key replay returned the post an earlier request made */
  replayed: boolean;
}

// A key's edits are its creator's: they never count as that person's sign-off.
const editorship = (actor: Actor) => {
  const { authorUserId, authorApiKeyId } = authorshipOf(actor);
  return { editorUserId: authorUserId, editorApiKeyId: authorApiKeyId };
};
/** The alt text a post has for one of its media URLs ('' when none). */
const altOf = (p: PostEntity, url: string): string => p.mediaAlt[p.mediaUrls.indexOf(url)] ?? '';

const contentOf = (p: PostEntity): PostContent => ({
  channelId: p.channelId,
  text: p.text,
  mediaUrls: p.mediaUrls,
  mediaAlt: p.mediaAlt,
  link: p.link,
  contentWarning: p.contentWarning,
  visibility: p.visibility,
  language: p.language,
});

/** Drafting posts: create (idempotent), edit (versioned, If-Match), cancel, read, list. */
@Injectable()
export class PostsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsRepository,
    private readonly channels: ChannelsRepository,
    private readonly workflows: WorkflowsRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
    private readonly campaigns: CampaignsRepository,
  ) {}

  async create(
    actor: Actor,
    zone: string,
    dto: CreatePostDto,
    idempotencyKey?: string,
    reply?: ReplyTarget,
  ): Promise<CreatedPost> {
    const channel = await this.channels.findInWorkspace(actor.workspaceId, dto.channelId);
    if (!channel) throw channelNotFound();
    if (dto.workflowId) await this.assertMayChooseWorkflow(actor, dto.workflowId);
    if (dto.campaignId) await this.assertCampaign(actor, dto.campaignId);
    const scheduledAt = assertPostInput(dto, channel, zone, new Date()) as Date;
    const content: PostContent = {
      channelId: channel.id,
      text: dto.text,
      mediaUrls: dto.mediaUrls ?? [],
      mediaAlt: normalizedAlt(dto.mediaUrls ?? [], dto.mediaAlt),
      link: dto.link ?? null,
      contentWarning: dto.contentWarning ?? null,
      visibility: dto.visibility ?? 'public',
      language: dto.language ?? null,
    };

    return this.db.transaction(async (em) => {
      const keyRef = idempotencyKey
        ? {
            workspaceId: actor.workspaceId,
            principal: actor.kind === 'user' ? `user:${actor.userId}` : `api-key:${actor.apiKeyId}`,
            key: idempotencyKey,
          }
        : undefined;
      if (keyRef) {
        const requestHash = createHash('sha256').update(JSON.stringify(dto)).digest('hex');
        const claim = await this.posts.claimIdempotencyKey({ ...keyRef, requestHash }, em);
        if (claim !== 'claimed')
          return this.replay(actor, claim.requestHash === requestHash, claim.postId, em);
      }
      const post = await this.posts.create(
        {
          workspaceId: actor.workspaceId,
          ...authorshipOf(actor),
          ...content,
          status: INITIAL_STATUS,
          version: 1,
          scheduledAt,
          contentHash: contentHash(content),
          workflowId: dto.workflowId ?? null,
          campaignId: dto.campaignId ?? null,
          replyToMentionId: reply?.mentionId ?? null,
          replyRef: reply?.ref ?? null,
        },
        em,
      );
      await this.recordRevision(post, actor, ['channelId', 'text', 'mediaUrls', 'link', 'scheduledAt'], em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId: post.id,
          version: 1,
          action: 'post.created',
          after: { status: INITIAL_STATUS },
        },
        em,
      );
      if (keyRef) await this.posts.attachIdempotencyKey(keyRef, post.id, em);
      return { post, replayed: false };
    });
  }

  /**
   * Edits under the post's row lock. A content change makes a new version (the one
   * sign-offs are pinned to); a schedule-only change keeps the version. Either way
   * the change is kept as a revision.
   */
  async update(
    actor: Actor,
    zone: string,
    id: string,
    ifMatch: string | undefined,
    dto: UpdatePostDto,
  ): Promise<PostEntity> {
    const expected = expectedVersion(ifMatch);
    return this.db.transaction(async (em) => {
      const post = await lockVisiblePost(this.posts, actor, id, em);
      if (post.version !== expected) {
        throw new DomainError(
          ErrorCode.PreconditionFailed,
          `The post is at version ${post.version}, not ${expected}; reload it and apply your change again.`,
        );
      }
      if (!canApply(post.status, 'edit'))
        throw new DomainError(ErrorCode.Conflict, `A ${post.status} post can no longer be edited.`);
      const workflowChanged = dto.workflowId !== undefined && dto.workflowId !== post.workflowId;
      if (workflowChanged) await this.changeWorkflow(actor, post, dto.workflowId ?? null, em);
      // Which campaign a post is part of is not content: no new version, no sign-off lost.
      const campaignChanged = dto.campaignId !== undefined && dto.campaignId !== post.campaignId;
      if (campaignChanged) {
        if (dto.campaignId) await this.assertCampaign(actor, dto.campaignId, em);
        post.campaignId = dto.campaignId ?? null;
      }
      const mediaUrls = dto.mediaUrls ?? post.mediaUrls;
      const next: PostContent = {
        channelId: dto.channelId ?? post.channelId,
        text: dto.text ?? post.text,
        mediaUrls,
        // New media without new alt text keep the alt text of those that stay.
        mediaAlt: normalizedAlt(mediaUrls, dto.mediaAlt ?? mediaUrls.map((u) => altOf(post, u))),
        link: dto.link === undefined ? post.link : dto.link,
        contentWarning: dto.contentWarning === undefined ? post.contentWarning : dto.contentWarning,
        visibility: dto.visibility ?? post.visibility,
        language: dto.language === undefined ? post.language : dto.language,
      };
      if (post.replyRef && next.channelId !== post.channelId) {
        throw DomainError.invalid('channelId', 'a reply stays on the channel of the mention it answers');
      }
      const channel = await this.channels.findInWorkspace(actor.workspaceId, next.channelId, em);
      if (!channel) throw channelNotFound();
      const lengthMayChange = (['text', 'channelId', 'link', 'mediaUrls', 'contentWarning'] as const).some(
        (f) => dto[f] !== undefined,
      );
      const scheduledAt =
        assertPostInput(
          {
            text: lengthMayChange ? next.text : undefined,
            link: next.link,
            mediaUrls: next.mediaUrls,
            mediaAlt: dto.mediaAlt,
            contentWarning: next.contentWarning,
            visibility: next.visibility,
            scheduledAt: dto.scheduledAt,
            timezone: dto.timezone,
            disambiguation: dto.disambiguation,
          },
          channel,
          zone,
          new Date(),
        ) ?? post.scheduledAt;

      const changed: string[] = changedContentFields(contentOf(post), next);
      const rescheduled = scheduledAt.getTime() !== post.scheduledAt.getTime();
      if (changed.length === 0 && !rescheduled) {
        return workflowChanged || campaignChanged ? this.posts.save(post, em) : post;
      }

      // A new version whenever the content changes, and for a move in time when the
      // post's workflow says moving it undoes its sign-offs.
      const resetsSignOffs =
        rescheduled && post.workflowVersionId !== null
          ? ((await this.workflows.findVersion(post.workflowVersionId, em))?.options
              .scheduleChangeResetsApprovals ?? false)
          : false;
      const newVersion = changed.length > 0 || resetsSignOffs;
      const before = { status: post.status, version: post.version };
      Object.assign(post, next, { scheduledAt });
      if (newVersion) {
        post.version += 1;
        post.contentHash = contentHash(next);
        transition(post, 'edit');
      }
      const saved = await this.posts.save(post, em);
      if (before.status === 'approved') {
        // A new version needs new sign-offs: its old job goes; a move in time moves the job.
        if (newVersion) await this.outbox.unschedulePublish(id, before.version, em);
        else await this.outbox.schedulePublish(saved, em);
      }
      const fields = rescheduled ? [...changed, 'scheduledAt'] : changed;
      await this.recordRevision(saved, actor, fields, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId: id,
          version: saved.version,
          action: 'post.edited',
          before,
          after: {
            status: saved.status,
            version: saved.version,
            changed: fields,
            signOffsReset: newVersion && before.status !== 'draft',
          },
        },
        em,
      );
      return saved;
    });
  }

  async cancel(actor: Actor, id: string): Promise<PostEntity> {
    return this.db.transaction(async (em) => {
      const post = await lockVisiblePost(this.posts, actor, id, em);
      if (post.status === 'canceled') return post;
      if (!canApply(post.status, 'cancel'))
        throw new DomainError(ErrorCode.Conflict, `A ${post.status} post cannot be canceled.`);
      const before = { status: post.status };
      const canceled = transition(post, 'cancel');
      if (before.status === 'approved') await this.outbox.unschedulePublish(id, post.version, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId: id,
          version: post.version,
          action: 'post.canceled',
          before,
          after: { status: canceled },
        },
        em,
      );
      return this.posts.save(post, em);
    });
  }

  get(actor: Actor, id: string): Promise<PostEntity> {
    return findVisiblePost(this.posts, actor, id);
  }

  /** The post as its channel's network will show it. */
  async preview(actor: Actor, id: string): Promise<NetworkPreview> {
    const post = await this.get(actor, id);
    const channel = await this.channels.findInWorkspace(actor.workspaceId, post.channelId);
    if (!channel) throw DomainError.notFound('Channel');
    return previewOf(channel.network, post, textLimitOf(channel));
  }

  async revisions(actor: Actor, id: string): Promise<PostRevisionEntity[]> {
    await this.get(actor, id);
    return this.posts.revisions(id);
  }

  /** The post's audit trail: every transition and decision, in order. */
  async auditTrail(actor: Actor, id: string, q: PageQueryDto): Promise<Page<NamedAuditEvent>> {
    await this.get(actor, id);
    return this.audit.list({ workspaceId: actor.workspaceId, postId: id }, q.limit, q.cursor);
  }

  list(actor: Actor, q: ListPostsQueryDto): Promise<Page<PostEntity>> {
    return this.posts.list(
      {
        ...this.visibleTo(actor),
        statuses: q.status,
        channelId: q.channelId,
        ...(maySeeAllPosts(actor) ? { authorUserId: q.authorId, authorApiKeyId: q.apiKeyId } : {}),
        from: q.from ? (parseInstant(q.from) ?? undefined) : undefined,
        to: q.to ? (parseInstant(q.to) ?? undefined) : undefined,
      },
      q.limit,
      q.cursor,
    );
  }

  /** The filter that keeps a contributor to its own posts. */
  visibleTo(actor: Actor): PostFilter {
    if (maySeeAllPosts(actor)) return { workspaceId: actor.workspaceId };
    return { workspaceId: actor.workspaceId, ...authorshipOf(actor) } as PostFilter;
  }

  /**
   * Which workflow reviews a post decides how many sign-offs it needs, so only
   * owners and admins choose it: anyone else could pick a weaker one.
   */
  private async assertMayChooseWorkflow(
    actor: Actor,
    workflowId: string | null,
    em: EntityManager = this.db.manager,
  ): Promise<void> {
    if (!roleCan(actor.role, Capability.WorkflowsManage)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        "workflowId: only owners and admins choose a post's workflow; leave it out to use the channel's or the default",
        [{ field: 'workflowId', message: "only owners and admins choose a post's workflow" }],
      );
    }
    if (workflowId && !(await this.workflows.get(actor.workspaceId, workflowId, em))) {
      throw DomainError.ofFields(ErrorCode.NotFound, [
        { field: 'workflowId', message: 'no such workflow in this workspace' },
      ]);
    }
  }

  /**
   * A new workflow takes effect at the next submission, so it can be chosen only
   * before one: on a post under review it would be a rule that silently waits.
   */
  private async changeWorkflow(
    actor: Actor,
    post: PostEntity,
    workflowId: string | null,
    em: EntityManager,
  ): Promise<void> {
    await this.assertMayChooseWorkflow(actor, workflowId, em);
    if (!canApply(post.status, 'submit')) {
      throw new DomainError(
        ErrorCode.Conflict,
        `workflowId: a ${post.status} post keeps the workflow it was submitted under; cancel it, or change the workflow once changes are requested`,
        [{ field: 'workflowId', message: `cannot change while the post is ${post.status}` }],
      );
    }
    const before = post.workflowId;
    post.workflowId = workflowId;
    await this.audit.append(
      {
        ...auditActor(actor),
        postId: post.id,
        version: post.version,
        action: 'post.edited',
        before: { workflowId: before },
        after: { workflowId, changed: ['workflowId'] },
      },
      em,
    );
  }

  private async replay(
    actor: Actor,
    sameBody: boolean,
    postId: string | null,
    em: EntityManager,
  ): Promise<CreatedPost> {
    if (!sameBody || !postId) {
      throw new DomainError(
        ErrorCode.Conflict,
        'This Idempotency-Key was already used with a different request body; use a new key for a new post.',
      );
    }
    const post = await this.posts.findInWorkspace(actor.workspaceId, postId, em);
    if (!post) throw DomainError.notFound('Post');
    return { post, replayed: true };
  }

  private recordRevision(
    post: PostEntity,
    actor: Actor,
    changed: string[],
    em: EntityManager,
  ): Promise<void> {
    return this.posts.addRevision(post, editorship(actor), changed, em);
  }

  private async assertCampaign(actor: Actor, campaignId: string, em?: EntityManager): Promise<void> {
    if (!(await this.campaigns.find(actor.workspaceId, campaignId, em))) {
      throw DomainError.invalid('campaignId', 'no such campaign in this workspace');
    }
  }
}
