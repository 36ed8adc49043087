import { AppConfig } from '@app/config';
import { PostsRepository } from '@app/persistence';
import { ensurePublishJob, QueueName } from '@app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';

const MAX_PER_RUN = 2000;

/**
 * PostgreSQL is the truth, Redis a cache of intentions: every run re-creates the
 * missing publish jobs of approved posts coming due (Redis flushed or lost), and
 * retries publishes stuck in `publishing` (a worker died and its job is gone), with
 * the same idempotency key.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    private readonly posts: PostsRepository,
    @InjectQueue(QueueName.Publish) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async run(): Promise<{ enqueued: number }> {
    const now = Date.now();
    // Far enough ahead that the next run comes before these are due.
    const horizon = new Date(now + 3 * this.config.reconcileEveryMs + 60_000);
    const stuckBefore = new Date(now - this.config.publishingStuckMs);
    let enqueued = 0;
    for (const post of await this.posts.dueOrStuck(horizon, stuckBefore, MAX_PER_RUN)) {
      const dueAt = post.status === 'approved' ? post.scheduledAt.getTime() : now;
      const data = {
        postId: post.id,
        workspaceId: post.workspaceId,
        channelId: post.channelId,
        version: post.version,
      };
      // A job still backing off keeps its delay: the reconciler only brings back what is gone.
      const ensured = await ensurePublishJob(this.queue, this.config, data, dueAt, { moveDelayed: false });
      if (ensured === 'added') enqueued += 1;
    }
    if (enqueued > 0)
      this.logger.warn(`enqueued ${enqueued} publish job(s) not in Redis (lost, or the relay is behind)`);
    return { enqueued };
  }
}
