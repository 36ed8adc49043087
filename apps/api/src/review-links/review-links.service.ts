import { AppConfig } from '@app/config';
import { assertFormToken, formToken } from '../common/form-token';
import {
  channelLabel,
  previewOf,
  textLimitOf,
  contentChanges,
  DomainError,
  eligibleMembers,
  mediaKindOf,
  ErrorCode,
  mayStandIn,
  openStageIndex,
  seesTeamComments,
  stageProgress,
  withNames,
  type Actor,
  whenLocal,
} from '@app/domain';
import {
  ChannelsRepository,
  DelegationsRepository,
  MentionsRepository,
  PostsRepository,
  ReviewLinksRepository,
  ReviewReader,
  UsersRepository,
  WorkspacesRepository,
  type PostEntity,
  type ReviewLink,
  looksLikeSecretToken,
  secretTokenHash,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { diffWords } from 'diff';
import { DataSource } from 'typeorm';
import { ApprovalsService } from '../approvals/approvals.service';
import { CommentsService } from '../comments/comments.service';
import { AUDIENCES, SHOWN_WITH_LABELS, type MediaItem, type ReviewPageData } from './review-links.templates';

const gone = (why: string) => new DomainError(ErrorCode.Gone, why);

const mediaItem = (url: string, alt = ''): MediaItem => {
  const kind = mediaKindOf(url);
  return { url, alt, image: kind === 'image', label: kind === 'video' ? 'Video' : 'File' };
};

interface OpenLink {
  link: ReviewLink;
  post: PostEntity;
  actor: Actor;
}

/**
 * Review links, as approvers use them from e-mail: reading one changes nothing
 * (mail scanners open links); acting needs the page's CSRF token, and uses the link
 * up in the same transaction as the decision. A link is dead once used, once
 * expired, once the post changes, or once its approver is no longer a member
 * eligible for the stage; the review rules check everything else as for the API.
 */
@Injectable()
export class ReviewLinksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly links: ReviewLinksRepository,
    private readonly posts: PostsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly channels: ChannelsRepository,
    private readonly users: UsersRepository,
    private readonly reader: ReviewReader,
    private readonly review: ApprovalsService,
    private readonly delegations: DelegationsRepository,
    private readonly comments: CommentsService,
    private readonly mentions: MentionsRepository,
    private readonly config: AppConfig,
  ) {}

  async page(token: string): Promise<ReviewPageData> {
    const { link, post, actor } = await this.open(token);
    const [workspace, channel, review, revisions, comments, answers] = await Promise.all([
      this.workspaces.findById(link.workspaceId),
      this.channels.findInWorkspace(link.workspaceId, post.channelId),
      this.reader.load(post, this.db.manager),
      this.posts.revisions(post.id),
      this.comments.list(actor, post.id),
      // A reply is judged with what it answers beside it.
      post.replyToMentionId ? this.mentions.find(link.workspaceId, post.replyToMentionId) : null,
    ]);
    const zone = workspace?.timezone ?? 'UTC';
    // Posts keep their channel (channels are never deleted): none would be a broken link.
    if (!channel) throw DomainError.notFound('Channel');
    const stages = stageProgress(review.snapshot?.stages ?? [], review.decisions, review.ctx);
    const stage = stages[link.stageIndex];
    const approvedBy = stage?.approvedBy ?? [];
    const standsIn = Object.values(stage?.onBehalfOf ?? {});
    const member = link.onBehalfOfUserId;
    const people = await this.users.people([
      ...approvedBy,
      ...standsIn,
      link.approverUserId,
      ...(member ? [member] : []),
    ]);
    const nameOf = (id: string) => people.get(id)?.name ?? 'someone';
    const names = approvedBy.map((id) => {
      const seat = stage?.onBehalfOf[id];
      return seat ? `${nameOf(id)} (for ${nameOf(seat)})` : nameOf(id);
    });
    const reviewer = people.get(link.approverUserId);
    const next = review.snapshot?.stages[link.stageIndex + 1];
    const missing = stage ? Math.max(0, stage.required - approvedBy.length) : 0;
    const afterDecision =
      missing > 1
        ? `Your sign-off is one of the ${missing} this stage still needs.`
        : next
          ? `Yours completes this stage; then "${next.name}" signs off (stage ${link.stageIndex + 2}).`
          : 'Yours completes the last stage: the post is then approved and goes out at its time.';
    const previous = revisions.filter((r) => r.version < post.version).at(-1);
    const changes = previous ? contentChanges(previous, post) : null;
    const preview = previewOf(channel.network, post, textLimitOf(channel));
    return {
      workspaceName: workspace?.name ?? '',
      channelName: channelLabel(channel),
      stageName: review.snapshot?.stages[link.stageIndex]?.name ?? '',
      scheduledLocal: whenLocal(post.scheduledAt, zone),
      replyTo: answers
        ? {
            author: answers.authorHandle,
            text: answers.text,
            url: answers.url && /^https?:\/\//i.test(answers.url) ? answers.url : null,
          }
        : null,
      preview,
      audience: AUDIENCES[preview.visibility],
      media: post.mediaUrls.map((url, i) => mediaItem(url, post.mediaAlt[i])),
      link: post.link,
      changes:
        previous && changes
          ? {
              previousVersion: previous.version,
              text: changes.textChanged ? diffWords(previous.text, post.text) : null,
              mediaAdded: changes.mediaAdded.map((url) => mediaItem(url)),
              mediaRemoved: changes.mediaRemoved.map((url) => mediaItem(url)),
              altChanged: changes.altChanged,
              shownWith: changes.shownWithChanged.map((field) => ({
                label: SHOWN_WITH_LABELS[field],
                before: previous[field],
                after: post[field],
              })),
              link: changes.link,
              channelChanged: changes.channelChanged,
            }
          : null,
      approvedBy: names,
      reviewerName: reviewer?.name ?? '',
      reviewerEmail: reviewer?.email ?? '',
      standingInFor: member ? nameOf(member) : null,
      stageNumber: link.stageIndex + 1,
      stageCount: stages.length,
      afterDecision,
      csrf: formToken(this.config.jwtSecret, 'review', link.id),
      comments: comments.map((c) => ({
        author: c.author?.name ?? 'Former user',
        when: whenLocal(new Date(c.createdAt), zone),
        body: c.body === null ? null : withNames(c.body, new Map(c.mentions.map((m) => [m.id, m.name]))),
        parentId: c.parentId,
        postVersion: c.postVersion,
        older: c.onOlderVersion,
        team: c.visibility === 'team',
      })),
      teamMayWrite: seesTeamComments(actor.role),
    };
  }

  /**
   * A comment from the page, as its holder: the link is not used up, but must still
   * be good (the post at its version, in review, the stage open). Reviewers write
   * `everyone` comments; the brand's people choose, `team` unless they say otherwise.
   */
  async comment(token: string, form: Record<string, unknown>): Promise<void> {
    const { link, post, actor } = await this.open(token);
    assertFormToken(this.config.jwtSecret, 'review', link.id, form.csrf);
    const { body, visibility } = form;
    if (typeof body !== 'string' || !body.trim()) throw DomainError.invalid('body', 'must not be empty');
    if (body.length > 10_000) throw DomainError.invalid('body', 'must be at most 10000 characters');
    if (visibility !== undefined && visibility !== 'team' && visibility !== 'everyone') {
      throw DomainError.invalid('visibility', 'must be team or everyone');
    }
    await this.comments.create(actor, post.id, { body: body.trim(), visibility });
  }

  async act(
    token: string,
    form: Record<string, unknown>,
    origin: { ip: string; userAgent?: string },
  ): Promise<PostEntity> {
    const { link, post, actor } = await this.open(token);
    assertFormToken(this.config.jwtSecret, 'review', link.id, form.csrf);
    const { decision, comment } = form;
    if (decision !== 'approve' && decision !== 'reject')
      throw DomainError.invalid('decision', 'must be approve or reject');
    if (comment !== undefined && typeof comment !== 'string')
      throw DomainError.invalid('comment', 'must be sent once, as text');
    return this.review.decide(
      actor,
      post.id,
      { decision, version: link.version, comment, onBehalfOf: link.onBehalfOfUserId ?? undefined },
      { via: 'email', ...origin },
      async (em) => {
        if (!(await this.links.use(link.id, em))) throw gone('This link has already been used.');
      },
    );
  }

  /** The link, if it may still be used: why not, otherwise. */
  private async open(token: string): Promise<OpenLink> {
    const link = looksLikeSecretToken(token) ? await this.links.findByHash(secretTokenHash(token)) : null;
    if (!link) throw DomainError.notFound('Review link');
    if (link.usedAt) throw gone('This link has already been used; each link works once.');
    if (link.expiresAt.getTime() < Date.now()) throw gone('This link has expired.');
    const post = await this.posts.findInWorkspace(link.workspaceId, link.postId);
    if (!post || post.version !== link.version || post.status !== 'in_review') {
      throw gone(
        'The post has changed, or been decided, since this link was sent. A new link comes when it needs you again.',
      );
    }
    const membership = await this.workspaces.findMembership(link.workspaceId, link.approverUserId);
    const review = await this.reader.load(post, this.db.manager);
    const stage = review.snapshot?.stages[link.stageIndex];
    // A stand-in's link is for the member's seat, while the delegation is in force.
    const seat = link.onBehalfOfUserId ?? link.approverUserId;
    const standsIn =
      link.onBehalfOfUserId === null ||
      (mayStandIn(link.approverUserId, review.ctx) &&
        (await this.delegations.standsInFor(link.workspaceId, link.approverUserId)).includes(seat));
    const eligible = stage && eligibleMembers(stage, review.ctx.members).some((m) => m.userId === seat);
    const open = openStageIndex(stageProgress(review.snapshot?.stages ?? [], review.decisions, review.ctx));
    if (!membership || !eligible || !standsIn || open !== link.stageIndex) {
      throw gone(
        'This link no longer applies: the stage is closed, you are no longer one of its approvers, or your stand-in period is over.',
      );
    }
    // A link proves the mailbox, one factor: where the role must show two (the
    // approver's, or the role of the member they stand in for), it signs in.
    const workspace = await this.workspaces.findById(link.workspaceId);
    const seatRole = review.ctx.members.find((m) => m.userId === seat)?.role;
    const strict = [membership.role, seatRole].find(
      (role) => role && workspace?.requireMfaFor.includes(role),
    );
    if (strict) {
      throw new DomainError(
        ErrorCode.MfaRequired,
        `This workspace asks the ${strict} role for two-factor sign-in, which a link from an e-mail cannot give: sign in to Countersign with your code to review this post.`,
      );
    }
    return {
      link,
      post,
      actor: {
        kind: 'user',
        userId: link.approverUserId,
        workspaceId: link.workspaceId,
        role: membership.role,
      },
    };
  }
}
