import {
  evaluateGate,
  type CountingContext,
  type Decision,
  type GateReason,
  type GateResult,
} from '../approvals';
import { textLimitOf, type ChannelAccount, type Network } from '../channels';
import { checkContent, type ContentRules, type PatternMatcher } from '../content';
import { mustTransition, type PostContent, type PostEvent, type PostStatus } from '../posts';
import { publishDeadline, type WorkflowSnapshot } from '../workflows';

/** What the gate needs about one post, read under its row lock (and share locks on its workspace and channel). */
export interface PublishCandidate {
  post: Pick<PostContent, 'text' | 'mediaUrls' | 'link'> & {
    /** counted with the text on Mastodon */
    contentWarning?: string | null;
    id: string;
    workspaceId: string;
    status: PostStatus;
    version: number;
    scheduledAt: Date;
    publishingStartedAt: Date | null;
  };
  review: {
    snapshot: WorkflowSnapshot | null;
    decisions: readonly Decision[];
    ctx: Omit<CountingContext, 'version'>;
  };
  workspacePaused: boolean;
  /** the post's campaign, when it has one */
  campaign?: { paused: boolean; reason: string | null } | null;
  channel: {
    paused: boolean;
    network: Network;
    /** why the network stopped taking the channel's credentials, if it did */
    reconnectReason?: string | null;
    publisherConfig?: ChannelAccount | null;
  };
  contentRules: ContentRules;
  /** the last recorded call out of this version, if any */
  lastAttempt: { outcome: string; createdAt: Date } | null;
}

export interface PublishClock {
  now: Date;
  /** how long a call out may stay unanswered before another worker takes the post over */
  leaseMs: number;
  matcher: PatternMatcher;
}

/** A status change the machine allowed; without an event it only renews the publishing lease. */
export interface StatusChange {
  from: PostStatus;
  event: PostEvent | null;
  to: PostStatus;
}

function change(from: PostStatus, event: PostEvent | null): StatusChange {
  return { from, event, to: event ? mustTransition(from, event) : from };
}

/** What to do with one publish job's post. */
export type PublishDecision =
  /** not this job's post any more (edited, moved, canceled), or another call may be in flight */
  | { kind: 'stale' }
  | { kind: 'already' }
  | { kind: 'early'; at: Date }
  | { kind: 'refused'; change: StatusChange; reasons: GateReason[] }
  /** call out now, and give up retrying after `deadline` */
  | { kind: 'go'; change: StatusChange; deadline: Date };

/**
 * The gate over a locked candidate: the one call of evaluateGate. Content rules are
 * checked again, since they may have tightened after the sign-offs.
 */
export function gateFor(
  candidate: PublishCandidate,
  how: { jobVersion: number; now: Date; matcher: PatternMatcher; resuming?: boolean; skipWait?: boolean },
): GateResult {
  const { post, review, channel } = candidate;
  return evaluateGate({
    post,
    jobVersion: how.jobVersion,
    snapshot: review.snapshot,
    decisions: review.decisions,
    counting: review.ctx,
    workspace: { paused: candidate.workspacePaused },
    channel: { paused: channel.paused, needsReconnect: channel.reconnectReason },
    campaign: candidate.campaign ?? null,
    contentViolations: checkContent(
      post,
      channel.network,
      candidate.contentRules,
      how.matcher,
      textLimitOf(channel),
    ).map((v) => `${v.field}: ${v.detail}`),
    now: how.now,
    skipWait: how.skipWait,
    resuming: how.resuming,
  });
}

/**
 * Whether a publish job may call out for its post, and the one status change that
 * goes with the answer. A post already `publishing` (a retry, a stalled job taken
 * over, the reconciler's job) is gated again in full, and only when no other call
 * can be in flight: the last try was answered "retry later", or its worker has been
 * silent past half the lease.
 */
export function decidePublish(
  candidate: PublishCandidate,
  job: { workspaceId: string; version: number },
  clock: PublishClock,
): PublishDecision {
  const { post } = candidate;
  if (post.workspaceId !== job.workspaceId || post.version !== job.version) return { kind: 'stale' };
  if (post.status === 'published') return { kind: 'already' };
  if (post.status !== 'approved' && post.status !== 'publishing') return { kind: 'stale' };
  const resuming = post.status === 'publishing';
  if (resuming && !mayTakeOver(candidate, clock)) return { kind: 'stale' };

  const gate = gateFor(candidate, {
    jobVersion: job.version,
    now: clock.now,
    matcher: clock.matcher,
    resuming,
  });
  if (!gate.ok) {
    if (gate.reasons.every((r) => r.code === 'too_early')) return { kind: 'early', at: post.scheduledAt };
    const event = gate.reasons.some((r) => r.code === 'too_late') ? 'expire' : 'block';
    return { kind: 'refused', change: change(post.status, event), reasons: gate.reasons };
  }
  return {
    kind: 'go',
    change: change(post.status, resuming ? null : 'start_publishing'),
    deadline: publishDeadline(post.scheduledAt, candidate.review.snapshot?.options),
  };
}

/** The change that ends a call out: published, or failed for good (a retry changes nothing). */
export function finished(outcome: 'published' | 'failed'): StatusChange {
  return change('publishing', outcome === 'published' ? 'published' : 'publish_failed');
}

function mayTakeOver({ post, lastAttempt }: PublishCandidate, clock: PublishClock): boolean {
  const since = post.publishingStartedAt?.getTime() ?? 0;
  if (clock.now.getTime() - since > clock.leaseMs / 2) return true;
  return lastAttempt?.outcome === 'retry' && lastAttempt.createdAt.getTime() >= since;
}
