import { AppConfig } from '@app/config';
import { evaluateGate, type GateReason } from '@app/domain';
import {
  AuditRepository,
  ChannelsRepository,
  PostsRepository,
  ReviewReader,
  WorkspacesRepository,
  type ChannelEntity,
  type PostEntity,
} from '@app/persistence';
import { publishLateness, publishOutcomes, type JobData } from '@app/queue';
import { PublishError, publisherFor, type PublishResult } from '@app/publishers';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** What became of one run of a publish job. */
export type PublishOutcome =
  | { kind: 'published' | 'blocked' | 'expired' | 'failed' | 'stale' | 'already' }
  | { kind: 'early'; at: Date }
  | { kind: 'retry'; error: PublishError };

type Claim =
  | { kind: 'go'; post: PostEntity; channel: ChannelEntity; maxLatenessMinutes: number }
  | Exclude<PublishOutcome, { kind: 'retry' }>;

const SYSTEM = { actorKind: 'system' as const, actorId: null };

/**
 * Publishes one approved post version, once, and only through the gate:
 *  1. under the post's row lock (and a share lock on its workspace and channel, so a
 *     pause that committed first is seen), run evaluateGate; refused -> blocked or
 *     expired, with the reasons; allowed -> `publishing`, committed before any call out;
 *  2. call the publisher with the version's idempotency key (the same on every try);
 *  3. record the result. A job that finds the post already `publishing` at its version
 *     (a retry, or a stalled job taken over) calls again with the same key; one that
 *     finds it published, edited or canceled does nothing.
 */
@Injectable()
export class PublishService {
  private readonly logger = new Logger(PublishService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsRepository,
    private readonly channels: ChannelsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly reader: ReviewReader,
    private readonly audit: AuditRepository,
    private readonly config: AppConfig,
  ) {}

  async run(job: JobData<'publish'>, attempt: number, lastAttempt: boolean): Promise<PublishOutcome> {
    const claim = await this.db.transaction((em) => this.claim(job, em));
    if (claim.kind !== 'go') {
      publishOutcomes.inc({ outcome: claim.kind });
      return claim;
    }
    const { post, channel } = claim;
    const started = Date.now();
    let result: PublishResult;
    try {
      result = await publisherFor(channel, this.config.publishTimeoutMs).publish({
        idempotencyKey: `${post.id}-v${post.version}`,
        postId: post.id,
        version: post.version,
        workspaceId: post.workspaceId,
        channel: { id: channel.id, name: channel.name, network: channel.network, handle: channel.handle },
        text: post.text,
        mediaUrls: post.mediaUrls,
        link: post.link,
        scheduledAt: post.scheduledAt.toISOString(),
      });
    } catch (error) {
      const failure =
        error instanceof PublishError ? error : new PublishError((error as Error).message, true);
      const deadline = post.scheduledAt.getTime() + claim.maxLatenessMinutes * 60_000;
      const retry = failure.retryable && !lastAttempt && Date.now() < deadline;
      await this.finish(post, attempt, Date.now() - started, { failure, retry });
      publishOutcomes.inc({ outcome: retry ? 'retry' : 'failed' });
      return retry ? { kind: 'retry', error: failure } : { kind: 'failed' };
    }
    await this.finish(post, attempt, Date.now() - started, { result });
    publishLateness.observe(Math.max(0, (Date.now() - post.scheduledAt.getTime()) / 1000));
    publishOutcomes.inc({ outcome: 'published' });
    return { kind: 'published' };
  }

  private async claim(job: JobData<'publish'>, em: EntityManager): Promise<Claim> {
    const post = await this.posts.lockInWorkspace(job.workspaceId, job.postId, em);
    if (!post || post.version !== job.version) return { kind: 'stale' };
    if (post.status === 'published') return { kind: 'already' };
    const workspace = await this.workspaces.readLocked(post.workspaceId, em);
    const channel = await this.channels.findForPublishing(post.workspaceId, post.channelId, em);
    const review = await this.reader.load(post, em);
    const maxLatenessMinutes = review.snapshot?.options.maxLatenessMinutes ?? 15;
    if (!workspace || !channel) return { kind: 'stale' };
    if (post.status === 'publishing') {
      // The gate passed already. Go on only when no call can be in flight: the last
      // try was answered with "retry later", or its worker has been silent past the lease.
      if (!(await this.mayTakeOver(post, em))) return { kind: 'stale' };
      post.publishingStartedAt = new Date();
      await this.posts.save(post, em);
      return { kind: 'go', post, channel, maxLatenessMinutes };
    }
    if (post.status !== 'approved') return { kind: 'stale' };

    const gate = evaluateGate({
      post,
      jobVersion: job.version,
      snapshot: review.snapshot,
      decisions: review.decisions,
      counting: review.ctx,
      workspace,
      channel,
      contentViolations: [],
      now: new Date(),
    });
    if (!gate.ok) {
      if (gate.reasons.every((r) => r.code === 'too_early')) return { kind: 'early', at: post.scheduledAt };
      return this.refuse(post, gate.reasons, em);
    }
    const before = { status: post.status };
    post.status = 'publishing';
    post.publishingStartedAt = new Date();
    await this.posts.save(post, em);
    await this.audit.append(
      {
        workspaceId: post.workspaceId,
        ...SYSTEM,
        postId: post.id,
        version: post.version,
        action: 'post.publishing',
        before,
        after: { status: post.status },
      },
      em,
    );
    return { kind: 'go', post, channel, maxLatenessMinutes };
  }

  private async mayTakeOver(post: PostEntity, em: EntityManager): Promise<boolean> {
    const since = post.publishingStartedAt?.getTime() ?? 0;
    if (Date.now() - since > this.config.publishLockMs / 2) return true;
    const last = await this.posts.lastAttempt(post.id, post.version, em);
    return last?.outcome === 'retry' && last.createdAt.getTime() >= since;
  }

  private async refuse(post: PostEntity, reasons: GateReason[], em: EntityManager): Promise<Claim> {
    const late = reasons.some((r) => r.code === 'too_late');
    const before = { status: post.status };
    post.status = late ? 'expired' : 'blocked';
    post.outcome = { reasons };
    await this.posts.save(post, em);
    await this.audit.append(
      {
        workspaceId: post.workspaceId,
        ...SYSTEM,
        postId: post.id,
        version: post.version,
        action: late ? 'post.expired' : 'post.blocked',
        before,
        after: { status: post.status, reasons },
      },
      em,
    );
    this.logger.warn(
      `post ${post.id} v${post.version} ${post.status}: ${reasons.map((r) => r.code).join(', ')}`,
    );
    return { kind: late ? 'expired' : 'blocked' };
  }

  private async finish(
    post: PostEntity,
    attempt: number,
    durationMs: number,
    how: { result: PublishResult } | { failure: PublishError; retry: boolean },
  ): Promise<void> {
    await this.db.transaction(async (em) => {
      const current = await this.posts.lockInWorkspace(post.workspaceId, post.id, em);
      const outcome = 'result' in how ? 'published' : how.retry ? 'retry' : 'failed';
      await this.posts.recordAttempt(
        {
          postId: post.id,
          version: post.version,
          attempt,
          outcome,
          statusCode: 'result' in how ? how.result.statusCode : how.failure.statusCode,
          error: 'failure' in how ? how.failure.message : null,
          durationMs,
        },
        em,
      );
      if (
        !current ||
        current.status !== 'publishing' ||
        current.version !== post.version ||
        outcome === 'retry'
      )
        return;
      current.status = outcome;
      if ('result' in how) {
        Object.assign(current, {
          publishedAt: new Date(),
          externalId: how.result.externalId,
          externalUrl: how.result.url,
        });
      } else {
        current.outcome = {
          error: how.failure.message,
          statusCode: how.failure.statusCode,
          attempts: attempt,
        };
      }
      await this.posts.save(current, em);
      await this.audit.append(
        {
          workspaceId: post.workspaceId,
          ...SYSTEM,
          postId: post.id,
          version: post.version,
          action: `post.${outcome}`,
          before: { status: 'publishing' },
          after: { status: outcome, externalId: current.externalId, attempts: attempt },
        },
        em,
      );
    });
  }
}
