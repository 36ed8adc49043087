import { AppConfig } from '@app/config';
import {
  binMinutesOf,
  bucketBounds,
  channelLabel,
  firstWords,
  maySeeComment,
  whenLocal,
  withNames,
  type AccountMail,
} from '@app/domain';
import {
  createMailer,
  renderChannelNeedsReconnect,
  renderCommentMention,
  renderMentionSpike,
  renderInvitation,
  renderMemberAdded,
  renderMfaChanged,
  renderPasswordChanged,
  renderPasswordReset,
  mentionStatsChart,
  svgToPng,
  type Mailer,
  type RenderedMail,
} from '@app/mail';
import {
  ChannelsRepository,
  CommentsRepository,
  InvitationsRepository,
  MentionsRepository,
  PasswordResetsRepository,
  PostsRepository,
  UsersRepository,
  WorkspacesRepository,
  type UserEntity,
} from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';

/** How long a password reset link works. */
export const PASSWORD_RESET_TTL_MS = 3600_000;
/** How far back the spike mail's chart reaches. */
const SPIKE_CHART_MS = 3 * 3600_000;
/** Reset mails one account gets in an hour at most; more requests are answered alike and send nothing. */
const RESETS_PER_HOUR = 3;

/**
 * Writes and sends the mails about a person's account (outbox topic `mail.account`).
 * Links are made here, as the mail is written: the raw token exists only in the mail.
 */
@Injectable()
export class AccountMails {
  private readonly logger = new Logger(AccountMails.name);
  private readonly mailer: Mailer;

  constructor(
    private readonly users: UsersRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly channels: ChannelsRepository,
    private readonly comments: CommentsRepository,
    private readonly posts: PostsRepository,
    private readonly mentions: MentionsRepository,
    private readonly config: AppConfig,
  ) {
    this.mailer = createMailer(config);
  }

  /** Sends `mail`; the id makes its Message-ID. Whether it sent anything. */
  async send(mail: AccountMail, id: string): Promise<boolean> {
    switch (mail.kind) {
      case 'password_reset': {
        const user = await this.users.findByEmail(mail.email);
        // Only accounts with a password: the invited set theirs from the invitation.
        if (!user?.passwordHash) return false;
        if ((await this.resets.countRecent(user.id, 3600_000)) >= RESETS_PER_HOUR) return false;
        const token = await this.resets.create(user.id, PASSWORD_RESET_TTL_MS);
        const link = `${this.config.publicUrl}/reset/${token}`;
        await this.mailer.send(
          user.email,
          renderPasswordReset({ name: user.name, link, validMinutes: PASSWORD_RESET_TTL_MS / 60_000 }),
          id,
        );
        return true;
      }
      case 'password_changed':
        return this.tell(mail.userId, id, (user) => renderPasswordChanged({ name: user.name }));
      case 'mfa_changed':
        return this.tell(mail.userId, id, (user) => renderMfaChanged({ name: user.name, on: mail.on }));
      case 'invitation':
        return this.invitation(mail.invitationId, id);
      case 'member_added': {
        const [user, workspace, adder] = await Promise.all([
          this.users.findById(mail.userId),
          this.workspaces.findById(mail.workspaceId),
          this.users.findById(mail.addedBy),
        ]);
        if (!user || !workspace) return false;
        const data = {
          workspaceName: workspace.name,
          adderName: adder?.name ?? null,
          role: mail.role,
          url: this.config.publicUrl,
        };
        await this.mailer.send(user.email, renderMemberAdded(data), id);
        return true;
      }
      case 'channel_needs_reconnect':
        return this.toAdmins(mail, id);
      case 'comment_mention':
        return this.mention(mail, id);
      case 'mention_spike':
        return this.spike(mail, id);
    }
  }

  /** Every owner and admin: the spike's figures, whether publishing was paused, the mentions that drove it. */
  private async spike(mail: Extract<AccountMail, { kind: 'mention_spike' }>, id: string): Promise<boolean> {
    const [workspace, highlights] = await Promise.all([
      this.workspaces.findById(mail.workspaceId),
      this.mentions.highlights(mail.workspaceId, mail.windowMinutes),
    ]);
    if (!workspace) return false;
    const rendered = renderMentionSpike({
      workspaceName: workspace.name,
      count: mail.count,
      windowMinutes: mail.windowMinutes,
      baseline: mail.baseline,
      negativeShare: mail.negativeShare,
      paused: mail.paused,
      mentions: highlights.mentions.map((m) => ({ author: m.authorHandle, text: firstWords(m.text, 140) })),
      posts: highlights.posts.map((p) => ({ text: firstWords(p.text), replies: p.replies })),
      url: this.config.publicUrl,
      chart: await this.spikeChart(mail.workspaceId, workspace.timezone),
    });
    return this.toOwnersAndAdmins(mail.workspaceId, rendered, id);
  }

  /** The last hours of mentions per 5 minutes as a PNG; the alert goes without it if it cannot be drawn. */
  private async spikeChart(workspaceId: string, zone: string): Promise<Buffer | undefined> {
    try {
      const now = new Date();
      const bounds = bucketBounds(new Date(now.getTime() - SPIKE_CHART_MS), now, '5m', zone);
      const stats = await this.mentions.stats(workspaceId, bounds, binMinutesOf('5m'));
      const svg = mentionStatsChart(
        'Mentions per 5 minutes, last 3 hours',
        stats.buckets,
        stats.spikes,
        '5m',
        zone,
      );
      return svgToPng(svg);
    } catch (error) {
      this.logger.warn(`the spike chart of workspace ${workspaceId}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Tells a member they were mentioned, if they may see the comment now: still a
   * member who signs in (reviewers see comments on their review page), of a role
   * that sees its visibility, on a post they may see (a contributor: their own),
   * and the comment not deleted meanwhile.
   */
  private async mention(
    mail: Extract<AccountMail, { kind: 'comment_mention' }>,
    id: string,
  ): Promise<boolean> {
    const comment = await this.comments.find(mail.workspaceId, mail.commentId);
    if (!comment?.body) return false;
    const [membership, post, workspace, user] = await Promise.all([
      this.workspaces.findMembership(mail.workspaceId, mail.userId),
      this.posts.findInWorkspace(mail.workspaceId, comment.postId),
      this.workspaces.findById(mail.workspaceId),
      this.users.findById(mail.userId),
    ]);
    if (!membership || !post || !workspace || !user || membership.role === 'reviewer') return false;
    if (!maySeeComment(membership.role, comment.visibility)) return false;
    if (membership.role === 'contributor' && post.authorUserId !== mail.userId) return false;
    const [channel, people] = await Promise.all([
      this.channels.findInWorkspace(mail.workspaceId, post.channelId),
      this.users.people([...comment.mentions, ...(comment.authorUserId ? [comment.authorUserId] : [])]),
    ]);
    const names = new Map([...people].map(([userId, p]) => [userId, p.name]));
    const rendered = renderCommentMention({
      workspaceName: workspace.name,
      authorName: (comment.authorUserId && names.get(comment.authorUserId)) || 'Someone',
      comment: withNames(comment.body, names),
      post: firstWords(post.text),
      channel: channel ? channelLabel(channel) : 'a channel',
      url: this.config.publicUrl,
    });
    await this.mailer.send(user.email, rendered, id);
    return true;
  }

  /** Every owner and admin of the workspace, each in a mail of their own. */
  private async toAdmins(
    mail: Extract<AccountMail, { kind: 'channel_needs_reconnect' }>,
    id: string,
  ): Promise<boolean> {
    const [workspace, channel] = await Promise.all([
      this.workspaces.findById(mail.workspaceId),
      this.channels.findInWorkspace(mail.workspaceId, mail.channelId),
    ]);
    if (!workspace || !channel) return false;
    const rendered = renderChannelNeedsReconnect({
      workspaceName: workspace.name,
      channel: channelLabel(channel),
      reason: mail.reason,
      url: this.config.publicUrl,
    });
    return this.toOwnersAndAdmins(mail.workspaceId, rendered, id);
  }

  /** The same mail to every owner and admin of the workspace, each their own. */
  private async toOwnersAndAdmins(workspaceId: string, rendered: RenderedMail, id: string): Promise<boolean> {
    const admins = (await this.workspaces.members(workspaceId)).filter(
      (m) => m.role === 'owner' || m.role === 'admin',
    );
    for (const admin of admins) {
      const user = await this.users.findById(admin.userId);
      if (user) await this.mailer.send(user.email, rendered, `${id}-${admin.userId}`);
    }
    return admins.length > 0;
  }

  /** Tells a person what happened to their account. */
  private async tell(
    userId: string,
    id: string,
    render: (user: UserEntity) => RenderedMail,
  ): Promise<boolean> {
    const user = await this.users.findById(userId);
    if (!user) return false;
    await this.mailer.send(user.email, render(user), id);
    return true;
  }

  /** The invitation with a fresh link, unless it was accepted, revoked or expired meanwhile. */
  private async invitation(invitationId: string, id: string): Promise<boolean> {
    const invitation = await this.invitations.findById(invitationId);
    if (!invitation) return false;
    const [user, workspace, inviter] = await Promise.all([
      this.users.findById(invitation.userId),
      this.workspaces.findById(invitation.workspaceId),
      invitation.invitedBy ? this.users.findById(invitation.invitedBy) : null,
    ]);
    if (!user || !workspace) return false;
    const token = await this.invitations.newToken(invitation.id);
    if (!token) return false;
    const mail = renderInvitation({
      workspaceName: workspace.name,
      inviterName: inviter?.name ?? null,
      role: invitation.role,
      link: `${this.config.publicUrl}/invite/${token}`,
      expiresLocal: whenLocal(invitation.expiresAt, workspace.timezone),
    });
    await this.mailer.send(user.email, mail, id);
    return true;
  }
}
