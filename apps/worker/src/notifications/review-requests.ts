import { AppConfig } from '@app/config';
import {
  channelLabel,
  eligibleMembers,
  mayStandIn,
  notificationRule,
  openStageIndex,
  publishDeadline,
  stageProgress,
  waitsForDigest,
  whenLocal,
} from '@app/domain';
import { renderReviewRequest, type RenderedMail, type ReviewRequestData } from '@app/mail';
import {
  ChannelsRepository,
  DelegationsRepository,
  NotificationsRepository,
  PostsRepository,
  ReviewDigestsRepository,
  ReviewLinksRepository,
  ReviewReader,
  WorkspacesRepository,
  type HeldReviewRequest,
  type NotifiedEvent,
  type PostEntity,
  newSecretToken,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const LINK_TTL_MS = 72 * 3600_000;

/** One approver's review request: where to send it, and what it says. */
export interface ReviewRequest {
  userId: string;
  email: string;
  mail: RenderedMail;
}

/** The open stage of a post in review, and who of its approvers has yet to decide. */
interface OpenStage {
  index: number;
  approvers: string[];
  /** stand-ins of approvers who have yet to decide (their delegation in force), and whom they stand in for */
  standIns: Map<string, string>;
  /** approvers whose role the workspace asks for a second factor: a link cannot take their sign-off */
  signInOnly: ReadonlySet<string>;
  expiresAt: Date;
  /** what every request for it says of the post, but its link */
  about: Omit<ReviewRequestData, 'link'>;
}

/**
 * When a stage opens (a submission, a sign-off that completes a stage, an edit that
 * sends the post back to stage 1), each approver eligible for it now who has not
 * decided on this version gets a link of their own: 32 random bytes, only the
 * SHA-256 kept, bound to them, the post, the version and the stage, expiring after
 * 72 h or at the post's lateness limit. The link is made here, as the mail is
 * written, so the raw token is never stored. Members who take a daily digest have
 * requests for posts due more than 48 h ahead held for it instead.
 */
@Injectable()
export class ReviewRequests {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifications: NotificationsRepository,
    private readonly posts: PostsRepository,
    private readonly channels: ChannelsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly reader: ReviewReader,
    private readonly links: ReviewLinksRepository,
    private readonly digests: ReviewDigestsRepository,
    private readonly delegations: DelegationsRepository,
    private readonly config: AppConfig,
  ) {}

  /** The requests an audit event calls for (none unless it opened a stage). */
  async for(
    workspaceId: string,
    event: NotifiedEvent,
    claim: (userId: string) => Promise<boolean>,
  ): Promise<ReviewRequest[]> {
    const when = notificationRule(event.action)?.reviewRequest;
    if (!event.postId || !when || (when === 'resetSignOffs' && !event.signOffsReset)) return [];
    const post = await this.posts.findInWorkspace(workspaceId, event.postId);
    if (!post) return [];
    // A sign-off that did not complete its stage opened nothing.
    return this.forPost(
      post,
      claim,
      (open) => when !== 'completedStage' || event.stage === null || open > event.stage,
    );
  }

  /**
   * Links and mails for the approvers of `post`'s open stage who have not decided
   * yet; a reminder is never held for a digest.
   */
  async forPost(
    post: PostEntity,
    claim: (userId: string) => Promise<boolean>,
    opened: (openStage: number) => boolean = () => true,
    reminder = false,
  ): Promise<ReviewRequest[]> {
    const stage = await this.openStage(post);
    if (!stage || !opened(stage.index)) return [];
    const now = new Date();
    const people = await this.notifications.people(stage.approvers);
    const held = new Set(
      people
        .filter((p) => !reminder && waitsForDigest(p.mailDigest, post.scheduledAt, now))
        .map((p) => p.userId),
    );
    await this.digests.hold(
      [...held].map((userId): HeldReviewRequest => ({
        userId,
        workspaceId: post.workspaceId,
        postId: post.id,
        version: post.version,
        stageIndex: stage.index,
      })),
    );

    const requests: ReviewRequest[] = [];
    for (const { userId, email } of people) {
      if (held.has(userId) || !(await claim(userId))) continue;
      requests.push({
        userId,
        email,
        mail: renderReviewRequest(await this.invite(post, stage, userId), reminder),
      });
    }
    // A stand-in covers for someone away: asked at once, never held for a digest.
    const standIns = await this.notifications.people([...stage.standIns.keys()]);
    const names = await this.notifications.people([...stage.standIns.values()]);
    for (const { userId, email } of standIns) {
      if (!(await claim(userId))) continue;
      const member = stage.standIns.get(userId)!;
      const data = await this.invite(post, stage, userId, member);
      const standingInFor = names.find((p) => p.userId === member)?.name ?? 'a colleague';
      requests.push({ userId, email, mail: renderReviewRequest({ ...data, standingInFor }, reminder) });
    }
    return requests;
  }

  /**
   * A held request, if it still stands when the digest is written (the post still
   * at that version and stage, the member still asked and undecided), with a link
   * made now; null otherwise.
   */
  async stillOpen(
    post: PostEntity,
    held: Pick<HeldReviewRequest, 'version' | 'stageIndex' | 'userId'>,
  ): Promise<ReviewRequestData | null> {
    if (post.version !== held.version) return null;
    const stage = await this.openStage(post);
    if (stage?.index !== held.stageIndex || !stage.approvers.includes(held.userId)) return null;
    return this.invite(post, stage, held.userId);
  }

  private async openStage(post: PostEntity): Promise<OpenStage | null> {
    if (post.status !== 'in_review') return null;
    const review = await this.reader.load(post, this.db.manager);
    if (!review.snapshot) return null;
    const index = openStageIndex(stageProgress(review.snapshot.stages, review.decisions, review.ctx));
    if (index < 0) return null;
    const decided = new Set(review.decisions.filter((d) => d.version === post.version).map((d) => d.userId));
    const approvers = eligibleMembers(review.snapshot.stages[index], review.ctx.members)
      .map((m) => m.userId)
      .filter((id) => !review.ctx.excluded.has(id) && !decided.has(id));
    const standIns = new Map<string, string>();
    for (const d of (await this.delegations.inForceOf(post.workspaceId, approvers)).values()) {
      const asked = approvers.includes(d.delegateUserId) || standIns.has(d.delegateUserId);
      if (!asked && !decided.has(d.delegateUserId) && mayStandIn(d.delegateUserId, review.ctx)) {
        standIns.set(d.delegateUserId, d.userId);
      }
    }
    const deadline = publishDeadline(post.scheduledAt, review.snapshot.options).getTime();
    const [workspace, channel] = await Promise.all([
      this.workspaces.findById(post.workspaceId),
      this.channels.findInWorkspace(post.workspaceId, post.channelId),
    ]);
    const needSecondFactor = new Set<string>(workspace?.requireMfaFor ?? []);
    return {
      index,
      approvers,
      standIns,
      signInOnly: new Set(
        review.ctx.members.filter((m) => needSecondFactor.has(m.role)).map((m) => m.userId),
      ),
      expiresAt: new Date(Math.min(Date.now() + LINK_TTL_MS, deadline)),
      about: {
        workspaceName: workspace?.name ?? '',
        channelName: channel ? channelLabel(channel) : '',
        stageName: review.snapshot.stages[index].name,
        postText: post.text,
        mediaUrls: post.mediaUrls,
        postLink: post.link,
        scheduledLocal: whenLocal(post.scheduledAt, workspace?.timezone ?? 'UTC'),
      },
    };
  }

  /**
   * A review link of `userId`'s own for the stage (as the stand-in of `onBehalfOf`,
   * when given), in what their mail says about the post; none where the sign-off
   * must come from a two-factor session: the approver's role, or the role of the
   * member they stand in for, is asked for one.
   */
  private async invite(
    post: PostEntity,
    stage: OpenStage,
    userId: string,
    onBehalfOf: string | null = null,
  ): Promise<ReviewRequestData> {
    if (stage.signInOnly.has(userId) || (onBehalfOf && stage.signInOnly.has(onBehalfOf))) {
      return { ...stage.about, link: null };
    }
    const { token, hash } = newSecretToken();
    await this.links.create({
      tokenHash: hash,
      workspaceId: post.workspaceId,
      postId: post.id,
      version: post.version,
      stageIndex: stage.index,
      approverUserId: userId,
      onBehalfOfUserId: onBehalfOf,
      expiresAt: stage.expiresAt,
    });
    return { ...stage.about, link: `${this.config.publicUrl}/review/${token}` };
  }
}
