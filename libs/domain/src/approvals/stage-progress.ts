import type { MemberRole, WorkflowStage } from '../workflows';
import { eligibleMembers } from '../workflows';

/** A recorded decision (approve or reject) on one version of a post. */
export interface Decision {
  /** who decided */
  userId: string;
  /** the member they stood in for (a delegation in force when they decided); counted as that member */
  onBehalfOf?: string | null;
  stageIndex: number;
  version: number;
  decision: 'approve' | 'reject';
}

export interface StageProgress {
  index: number;
  name: string;
  /** sign-offs needed now ('all' resolved against the current eligible members) */
  required: number;
  /** users whose sign-off counts, in the order given */
  approvedBy: string[];
  /** of those, who signed for a member they stood in for: signer → member */
  onBehalfOf: Record<string, string>;
  satisfied: boolean;
}

/** What the counting needs to know about the post. */
export interface CountingContext {
  version: number;
  /** the author and everyone who edited the current version: their sign-offs never count */
  excluded: ReadonlySet<string>;
  /** the workspace's members as they are now */
  members: readonly MemberRole[];
}

/**
 * Whether `userId` may still stand in for someone: a member now who can sign off
 * (not a contributor), and neither the author nor an editor of this version.
 */
export function mayStandIn(userId: string, ctx: CountingContext): boolean {
  return (
    !ctx.excluded.has(userId) && ctx.members.some((m) => m.userId === userId && m.role !== 'contributor')
  );
}

/** Whose eligibility a decision is counted under: the member stood in for, else the signer. */
export const seatOf = (d: Decision): string => d.onBehalfOf ?? d.userId;

/**
 * Counts sign-offs stage by stage: approvals of the current version, by distinct
 * users who are members now, eligible for that stage now, and neither the author
 * nor an editor of this version; a person counted in one stage counts in no other.
 * A stand-in's sign-off counts as the member's (who must be eligible, as above)
 * while the stand-in may still stand in; one human counts once, whether for
 * themself or for someone, and a member's seat is filled once, by them or for them.
 * A stage needing 'all' with nobody eligible is never satisfied.
 */
export function stageProgress(
  stages: readonly WorkflowStage[],
  decisions: readonly Decision[],
  ctx: CountingContext,
): StageProgress[] {
  const counted = new Set<string>();
  return stages.map((stage, index) => {
    const eligible = new Set(
      eligibleMembers(stage, ctx.members)
        .map((m) => m.userId)
        .filter((id) => !ctx.excluded.has(id)),
    );
    const approvedBy: string[] = [];
    const onBehalfOf: Record<string, string> = {};
    for (const d of decisions) {
      if (d.decision !== 'approve' || d.version !== ctx.version || d.stageIndex !== index) continue;
      const seat = seatOf(d);
      if (!eligible.has(seat) || counted.has(seat) || counted.has(d.userId)) continue;
      if (d.onBehalfOf && !mayStandIn(d.userId, ctx)) continue;
      approvedBy.push(d.userId);
      if (d.onBehalfOf) onBehalfOf[d.userId] = d.onBehalfOf;
      counted.add(seat).add(d.userId);
    }
    const required = stage.required === 'all' ? eligible.size : stage.required;
    return {
      index,
      name: stage.name,
      required,
      approvedBy,
      onBehalfOf,
      satisfied: required > 0 && approvedBy.length >= required,
    };
  });
}

/** Everyone a stage's count already holds: the signers, and the members signed for. */
export const countedPeople = (progress: readonly StageProgress[]): Set<string> =>
  new Set(progress.flatMap((s) => [...s.approvedBy, ...Object.values(s.onBehalfOf)]));

/** The first stage not yet satisfied, or -1 when all are. */
export function openStageIndex(progress: readonly StageProgress[]): number {
  return progress.findIndex((s) => !s.satisfied);
}

/**
 * Rejections of the current version by someone eligible (now) for the stage they
 * rejected in, or by a stand-in who still may stand in for a member who is.
 */
export function vetoes(
  stages: readonly WorkflowStage[],
  decisions: readonly Decision[],
  ctx: CountingContext,
): Decision[] {
  return decisions.filter((d) => {
    const stage = stages[d.stageIndex];
    if (d.decision !== 'reject' || d.version !== ctx.version || !stage) return false;
    if (d.onBehalfOf && !mayStandIn(d.userId, ctx)) return false;
    return eligibleMembers(stage, ctx.members).some((m) => m.userId === seatOf(d));
  });
}
