import { AppConfig } from '@app/config';
import { createMailer, renderNotification, type Mailer, type RenderedMail } from '@app/mail';
import { NotificationsRepository, type MailKey } from '@app/persistence';
import { QueueName, type JobData } from '@app/queue';
import { startBullWorker } from '../common/bull-worker';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { Batcher } from '../common/batcher';
import { MAX_MAIL_DEFERRAL_MS, PublishingLoad } from '../publishing/publishing-load';
import { AccountMails } from './account-mails';
import { ReviewRequests } from './review-requests';

/** Sends of one process whose claims (or records) share a statement; see Batcher. */
const BATCH = { maxSize: 100, maxInFlight: 1 };

/**
 * Mails the people an audit event concerns (author, owners and admins). Each
 * recipient is claimed in the database before the send, so a retry or a second
 * worker never mails anyone twice; a send that fails outright releases its claim
 * and the job retries with backoff. Publishing comes first: while a burst of
 * publishes runs in this process, mail waits (a few seconds at most).
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailWorker.name);
  private worker: Worker<JobData<'notify'> | JobData<'account'>> | undefined;
  private readonly mailer: Mailer;
  private readonly claims = new Batcher<MailKey, boolean>((keys) => this.notifications.claim(keys), BATCH);
  private readonly sent = new Batcher<MailKey, void>(async (keys) => {
    await this.notifications.sent(keys);
    return keys.map(() => undefined);
  }, BATCH);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly reviewRequests: ReviewRequests,
    private readonly accounts: AccountMails,
    private readonly load: PublishingLoad,
    private readonly config: AppConfig,
  ) {
    this.mailer = createMailer(config);
  }

  onApplicationBootstrap(): void {
    this.worker = startBullWorker<JobData<'notify'> | JobData<'account'>>(
      this.config,
      QueueName.Mail,
      (job) =>
        job.name === 'account'
          ? this.accounts.send(job.data as JobData<'account'>, job.id ?? job.name)
          : this.notify(job as Job<JobData<'notify'>>),
      this.logger,
      { concurrency: 20 },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async notify(job: Job<JobData<'notify'>>): Promise<number> {
    await this.load.light(MAX_MAIL_DEFERRAL_MS);
    const { workspaceId, seq } = job.data;
    const notification = await this.notifications.load(workspaceId, seq);
    if (!notification) return 0;
    const claim = (userId: string) => this.claims.submit({ workspaceId, seq, userId });
    let sent = 0;
    for (const request of await this.reviewRequests.for(workspaceId, notification.event, claim)) {
      await this.deliver({ workspaceId, seq, userId: request.userId }, request.email, request.mail);
      sent += 1;
    }
    // The recipients are those NOTIFICATIONS names; stage openings are review requests (above).
    if (notification.recipients.length === 0) return sent;
    const mail = renderNotification(notification.data);
    for (const { userId, email } of notification.recipients) {
      if (!(await claim(userId))) continue;
      await this.deliver({ workspaceId, seq, userId }, email, mail);
      sent += 1;
    }
    return sent;
  }

  private async deliver(key: MailKey, email: string, mail: RenderedMail): Promise<void> {
    try {
      await this.mailer.send(email, mail, `${key.workspaceId}-${key.seq}-${key.userId}`);
    } catch (error) {
      await this.notifications.release(key);
      throw error;
    }
    await this.sent.submit(key);
  }
}
