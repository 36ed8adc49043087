import { AppConfig } from '@app/config';
import {
  eligibleMembers,
  notificationRule,
  openStageIndex,
  publishDeadline,
  stageProgress,
  whenLocal,
} from '@app/domain';
import { renderReviewRequest, type RenderedMail } from '@app/mail';
import {
  ChannelsRepository,
  NotificationsRepository,
  PostsRepository,
  ReviewLinksRepository,
  ReviewReader,
  WorkspacesRepository,
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

/**
 * When a stage opens (a submission, a sign-off that completes a stage, an edit that
 * sends the post back to stage 1), each approver eligible for it now who has not
 * decided on this version gets a link of their own: 32 random bytes, only the
 * SHA-256 kept, bound to them, the post, the version and the stage, expiring after
 * 72 h or at the post's lateness limit. The link is made here, as the mail is
 * written, so the raw token is never stored.
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

  /** Links and mails for the approvers of `post`'s open stage who have not decided yet. */
  async forPost(
    post: PostEntity,
    claim: (userId: string) => Promise<boolean>,
    opened: (openStage: number) => boolean = () => true,
    reminder = false,
  ): Promise<ReviewRequest[]> {
    const workspaceId = post.workspaceId;
    if (post.status !== 'in_review') return [];
    const review = await this.reader.load(post, this.db.manager);
    if (!review.snapshot) return [];
    const progress = stageProgress(review.snapshot.stages, review.decisions, review.ctx);
    const open = openStageIndex(progress);
    if (open < 0 || !opened(open)) return [];

    const decided = new Set(review.decisions.filter((d) => d.version === post.version).map((d) => d.userId));
    const approvers = eligibleMembers(review.snapshot.stages[open], review.ctx.members)
      .map((m) => m.userId)
      .filter((id) => !review.ctx.excluded.has(id) && !decided.has(id));
    const [workspace, channel] = await Promise.all([
      this.workspaces.findById(workspaceId),
      this.channels.findInWorkspace(workspaceId, post.channelId),
    ]);
    const deadline = publishDeadline(post.scheduledAt, review.snapshot.options).getTime();
    const expiresAt = new Date(Math.min(Date.now() + LINK_TTL_MS, deadline));
    const zone = workspace?.timezone ?? 'UTC';

    const requests: ReviewRequest[] = [];
    for (const { userId, email } of await this.notifications.people(approvers)) {
      if (!(await claim(userId))) continue;
      const { token, hash } = newSecretToken();
      await this.links.create({
        tokenHash: hash,
        workspaceId,
        postId: post.id,
        version: post.version,
        stageIndex: open,
        approverUserId: userId,
        expiresAt,
      });
      requests.push({
        userId,
        email,
        mail: renderReviewRequest(
          {
            workspaceName: workspace?.name ?? '',
            channelName: channel ? `${channel.name} (${channel.network})` : '',
            stageName: review.snapshot.stages[open].name,
            postText: post.text,
            mediaUrls: post.mediaUrls,
            postLink: post.link,
            scheduledLocal: whenLocal(post.scheduledAt, zone),
            link: `${this.config.publicUrl}/review/${token}`,
          },
          reminder,
        ),
      });
    }
    return requests;
  }
}
