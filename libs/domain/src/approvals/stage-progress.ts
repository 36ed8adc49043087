import type { MemberRole, WorkflowStage } from '../workflows';
import { eligibleMembers } from '../workflows';

/** A recorded decision (approve or reject) on one version of a post. */
export interface Decision {
  userId: string;
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
 * Counts sign-offs stage by stage: approvals of the current version, by distinct
 * users who are members now, eligible for that stage now, and neither the author
 * nor an editor of this version; a person counted in one stage counts in no other.
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
    for (const d of decisions) {
      if (d.decision !== 'approve' || d.version !== ctx.version || d.stageIndex !== index) continue;
      if (!eligible.has(d.userId) || counted.has(d.userId) || approvedBy.includes(d.userId)) continue;
      approvedBy.push(d.userId);
    }
    approvedBy.forEach((id) => counted.add(id));
    const required = stage.required === 'all' ? eligible.size : stage.required;
    return {
      index,
      name: stage.name,
      required,
      approvedBy,
      satisfied: required > 0 && approvedBy.length >= required,
    };
  });
}

/** The first stage not yet satisfied, or -1 when all are. */
export function openStageIndex(progress: readonly StageProgress[]): number {
  return progress.findIndex((s) => !s.satisfied);
}

/** Rejections of the current version by someone eligible (now) for the stage they rejected in. */
export function vetoes(
  stages: readonly WorkflowStage[],
  decisions: readonly Decision[],
  ctx: CountingContext,
): Decision[] {
  return decisions.filter((d) => {
    const stage = stages[d.stageIndex];
    if (d.decision !== 'reject' || d.version !== ctx.version || !stage) return false;
    return eligibleMembers(stage, ctx.members).some((m) => m.userId === d.userId);
  });
}
