import { AppConfig } from '@app/config';
import {
  createMailer,
  NOTIFIED_ACTIONS,
  renderNotification,
  type Mailer,
  type RenderedMail,
} from '@app/mail';
import { NotificationsRepository } from '@app/persistence';
import { QueueName, type JobData } from '@app/queue';
import { startBullWorker } from './bull-worker';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { ReviewRequests } from './review-requests';

/**
 * Mails the people an audit event concerns (author, owners and admins). Each
 * recipient is claimed in the database before the send, so a retry or a second
 * worker never mails anyone twice; a send that fails outright releases its claim
 * and the job retries with backoff.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailWorker.name);
  private worker: Worker<JobData<'notify'>> | undefined;
  private readonly mailer: Mailer;

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly reviewRequests: ReviewRequests,
    private readonly config: AppConfig,
  ) {
    this.mailer = createMailer(config);
  }

  onApplicationBootstrap(): void {
    this.worker = startBullWorker<JobData<'notify'>>(
      this.config,
      QueueName.Mail,
      (job) => this.notify(job),
      this.logger,
      {
        concurrency: 10,
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async notify(job: Job<JobData<'notify'>>): Promise<number> {
    const { workspaceId, seq } = job.data;
    const claim = (userId: string) => this.notifications.claim(workspaceId, seq, userId);
    let sent = 0;
    for (const request of await this.reviewRequests.for(workspaceId, seq, claim)) {
      await this.deliver(workspaceId, seq, request.userId, request.email, request.mail);
      sent += 1;
    }
    const notification = await this.notifications.load(workspaceId, seq);
    if (!notification) return sent;
    // Stage openings are review requests (above), not notifications.
    if (!NOTIFIED_ACTIONS.includes(notification.data.action)) return sent;
    const mail = renderNotification(notification.data);
    for (const { userId, email } of notification.recipients) {
      if (!(await claim(userId))) continue;
      await this.deliver(workspaceId, seq, userId, email, mail);
      sent += 1;
    }
    return sent;
  }

  private async deliver(
    workspaceId: string,
    seq: string,
    userId: string,
    email: string,
    mail: RenderedMail,
  ): Promise<void> {
    try {
      await this.mailer.send(email, mail, `<countersign-${workspaceId}-${seq}-${userId}@countersign>`);
    } catch (error) {
      await this.notifications.release(workspaceId, seq, userId);
      throw error;
    }
    await this.notifications.sent(workspaceId, seq, userId);
  }
}
