import { AppConfig } from '@app/config';
import {
  linearMatcher,
  decidePublish,
  finished,
  transition,
  type GateReason,
  type PublishDecision,
  type StatusChange,
} from '@app/domain';
import {
  ChannelsRepository,
  PublishingRepository,
  type Finish,
  type PublishTarget,
  UnreadableCredentials,
  type Transition,
} from '@app/persistence';
import { publishLateness, publishOutcomes, type JobData } from '@app/queue';
import {
  CredentialsRejected,
  OutboundHttp,
  PublishError,
  publisherFor,
  RateLimited,
  type Publisher,
  type PublishResult,
} from '@app/publishers';
import { Injectable, Logger } from '@nestjs/common';
import { Batcher, type BatchResult } from '../common/batcher';
import { ChannelConnections } from './channel-connections';
import { ChannelHolds } from './channel-holds';

/** What became of one run of a publish job. */
export type PublishOutcome =
  | { kind: 'published' | 'blocked' | 'expired' | 'failed' | 'stale' | 'already' }
  | { kind: 'early'; at: Date }
  | { kind: 'retry'; error: PublishError }
  /** the network asked to wait (429): the job waits until then, without using up a try */
  | { kind: 'wait'; until: Date };

type Claim =
  | { kind: 'go'; target: PublishTarget; deadline: Date }
  | Exclude<PublishOutcome, { kind: 'retry' | 'wait' | 'published' | 'failed' }>;

/**
 * Up to 100 posts claimed (or finished) in one transaction, one transaction at a time:
 * the next batch gathers every job that arrived meanwhile, so a burst makes full
 * batches (several in flight would each take the few that had come).
 */
const BATCH = { maxSize: 100, maxInFlight: 1 };

/** About 25 s of tries (0.2, 0.4, ... then every 2 s) to record an outcome while the database is away. */
const FINISH_TRIES = 16;

/**
 * The connection failed, not the statement: no SQLSTATE at all (a socket error), or
 * class 08 (connection exception) or 57 (operator intervention: the backend killed).
 */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || /^(08|57)/.test(code);
}

/**
 * The one way a post is published, whatever started the job (its first try, a
 * retry, a stalled job taken over, the reconciler, publish-now, an emergency post):
 *  1. lock the gate's inputs (lockForPublishing), decide (decidePublish: the gate
 *     and the one status change it allows: publishing, blocked or expired), write
 *     that change and commit (applyTransitions) before any call out;
 *  2. call the publisher with the version's idempotency key (the same on every try);
 *  3. record the answer and its status change (finish).
 * Steps 1 and 3 of the jobs running at once share transactions (a Batcher): the
 * gate is still decided for each post on its own, under its own lock.
 */
@Injectable()
export class PublishService {
  private readonly logger = new Logger(PublishService.name);
  private readonly matcher = linearMatcher();
  private readonly claims = new Batcher<JobData<'publish'>, Claim | 'busy'>(
    (jobs) => this.claimBatch(jobs),
    BATCH,
  );
  private readonly finishes = new Batcher<Finish, void>((done) => this.finishBatch(done), BATCH);

  constructor(
    private readonly publishing: PublishingRepository,
    private readonly config: AppConfig,
    private readonly http: OutboundHttp,
    private readonly channels: ChannelsRepository,
    private readonly connections: ChannelConnections,
    private readonly holds: ChannelHolds,
  ) {}

  /** The channel's publisher; credentials that no configured key opens are as good as refused. */
  private publisherOf(channel: PublishTarget['channel']): Publisher {
    let opened: ReturnType<ChannelsRepository['forPublisher']>;
    try {
      opened = this.channels.forPublisher(channel);
    } catch (error) {
      if (error instanceof UnreadableCredentials) throw new CredentialsRejected(error.message);
      throw error;
    }
    return publisherFor(opened, {
      http: this.http,
      timeoutMs: this.config.publishTimeoutMs,
      saveCredentials: (id, credentials) => this.channels.saveCredentials(id, credentials),
    });
  }

  async run(job: JobData<'publish'>, attempt: number, lastAttempt: boolean): Promise<PublishOutcome> {
    const batched = await this.claims.submit(job);
    const claim = batched === 'busy' ? await this.claimAlone(job) : batched;
    if (claim.kind !== 'go') {
      publishOutcomes.inc({ outcome: claim.kind });
      return claim;
    }
    const { post, channel } = claim.target;
    const started = Date.now();
    const finish = (how: Omit<Finish, 'post' | 'attempt' | 'durationMs'>) =>
      this.finishes.submit({ post, attempt, durationMs: Date.now() - started, ...how });
    let result: PublishResult;
    try {
      result = await this.publisherOf(channel).publish({
        idempotencyKey: `${post.id}-v${post.version}`,
        postId: post.id,
        version: post.version,
        workspaceId: post.workspaceId,
        channel: { id: channel.id, name: channel.name, network: channel.network, handle: channel.handle },
        text: post.text,
        mediaUrls: post.mediaUrls,
        mediaAlt: post.mediaAlt,
        link: post.link,
        contentWarning: post.contentWarning,
        visibility: post.visibility,
        language: post.language,
        replyTo: post.replyRef,
        scheduledAt: post.scheduledAt.toISOString(),
        createdAt: post.createdAt.toISOString(),
      });
    } catch (error) {
      const failure =
        error instanceof PublishError ? error : new PublishError((error as Error).message, true);
      if (failure instanceof CredentialsRejected) {
        // Nothing went out: the post waits, blocked, for the channel to be connected again.
        await this.connections.lost(channel.id, failure.message);
        const reasons: GateReason[] = [{ code: 'channel_needs_reconnect', reason: failure.message }];
        await finish({
          change: BLOCKED,
          outcome: 'failed',
          statusCode: failure.statusCode,
          error: failure.message,
          externalId: null,
          url: null,
          result: { reasons },
        });
        publishOutcomes.inc({ outcome: 'blocked' });
        return { kind: 'blocked' };
      }
      const retry = failure.retryable && !lastAttempt && Date.now() < claim.deadline.getTime();
      await finish({
        change: retry ? null : finished('failed'),
        outcome: retry ? 'retry' : 'failed',
        statusCode: failure.statusCode,
        error: failure.message,
        externalId: null,
        url: null,
        result: { error: failure.message, statusCode: failure.statusCode, attempts: attempt },
      });
      publishOutcomes.inc({ outcome: retry ? 'retry' : 'failed' });
      if (!retry) return { kind: 'failed' };
      if (!(failure instanceof RateLimited)) return { kind: 'retry', error: failure };
      await this.holds.hold(channel.id, failure.retryAt);
      return { kind: 'wait', until: failure.retryAt };
    }
    await finish({
      change: finished('published'),
      outcome: 'published',
      statusCode: result.statusCode,
      error: null,
      externalId: result.externalId,
      url: result.url,
      result: null,
    });
    // The network said this was the last call its window allows: the channel's next posts wait.
    if (result.holdUntil) await this.holds.hold(channel.id, result.holdUntil);
    publishLateness.observe(Math.max(0, (Date.now() - post.scheduledAt.getTime()) / 1000));
    publishOutcomes.inc({ outcome: 'published' });
    return { kind: 'published' };
  }

  /**
   * Records a batch of outcomes in one statement. If it fails, each is recorded on
   * its own: the calls were made, and one bad record must not leave the others in
   * `publishing` until the reconciler's timeout.
   */
  private async finishBatch(done: Finish[]): Promise<Array<BatchResult<void>>> {
    try {
      await this.publishing.finish(done);
      return done.map(() => undefined);
    } catch {
      return Promise.all(
        done.map((one) =>
          this.finishAlone(one).then(
            () => undefined,
            (failure: unknown) => (failure instanceof Error ? failure : new Error(String(failure))),
          ),
        ),
      );
    }
  }

  /**
   * One outcome, tried again (each time on a connection of its own from the pool)
   * while the database is what failed: a post left `publishing` would be called
   * again by the reconciler. A refusal of the record itself is not retried.
   */
  private async finishAlone(one: Finish): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.publishing.finish([one]);
      } catch (error) {
        if (!isConnectionFailure(error) || attempt >= FINISH_TRIES) throw error;
        this.logger.warn(`recording post ${one.post.id}: ${(error as Error).message}; trying again`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2000)));
      }
    }
  }

  /**
   * Claims a batch in one transaction: locks every post no one else holds and
   * records each gate decision. A post someone else holds comes back 'busy', and
   * its job claims it alone, waiting for the lock outside the batch, so that a long
   * transaction (a lockdown, say) never holds up the posts of other jobs.
   */
  private async claimBatch(jobs: Array<JobData<'publish'>>): Promise<Array<BatchResult<Claim | 'busy'>>> {
    const claims = await this.claimIn(jobs, true);
    return jobs.map((job) => claims.get(job) ?? new Error('publish job not claimed'));
  }

  private async claimAlone(job: JobData<'publish'>): Promise<Claim> {
    // 'busy' again only if the post moved to another channel meanwhile: its lock is taken next time.
    for (let tries = 1; ; tries += 1) {
      const claim = (await this.claimIn([job], false)).get(job);
      if (claim instanceof Error) throw claim;
      if (claim && claim !== 'busy') return claim;
      if (tries === 3) throw new Error(`post ${job.postId} could not be locked`);
    }
  }

  private async claimIn(
    jobs: Array<JobData<'publish'>>,
    skipLocked: boolean,
  ): Promise<Map<JobData<'publish'>, BatchResult<Claim | 'busy'>>> {
    const locks = await this.publishing.lockForPublishing(
      jobs.map((j) => j.postId),
      { skipLocked },
    );
    const claims = new Map<JobData<'publish'>, BatchResult<Claim | 'busy'>>();
    const transitions: Transition[] = [];
    for (const job of jobs) {
      const target = locks.targets.get(job.postId);
      try {
        claims.set(job, target === 'busy' ? 'busy' : this.claim(job, target, transitions));
      } catch (error) {
        claims.set(job, error instanceof Error ? error : new Error(String(error)));
      }
    }
    await this.publishing.applyTransitions(locks, transitions);
    return claims;
  }

  /** The decision for one locked post; the status change it makes is pushed to `transitions`. */
  private claim(
    job: JobData<'publish'>,
    target: PublishTarget | undefined,
    transitions: Transition[],
  ): Claim {
    if (!target) return { kind: 'stale' };
    const now = new Date();
    const decision = decidePublish(target, job, {
      now,
      leaseMs: this.config.publishLockMs,
      matcher: this.matcher,
    });
    if (decision.kind !== 'go' && decision.kind !== 'refused') return decision;
    const { post } = target;
    const { from, event, to } = decision.change;
    transitions.push({ post, status: to, outcome: outcomeOf(decision), audit: auditOf(decision) });
    // On the locked copy too, so that a second job for the post in this batch sees it.
    if (event) transition(post, event);
    if (decision.kind === 'go') {
      post.publishingStartedAt = now;
      return { kind: 'go', target, deadline: decision.deadline };
    }
    if (to !== 'blocked' && to !== 'expired')
      throw new Error(`a refusal cannot lead to ${to} (from ${from})`);
    this.logger.warn(
      `post ${post.id} v${post.version} ${to}: ${decision.reasons.map((r) => r.code).join(', ')}`,
    );
    return { kind: to };
  }
}

type Decided = Extract<PublishDecision, { kind: 'go' | 'refused' }>;

/** A call out that found the channel's credentials refused ends the post's try as blocked. */
const BLOCKED: StatusChange = { from: 'publishing', event: 'block', to: 'blocked' };

function outcomeOf(decision: Decided): object | null {
  return decision.kind === 'refused' ? { reasons: decision.reasons } : null;
}

/** The audit entry of a status change; none when a retry only renews the lease. */
function auditOf(decision: Decided): Transition['audit'] {
  const { from, event, to } = decision.change;
  if (!event) return null;
  const after = decision.kind === 'refused' ? { status: to, reasons: decision.reasons } : { status: to };
  return { action: `post.${to}`, before: { status: from }, after };
}
