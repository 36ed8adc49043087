import {
  DomainError,
  ErrorCode,
  isUuid,
  mayActOnPost,
  openStageIndex,
  parseInstant,
  personOf,
  stageProgress,
  type Actor,
  type FieldError,
  type PostStatus,
} from '@app/domain';
import {
  AuditRepository,
  CampaignsRepository,
  isUniqueViolation,
  PostsRepository,
  ReviewReader,
  type Campaign,
  type PostEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ApprovalsService } from '../approvals/approvals.service';
import { auditActor } from '../audit/audit-actor';
import { PostsService } from '../posts/posts.service';
import {
  MAX_CAMPAIGN_POSTS,
  type CampaignApprovalsDto,
  type CampaignVariantsDto,
  type CreateCampaignDto,
} from './campaign.dto';
import type { CampaignDetailView, CampaignResultView } from './campaign.views';

/** One post's outcome, as a campaign call lists it; a refusal keeps its problem code and words. */
const done = (post: PostEntity): CampaignResultView => ({
  postId: post.id,
  ok: true,
  status: post.status,
  code: null,
  detail: null,
});
const refused = (postId: string, error: unknown, status: PostStatus | null = null): CampaignResultView => {
  if (!(error instanceof DomainError)) throw error;
  return { postId, ok: false, status, code: error.code, detail: error.message };
};

/**
 * Campaigns: one message across channels, acted on together. Every post keeps its
 * own rules: a campaign call is the same call made post by post (each in its own
 * transaction, under its own lock, through the same service), and the answer lists
 * what happened to each. Nothing a campaign does reaches a post the caller could
 * not act on alone (a contributor's campaign calls touch their own posts only).
 */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly campaigns: CampaignsRepository,
    private readonly posts: PostsRepository,
    private readonly reader: ReviewReader,
    private readonly postsService: PostsService,
    private readonly approvals: ApprovalsService,
    private readonly audit: AuditRepository,
  ) {}

  create(actor: Actor, dto: CreateCampaignDto): Promise<Campaign> {
    const startsAt = dto.startsAt ? parseInstant(dto.startsAt) : null;
    const endsAt = dto.endsAt ? parseInstant(dto.endsAt) : null;
    if (startsAt && endsAt && endsAt <= startsAt)
      throw DomainError.invalid('endsAt', 'must be after startsAt');
    return this.db.transaction(async (em) => {
      const campaign = await this.campaigns
        .create(
          {
            workspaceId: actor.workspaceId,
            name: dto.name,
            description: dto.description?.trim() || null,
            startsAt,
            endsAt,
            createdByUserId: personOf(actor),
          },
          em,
        )
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) {
            throw DomainError.ofFields(ErrorCode.Conflict, [
              { field: 'name', message: 'is taken by another campaign of this workspace' },
            ]);
          }
          throw error;
        });
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'campaign.created',
          after: { campaignId: campaign.id, name: campaign.name },
        },
        em,
      );
      return campaign;
    });
  }

  list(actor: Actor): Promise<Campaign[]> {
    return this.campaigns.list(actor.workspaceId);
  }

  async get(actor: Actor, id: string): Promise<CampaignDetailView & { campaign: Campaign }> {
    const campaign = await this.find(actor, id);
    const posts = await this.visiblePosts(actor, campaign);
    const rows = [];
    for (const post of posts) {
      const review = await this.reader.load(post, this.db.manager);
      const stages = review.snapshot
        ? stageProgress(review.snapshot.stages, review.decisions, review.ctx)
        : [];
      const open = openStageIndex(stages);
      rows.push({
        id: post.id,
        channelId: post.channelId,
        status: post.status,
        version: post.version,
        scheduledAt: post.scheduledAt.toISOString(),
        text: post.text,
        openStage: post.status === 'in_review' && open >= 0 ? open : null,
        approvals: stages.reduce((n, s) => n + s.approvedBy.length, 0),
        required: stages.reduce((n, s) => n + s.required, 0),
      });
    }
    return { campaign, posts: rows } as CampaignDetailView & { campaign: Campaign };
  }

  /** Submits every draft of the campaign the caller may act on, each as one submit would. */
  async submit(actor: Actor, id: string): Promise<CampaignResultView[]> {
    const campaign = await this.find(actor, id);
    const results: CampaignResultView[] = [];
    for (const post of await this.visiblePosts(actor, campaign)) {
      if (post.status !== 'draft' && post.status !== 'changes_requested') continue;
      results.push(
        await this.approvals.submit(actor, post.id).then(done, (e) => refused(post.id, e, post.status)),
      );
    }
    return results;
  }

  /**
   * Signs off (or rejects) each listed post at the version given, each under its own
   * stage rules: the answer says per post whether it was taken, or why not. A post
   * not of this campaign (or not the caller's to see) is refused as not found.
   */
  async decide(actor: Actor, id: string, dto: CampaignApprovalsDto): Promise<CampaignResultView[]> {
    const entries = Object.entries(dto.versions);
    const errors: FieldError[] = [];
    if (entries.length === 0) errors.push({ field: 'versions', message: 'must name at least one post' });
    if (entries.length > MAX_CAMPAIGN_POSTS) {
      errors.push({ field: 'versions', message: `must name at most ${MAX_CAMPAIGN_POSTS} posts` });
    }
    for (const [postId, version] of entries) {
      if (!isUuid(postId))
        errors.push({ field: `versions.${postId}`, message: 'must be keyed by a post id' });
      else if (!Number.isInteger(version) || version < 1) {
        errors.push({ field: `versions.${postId}`, message: 'must be a version number (an integer from 1)' });
      }
    }
    if (errors.length > 0) throw DomainError.ofFields(ErrorCode.ValidationFailed, errors);
    const campaign = await this.find(actor, id);
    const ours = new Map((await this.visiblePosts(actor, campaign)).map((p) => [p.id, p.status]));
    const results: CampaignResultView[] = [];
    for (const [postId, version] of entries) {
      const key = postId.toLowerCase();
      if (!ours.has(key)) {
        results.push(refused(key, DomainError.notFound('Post of this campaign')));
        continue;
      }
      results.push(
        await this.approvals
          .decide(actor, key, { decision: dto.decision, version, comment: dto.comment }, { via: 'api' })
          .then(done, (e) => refused(key, e, ours.get(key))),
      );
    }
    return results;
  }

  /** Cancels every post of the campaign not yet going out; the others are listed as they are. */
  async cancel(actor: Actor, id: string): Promise<CampaignResultView[]> {
    const campaign = await this.find(actor, id);
    const results: CampaignResultView[] = [];
    for (const post of await this.visiblePosts(actor, campaign)) {
      if (post.status === 'canceled') continue;
      results.push(
        await this.postsService.cancel(actor, post.id).then(done, (e) => refused(post.id, e, post.status)),
      );
    }
    return results;
  }

  /** Stops (or lets go again) the campaign's posts at the gate, as a channel pause does; `reason` is audited. */
  setPaused(actor: Actor, id: string, paused: boolean, reason: string | null): Promise<Campaign> {
    return this.db.transaction(async (em) => {
      const changed = await this.campaigns.setPaused(
        actor.workspaceId,
        id,
        paused,
        paused ? reason : null,
        em,
      );
      if (!changed) throw DomainError.notFound('Campaign');
      if (changed.before.paused !== paused) {
        await this.audit.append(
          {
            ...auditActor(actor),
            action: paused ? 'campaign.paused' : 'campaign.resumed',
            before: { campaignId: id, paused: changed.before.paused },
            after: { campaignId: id, paused, reason },
          },
          em,
        );
      }
      return changed.after;
    });
  }

  /**
   * Copies a post of the campaign to other channels as new drafts of the campaign,
   * each made as a create would make it (the text held to that channel's limit, what
   * its network cannot show refused): those refused are listed with why, not made.
   */
  async variants(
    actor: Actor,
    zone: string,
    id: string,
    dto: CampaignVariantsDto,
  ): Promise<Array<{ channelId: string; postId: string | null; error: string | null }>> {
    const campaign = await this.find(actor, id);
    const source = (await this.visiblePosts(actor, campaign)).find((p) => p.id === dto.from.toLowerCase());
    if (!source) throw DomainError.invalid('from', 'is not a post of this campaign');
    const results = [];
    for (const channelId of [...new Set(dto.channelIds.map((c) => c.toLowerCase()))]) {
      const made = await this.postsService
        .create(actor, zone, {
          channelId,
          text: source.text,
          mediaUrls: source.mediaUrls,
          mediaAlt: source.mediaAlt,
          ...(source.link ? { link: source.link } : {}),
          ...(source.contentWarning ? { contentWarning: source.contentWarning } : {}),
          visibility: source.visibility,
          ...(source.language ? { language: source.language } : {}),
          scheduledAt: source.scheduledAt.toISOString(),
          campaignId: campaign.id,
        })
        .then(
          ({ post }) => ({ channelId, postId: post.id, error: null }),
          (error: unknown) => {
            if (!(error instanceof DomainError)) throw error;
            const why = error.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') || error.message;
            return { channelId, postId: null, error: why };
          },
        );
      results.push(made);
    }
    return results;
  }

  private async find(actor: Actor, id: string, em?: EntityManager): Promise<Campaign> {
    const campaign = await this.campaigns.find(actor.workspaceId, id, em);
    if (!campaign) throw DomainError.notFound('Campaign');
    return campaign;
  }

  /** The campaign's posts the caller may act on (a contributor: their own), by time. */
  private async visiblePosts(actor: Actor, campaign: Campaign): Promise<PostEntity[]> {
    const ids = await this.campaigns.postIds(campaign.id);
    const posts = await this.posts.findManyInWorkspace(actor.workspaceId, ids);
    return posts.filter((p) => mayActOnPost(actor, p));
  }
}
