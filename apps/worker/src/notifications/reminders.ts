import { AppConfig } from '@app/config';
import { openStageIndex, stageProgress, whenLocal } from '@app/domain';
import { createMailer, renderNotification, type Mailer } from '@app/mail';
import {
  PostsRepository,
  ReviewLinksRepository,
  ReviewReader,
  WorkspacesRepository,
  type PostEntity,
} from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReviewRequests } from './review-requests';

const MAX_PER_RUN = 1000;

/**
 * Run by a repeatable job: approvers of a stage still open are reminded (a fresh
 * link each) when the post's time comes within each lead (24 h and 2 h by default),
 * and the owners and admins are told when it comes within the escalation lead
 * (1 h). Each reminder is recorded per post version, stage, lead and kind before it
 * is sent, so no run, however many workers, sends one twice.
 */
@Injectable()
export class Reminders {
  private readonly logger = new Logger(Reminders.name);
  private readonly mailer: Mailer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsRepository,
    private readonly links: ReviewLinksRepository,
    private readonly reader: ReviewReader,
    private readonly workspaces: WorkspacesRepository,
    private readonly requests: ReviewRequests,
    private readonly config: AppConfig,
  ) {
    this.mailer = createMailer(config);
  }

  async run(): Promise<{ reminded: number; escalated: number }> {
    const leads = this.config.reminderLeadsMinutes;
    const horizonMinutes = Math.max(...leads, this.config.escalationLeadMinutes);
    const due = await this.posts.inReviewDueBefore(
      new Date(Date.now() + horizonMinutes * 60_000),
      MAX_PER_RUN,
    );
    let reminded = 0;
    let escalated = 0;
    for (const post of due) {
      const review = await this.reader.load(post, this.db.manager);
      const open = openStageIndex(stageProgress(review.snapshot?.stages ?? [], review.decisions, review.ctx));
      if (open < 0) continue;
      const minutesLeft = (post.scheduledAt.getTime() - Date.now()) / 60_000;
      const applicable = leads.filter((lead) => minutesLeft <= lead);
      if (applicable.length > 0 && (await this.links.claimReminders(post, open, applicable, 'remind')) > 0) {
        for (const r of await this.requests.forPost(
          post,
          () => Promise.resolve(true),
          () => true,
          true,
        )) {
          await this.mailer.send(
            r.email,
            r.mail,
            `reminder-${post.id}-v${post.version}-${r.userId}-${Date.now()}`,
          );
          reminded += 1;
        }
      }
      if (minutesLeft <= this.config.escalationLeadMinutes) {
        if (
          (await this.links.claimReminders(post, open, [this.config.escalationLeadMinutes], 'escalate')) > 0
        ) {
          escalated += await this.escalate(post, review.snapshot?.stages[open]?.name ?? '');
        }
      }
    }
    if (reminded + escalated > 0) this.logger.log(`sent ${reminded} reminder(s), ${escalated} escalation(s)`);
    return { reminded, escalated };
  }

  private async escalate(post: PostEntity, stageName: string): Promise<number> {
    const workspace = await this.workspaces.findById(post.workspaceId);
    const admins = await this.db.query<Array<{ id: string; email: string }>>(
      `SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.workspace_id = $1 AND m.role IN ('owner', 'admin')`,
      [post.workspaceId],
    );
    const mail = renderNotification({
      workspaceName: workspace?.name ?? '',
      action: 'review.overdue',
      postText: post.text,
      channelName: null,
      scheduledAt: whenLocal(post.scheduledAt, workspace?.timezone ?? 'UTC'),
      postUrl: null,
      status: post.status,
      detail: `Stage "${stageName}" is still open.`,
      actorName: null,
    });
    for (const admin of admins) {
      await this.mailer.send(admin.email, mail, `overdue-${post.id}-v${post.version}-${admin.id}`);
    }
    return admins.length;
  }
}
