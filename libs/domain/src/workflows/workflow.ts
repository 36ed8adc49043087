import type { Role } from '../access';
import type { FieldError } from '../errors';

/** Roles that can be named as approvers; contributors (the agency role) never approve. */
export const APPROVER_ROLES = [
  'owner',
  'admin',
  'editor',
  'approver',
  'reviewer',
] as const satisfies readonly Role[];

/** One stage: who may sign off, and how many of them must. */
export interface WorkflowStage {
  name: string;
  approvers: { userIds: string[]; roles: Role[] };
  required: number | 'all';
}

export interface WorkflowOptions {
  /** Whether moving a post in time undoes its sign-offs (default: no). */
  scheduleChangeResetsApprovals: boolean;
  /** How late past scheduledAt a post may still go out before it expires instead. */
  maxLatenessMinutes: number;
  /**
   * A fast track for the bad day: posts under it may publish while the workspace is
   * paused (never past a paused channel, never without their sign-offs). Only owners
   * and admins may put a post on it.
   */
  emergency: boolean;
}

export const DEFAULT_WORKFLOW_OPTIONS: WorkflowOptions = {
  scheduleChangeResetsApprovals: false,
  maxLatenessMinutes: 15,
  emergency: false,
};

/**
 * The last instant a post may still go out: scheduledAt + its workflow's
 * maxLateness (the default one without a workflow). Past it the post expires
 * instead; the gate, the worker's retries and the review links all end here.
 */
export function publishDeadline(
  scheduledAt: Date,
  options: Pick<WorkflowOptions, 'maxLatenessMinutes'> | null | undefined,
): Date {
  const minutes = options?.maxLatenessMinutes ?? DEFAULT_WORKFLOW_OPTIONS.maxLatenessMinutes;
  return new Date(scheduledAt.getTime() + minutes * 60_000);
}

/** The workflow version a post was submitted under: frozen, whatever happens to the workflow later. */
export interface WorkflowSnapshot {
  workflowId: string;
  workflowVersionId: string;
  version: number;
  stages: WorkflowStage[];
  options: WorkflowOptions;
}

/** A member as the approval rules see them. */
export interface MemberRole {
  userId: string;
  role: Role;
}

/** Members who may sign off in `stage`, given the workspace's current memberships. */
export function eligibleMembers(stage: WorkflowStage, members: readonly MemberRole[]): MemberRole[] {
  return members.filter(
    (m) =>
      m.role !== 'contributor' &&
      (stage.approvers.userIds.includes(m.userId) || stage.approvers.roles.includes(m.role)),
  );
}

/**
 * Checks stages against the workspace's members at the time of saving: at least one
 * stage; each names approvers who exist here and can approve; `required` is at
 * least 1 and no more than the eligible members. People invited who have not
 * accepted are no members: the messages say so where they are the reason. Returns
 * the problems, by field.
 */
export function validateWorkflowStages(
  stages: readonly WorkflowStage[],
  members: readonly MemberRole[],
  invited: readonly MemberRole[] = [],
): FieldError[] {
  if (stages.length === 0) return [{ field: 'stages', message: 'must have at least one stage' }];
  const byId = new Map(members.map((m) => [m.userId, m]));
  const invitedIds = new Set(invited.map((m) => m.userId));
  const notCounted = (stage: WorkflowStage) => {
    const waiting = eligibleMembers(stage, invited).length;
    return waiting > 0 ? ` (${waiting} invited who have not accepted yet do not count until they do)` : '';
  };
  return stages.flatMap((stage, i): FieldError[] => {
    const at = `stages[${i}]`;
    const errors: FieldError[] = [];
    if (stage.approvers.userIds.length === 0 && stage.approvers.roles.length === 0) {
      errors.push({ field: `${at}.approvers`, message: 'must name at least one user or role' });
    }
    stage.approvers.userIds.forEach((id, j) => {
      const member = byId.get(id);
      if (!member) {
        errors.push({
          field: `${at}.approvers.userIds[${j}]`,
          message: invitedIds.has(id)
            ? 'is invited but has not accepted yet, so cannot sign off: name them once they have'
            : 'is not a member of this workspace',
        });
      } else if (member.role === 'contributor') {
        errors.push({
          field: `${at}.approvers.userIds[${j}]`,
          message: 'is a contributor, who cannot approve',
        });
      }
    });
    stage.approvers.roles.forEach((role, j) => {
      if (!(APPROVER_ROLES as readonly string[]).includes(role)) {
        errors.push({
          field: `${at}.approvers.roles[${j}]`,
          message: `must be one of ${APPROVER_ROLES.join(', ')}`,
        });
      }
    });
    const eligible = eligibleMembers(stage, members).length;
    if (stage.required !== 'all') {
      if (!Number.isInteger(stage.required) || stage.required < 1) {
        errors.push({ field: `${at}.required`, message: "must be a whole number of at least 1, or 'all'" });
      } else if (stage.required > eligible) {
        errors.push({
          field: `${at}.required`,
          message: `asks for ${stage.required} sign-offs but only ${eligible} member(s) are eligible${notCounted(stage)}`,
        });
      }
    } else if (eligible === 0) {
      errors.push({
        field: `${at}.required`,
        message: `is 'all' but no member is eligible${notCounted(stage)}`,
      });
    }
    return errors;
  });
}
