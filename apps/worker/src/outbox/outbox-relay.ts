import { AppConfig } from '@app/config';
import { OutboxRepository, type OutboxMessage } from '@app/persistence';
import { ensurePublishJob, publishJobId, QueueName, retriedJobOptions, webhookJobId } from '@app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MAX_MAIL_DEFERRAL_MS, PublishingLoad } from '../publishing/publishing-load';

const BATCH = 200;
/** Redis commands wait for a reconnect; the outbox rows must not stay locked meanwhile. */
const REDIS_TIMEOUT_MS = 5000;

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
const POLL_MS = 1000;

/**
 * Moves outbox messages into BullMQ: woken by NOTIFY as soon as a transaction that
 * wrote one commits, and by a poll in case a notification was missed. A message is
 * deleted only once its job is in Redis; doing it twice is harmless (job ids are
 * per version). Several workers may relay at once (FOR UPDATE SKIP LOCKED).
 *
 * During a burst of publishes in this process, mail stays in the outbox until the
 * burst has passed (or for MAX_MAIL_DEFERRAL_MS at most): relaying the "published"
 * mail of every post as it goes competes with the publishing for the CPU.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private listener: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** A kick is promised for when the publishing burst has passed. */
  private afterBurst = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxRepository,
    @InjectQueue(QueueName.Publish) private readonly queue: Queue,
    @InjectQueue(QueueName.Webhooks) private readonly webhooks: Queue,
    @InjectQueue(QueueName.Mail) private readonly mail: Queue,
    private readonly config: AppConfig,
    private readonly load: PublishingLoad,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    await this.listen();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }

  /** Drains now (or right after the drain in progress). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn(`outbox relay: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Mail waits while publishing is busy; the relay comes back for it once that has passed. */
  private mailHoldMs(): number {
    if (!this.load.busy) return 0;
    if (!this.afterBurst) {
      this.afterBurst = true;
      void this.load.light(MAX_MAIL_DEFERRAL_MS).then(() => {
        this.afterBurst = false;
        this.kick();
      });
    }
    return MAX_MAIL_DEFERRAL_MS;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const holdMailMs = this.mailHoldMs();
      const moved = await this.db.transaction(async (em) => {
        const messages = await this.outbox.claim(BATCH, em, holdMailMs);
        await withTimeout(this.applyAll(messages), REDIS_TIMEOUT_MS);
        await this.outbox.remove(
          messages.map((m) => m.id),
          em,
        );
        return messages.length;
      });
      if (moved < BATCH) return;
    }
  }

  /**
   * Messages about one post are applied in order (a schedule, then its unschedule);
   * webhook deliveries and mails, which nothing orders, go in one bulk add per queue.
   */
  private async applyAll(messages: Array<OutboxMessage & { id: string }>): Promise<void> {
    const chains = new Map<string, Promise<void>>();
    const deliveries = [];
    const mails = [];
    for (const m of messages) {
      if (m.topic === 'webhook.deliver') {
        const { subscriptionId, seq } = m.payload;
        deliveries.push({
          name: 'deliver',
          data: m.payload,
          opts: retriedJobOptions(this.config, webhookJobId(subscriptionId, seq)),
        });
      } else if (m.topic === 'mail.account') {
        mails.push({
          name: 'account',
          data: m.payload,
          opts: retriedJobOptions(this.config, `account-${m.id}`),
        });
      } else if (m.topic === 'mail.notify') {
        const { workspaceId, seq } = m.payload;
        mails.push({
          name: 'notify',
          data: m.payload,
          opts: retriedJobOptions(this.config, `mail-${workspaceId}-${seq}`),
        });
      } else {
        const key = m.payload.postId;
        chains.set(
          key,
          (chains.get(key) ?? Promise.resolve()).then(() => this.applyToPost(m)),
        );
      }
    }
    await Promise.all([
      ...chains.values(),
      deliveries.length > 0 && this.webhooks.addBulk(deliveries),
      mails.length > 0 && this.mail.addBulk(mails),
    ]);
  }

  private async applyToPost(
    message: Extract<OutboxMessage, { topic: 'publish.schedule' | 'publish.unschedule' }>,
  ): Promise<void> {
    switch (message.topic) {
      case 'publish.schedule': {
        const { postId, workspaceId, channelId, version, scheduledAt } = message.payload;
        await ensurePublishJob(
          this.queue,
          this.config,
          { postId, workspaceId, channelId, version },
          new Date(scheduledAt).getTime(),
          { moveDelayed: true },
        );
        return;
      }
      case 'publish.unschedule': {
        const job = await this.queue.getJob(publishJobId(message.payload.postId, message.payload.version));
        // An active job is left alone: the gate, under the row lock, will find the change.
        if (job && ['delayed', 'waiting', 'prioritized'].includes(await job.getState())) await job.remove();
        return;
      }
    }
  }

  private async listen(): Promise<void> {
    try {
      this.listener = new Client({ connectionString: this.config.databaseUrl });
      this.listener.on('error', (error) => this.logger.warn(`outbox listener: ${error.message}`));
      // The payload is the message's topic; mail that would be held anyway needs no drain.
      this.listener.on('notification', ({ payload }) => {
        if (payload !== 'mail.notify' || !this.load.busy) this.kick();
      });
      await this.listener.connect();
      await this.listener.query('LISTEN countersign_outbox');
    } catch (error) {
      // The poll still drains the outbox, a second later.
      this.logger.warn(`outbox listener unavailable, polling only: ${(error as Error).message}`);
    }
  }
}
