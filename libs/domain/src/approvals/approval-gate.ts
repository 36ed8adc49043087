import type { PostStatus } from '../posts';
import { DEFAULT_WORKFLOW_OPTIONS, publishDeadline, type WorkflowSnapshot } from '../workflows';
import { stageProgress, vetoes, type CountingContext, type Decision } from './stage-progress';

/** Why the gate said no. Every reason that applies is reported, not only the first. */
export type GateReason =
  | { code: 'not_approved'; status: PostStatus }
  | { code: 'stale_version'; jobVersion: number; postVersion: number }
  | { code: 'no_workflow' }
  | { code: 'stage_unsatisfied'; stage: number; name: string; required: number; approvals: number }
  | { code: 'vetoed'; by: string[] }
  | { code: 'workspace_paused' }
  | { code: 'channel_paused' }
  | { code: 'campaign_paused'; reason: string | null }
  | { code: 'channel_needs_reconnect'; reason: string }
  | { code: 'content_rules'; violations: string[] }
  | { code: 'too_early'; scheduledAt: string }
  | { code: 'too_late'; scheduledAt: string; maxLatenessMinutes: number };

export type GateResult = { ok: true } | { ok: false; reasons: GateReason[] };

/** What the gate asks of a channel: not paused, and its credentials still taken by the network. */
export interface ChannelState {
  paused: boolean;
  /** why the network stopped taking its credentials; null while it takes them */
  needsReconnect?: string | null;
}

export interface GateInput {
  post: { status: PostStatus; version: number; scheduledAt: Date };
  /** the version the publish job was made for (the post's own version for publish-now) */
  jobVersion: number;
  snapshot: WorkflowSnapshot | null;
  decisions: readonly Decision[];
  counting: Omit<CountingContext, 'version'>;
  workspace: { paused: boolean };
  channel: ChannelState;
  /** the post's campaign, when it has one */
  campaign?: { paused: boolean; reason: string | null } | null;
  /** content-rule violations found now (rules may have tightened since approval) */
  contentViolations: readonly string[];
  now: Date;
  /** publish-now skips the wait, nothing else */
  skipWait?: boolean;
  /**
   * The call out began already and is being made again (a retry, a stalled job
   * taken over): the post is `publishing`, not `approved`. Every other rule holds.
   */
  resuming?: boolean;
}

/**
 * The one decision on whether a post may be published now (DESIGN.md "The gate").
 * Pure: the caller loads the inputs under the post's row lock and acts on the answer.
 */
export function evaluateGate(input: GateInput): GateResult {
  const { post, snapshot } = input;
  const reasons: GateReason[] = [];
  if (post.status !== (input.resuming ? 'publishing' : 'approved')) {
    reasons.push({ code: 'not_approved', status: post.status });
  }
  if (input.jobVersion !== post.version) {
    reasons.push({ code: 'stale_version', jobVersion: input.jobVersion, postVersion: post.version });
  }
  if (!snapshot || snapshot.stages.length === 0) {
    reasons.push({ code: 'no_workflow' });
  } else {
    const ctx: CountingContext = { ...input.counting, version: post.version };
    for (const stage of stageProgress(snapshot.stages, input.decisions, ctx)) {
      if (!stage.satisfied) {
        reasons.push({
          code: 'stage_unsatisfied',
          stage: stage.index,
          name: stage.name,
          required: stage.required,
          approvals: stage.approvedBy.length,
        });
      }
    }
    const vetoedBy = vetoes(snapshot.stages, input.decisions, ctx).map((d) => d.userId);
    if (vetoedBy.length > 0) reasons.push({ code: 'vetoed', by: vetoedBy });
  }
  reasons.push(
    ...pauseReasons({
      workspace: input.workspace,
      channel: input.channel,
      campaign: input.campaign ?? null,
      emergency: snapshot?.options.emergency === true,
    }),
  );
  if (input.contentViolations.length > 0) {
    reasons.push({ code: 'content_rules', violations: [...input.contentViolations] });
  }
  if (!input.skipWait && input.now.getTime() < post.scheduledAt.getTime()) {
    reasons.push({ code: 'too_early', scheduledAt: post.scheduledAt.toISOString() });
  }
  if (input.now.getTime() > publishDeadline(post.scheduledAt, snapshot?.options).getTime()) {
    reasons.push({
      code: 'too_late',
      scheduledAt: post.scheduledAt.toISOString(),
      maxLatenessMinutes: snapshot?.options.maxLatenessMinutes ?? DEFAULT_WORKFLOW_OPTIONS.maxLatenessMinutes,
    });
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** Rule 4 alone: what a pause says about a post. */
export function pauseReasons(input: {
  workspace: { paused: boolean };
  channel: ChannelState;
  campaign: { paused: boolean; reason: string | null } | null;
  emergency: boolean;
}): GateReason[] {
  const reasons: GateReason[] = [];
  // Only an emergency workflow's posts go out while the workspace is paused.
  if (input.workspace.paused && !input.emergency) reasons.push({ code: 'workspace_paused' });
  if (input.channel.paused) reasons.push({ code: 'channel_paused' });
  // A campaign held back stays held, emergency workflow or not, as a paused channel does.
  if (input.campaign?.paused) reasons.push({ code: 'campaign_paused', reason: input.campaign.reason });
  // Not even an emergency post: a channel that cannot sign in would only fail.
  if (input.channel.needsReconnect) {
    reasons.push({ code: 'channel_needs_reconnect', reason: input.channel.needsReconnect });
  }
  return reasons;
}
