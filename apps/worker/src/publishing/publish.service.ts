import { AppConfig } from '@app/config';
import { boundedMatcher, checkContent, evaluateGate, type GateReason } from '@app/domain';
import { PublishingRepository, type PostEntity, type PublishTarget } from '@app/persistence';
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
  | { kind: 'go'; target: PublishTarget; maxLatenessMinutes: number }
  | Exclude<PublishOutcome, { kind: 'retry' }>;

/**
 * Publishes one approved post version, once, and only through the gate:
 *  1. under the post's row lock (and share locks on its workspace and channel, so a
 *     pause that committed first is seen), run evaluateGate; refused -> blocked or
 *     expired, with the reasons; allowed -> `publishing`, committed before any call out;
 *  2. call the publisher with the version's idempotency key (the same on every try);
 *  3. record the result. A job that finds the post already `publishing` at its version
 *     (a retry, or a stalled job taken over) calls again with the same key, but only
 *     when no other call can be in flight; one that finds it published, edited or
 *     canceled does nothing.
 */
@Injectable()
export class PublishService {
  private readonly logger = new Logger(PublishService.name);
  private readonly matcher = boundedMatcher();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publishing: PublishingRepository,
    private readonly config: AppConfig,
  ) {}

  async run(job: JobData<'publish'>, attempt: number, lastAttempt: boolean): Promise<PublishOutcome> {
    const claim = await this.db.transaction((em) => this.claim(job, em));
    if (claim.kind !== 'go') {
      publishOutcomes.inc({ outcome: claim.kind });
      return claim;
    }
    const { post, channel } = claim.target;
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
    const target = await this.publishing.lock(job.workspaceId, job.postId, em);
    if (!target || target.post.version !== job.version) return { kind: 'stale' };
    const { post, review } = target;
    if (post.status === 'published') return { kind: 'already' };
    if (post.status !== 'approved' && post.status !== 'publishing') return { kind: 'stale' };
    const maxLatenessMinutes = review.snapshot?.options.maxLatenessMinutes ?? 15;

    if (post.status === 'publishing') {
      // The gate passed already. Go on only when no call can be in flight: the last
      // try was answered with "retry later", or its worker has been silent past the lease.
      if (!this.mayTakeOver(target)) return { kind: 'stale' };
      await this.publishing.renewLease(post.id, em);
      return { kind: 'go', target, maxLatenessMinutes };
    }

    const gate = evaluateGate({
      post,
      jobVersion: job.version,
      snapshot: review.snapshot,
      decisions: review.decisions,
      counting: review.ctx,
      workspace: { paused: target.workspacePaused },
      channel: { paused: target.channel.paused },
      // Rules may have tightened since approval.
      contentViolations: checkContent(post, target.channel.network, target.contentRules, this.matcher).map(
        (v) => `${v.field}: ${v.detail}`,
      ),
      now: new Date(),
    });
    if (!gate.ok) {
      if (gate.reasons.every((r) => r.code === 'too_early')) return { kind: 'early', at: post.scheduledAt };
      return this.refuse(post, gate.reasons, em);
    }
    const audit = {
      action: 'post.publishing',
      before: { status: 'approved' },
      after: { status: 'publishing' },
    };
    await this.publishing.transition(post, 'publishing', null, audit, em);
    return { kind: 'go', target, maxLatenessMinutes };
  }

  private mayTakeOver({ post, lastAttempt }: PublishTarget): boolean {
    const since = post.publishingStartedAt?.getTime() ?? 0;
    if (Date.now() - since > this.config.publishLockMs / 2) return true;
    return lastAttempt?.outcome === 'retry' && lastAttempt.createdAt.getTime() >= since;
  }

  private async refuse(post: PostEntity, reasons: GateReason[], em: EntityManager): Promise<Claim> {
    const status = reasons.some((r) => r.code === 'too_late') ? 'expired' : 'blocked';
    const audit = { action: `post.${status}`, before: { status: post.status }, after: { status, reasons } };
    await this.publishing.transition(post, status, { reasons }, audit, em);
    this.logger.warn(`post ${post.id} v${post.version} ${status}: ${reasons.map((r) => r.code).join(', ')}`);
    return { kind: status };
  }

  private finish(
    post: PostEntity,
    attempt: number,
    durationMs: number,
    how: { result: PublishResult } | { failure: PublishError; retry: boolean },
  ): Promise<void> {
    const outcome = 'result' in how ? 'published' : how.retry ? 'retry' : 'failed';
    return this.publishing.finish(
      post,
      {
        number: attempt,
        outcome,
        statusCode: 'result' in how ? how.result.statusCode : how.failure.statusCode,
        error: 'failure' in how ? how.failure.message : null,
        durationMs,
      },
      'result' in how
        ? { externalId: how.result.externalId, url: how.result.url, outcome: null }
        : {
            externalId: null,
            url: null,
            outcome: { error: how.failure.message, statusCode: how.failure.statusCode, attempts: attempt },
          },
      this.db.manager,
    );
  }
}
