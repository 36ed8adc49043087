import type { Role } from '../access';
import { DomainError, ErrorCode } from '../errors';
import { nextStatus, type PostEvent, type PostStatus } from '../posts';
import { eligibleMembers, type WorkflowSnapshot } from '../workflows';
import {
  countedPeople,
  openStageIndex,
  seatOf,
  stageProgress,
  vetoes,
  type CountingContext,
  type Decision,
} from './stage-progress';

/** The part of a post the review rules look at. */
export interface ReviewedPost {
  status: PostStatus;
  version: number;
  snapshot: WorkflowSnapshot | null;
}

export interface DecisionInput {
  userId: string;
  role: Role;
  decision: 'approve' | 'reject';
  /** the version the approver looked at */
  version: number;
  comment?: string;
  /** members whose delegation to this user is in force now: whom they may stand in for */
  standsInFor?: readonly string[];
  /** decide for this member (one of standsInFor); left out: as themself when they can, else for the first who needs it */
  onBehalfOf?: string;
}

export interface ReviewOutcome {
  /** the events that take the post there, in order, for the state machine to apply */
  events: PostEvent[];
  status: PostStatus;
  /** index of the stage now open; -1 when every stage is satisfied */
  openStage: number;
}

const conflict = (message: string) => new DomainError(ErrorCode.Conflict, message);
const forbidden = (message: string) => new DomainError(ErrorCode.Forbidden, message);

/** Where a post in review stands: approved once no stage is open, the event `complete` records it. */
function outcomeOf(
  snapshot: WorkflowSnapshot,
  decisions: readonly Decision[],
  ctx: CountingContext,
  { first, open }: { first: PostEvent[]; open: PostEvent[] },
): ReviewOutcome {
  const openStage = openStageIndex(stageProgress(snapshot.stages, decisions, ctx));
  return openStage === -1
    ? { events: [...first, 'complete'], status: 'approved', openStage }
    : { events: [...first, ...open], status: 'in_review', openStage };
}

/**
 * Submitting puts the post under the workflow in force now (its snapshot from then
 * on). Refused without a workflow (the two-person rule has nothing to enforce it
 * with) and while a rejection stands on this version (change the post first).
 */
export function submitForReview(
  post: ReviewedPost,
  workflow: WorkflowSnapshot | null,
  decisions: readonly Decision[],
  ctx: CountingContext,
): ReviewOutcome & { snapshot: WorkflowSnapshot } {
  if (!nextStatus(post.status, 'submit')) throw conflict(`A ${post.status} post cannot be submitted.`);
  if (!workflow || workflow.stages.length === 0) {
    throw conflict(
      'This workspace has no approval workflow yet; an admin must define one before posts can be submitted.',
    );
  }
  if (vetoes(workflow.stages, decisions, ctx).length > 0) {
    throw conflict(`Version ${post.version} was rejected; change the post before submitting it again.`);
  }
  return { ...outcomeOf(workflow, decisions, ctx, { first: ['submit'], open: [] }), snapshot: workflow };
}

/**
 * Records one approver's decision, checked against who they are *now*: the current
 * version only, never the author or an editor of this version, only someone eligible
 * for the open stage (for a rejection: for any stage), once per version. A stand-in
 * decides for a member whose delegation to them is in force: counted as that
 * member, who must be eligible and have no decision of their own (or made for them)
 * on this version. Returns the decision to store and where the post goes.
 */
export function decide(
  post: ReviewedPost,
  decisions: readonly Decision[],
  ctx: CountingContext,
  input: DecisionInput,
): ReviewOutcome & { record: Decision } {
  const snapshot = post.snapshot;
  const event = input.decision === 'approve' ? 'approve' : 'reject';
  if (!snapshot || !nextStatus(post.status, event)) {
    throw conflict(`A ${post.status} post is not awaiting decisions.`);
  }
  if (input.version !== post.version) {
    throw conflict(
      `This decision is for version ${input.version}; the post is at version ${post.version}. Review it again.`,
    );
  }
  if (ctx.excluded.has(input.userId)) {
    throw forbidden('The author and the editors of this version cannot sign it off.');
  }
  const onThisVersion = decisions.filter((d) => d.version === post.version);
  if (onThisVersion.some((d) => d.userId === input.userId)) {
    throw conflict('You have already decided on this version.');
  }
  if (input.onBehalfOf !== undefined && !(input.standsInFor ?? []).includes(input.onBehalfOf)) {
    throw forbidden('You do not stand in for that member now.');
  }
  const isEligible = (userId: string, stageIndex: number) =>
    eligibleMembers(snapshot.stages[stageIndex], ctx.members).some((m) => m.userId === userId);
  const progress = stageProgress(snapshot.stages, decisions, ctx);
  const open = openStageIndex(progress);
  const counted = countedPeople(progress);
  // Whom this decision may be counted as: themself, or a member stood in for who has no say on this version yet.
  const seats = [
    ...(input.onBehalfOf === undefined ? [input.userId] : []),
    ...(input.onBehalfOf === undefined ? (input.standsInFor ?? []) : [input.onBehalfOf]).filter(
      (m) => m !== input.userId && !ctx.excluded.has(m) && !onThisVersion.some((d) => seatOf(d) === m),
    ),
  ];
  const recordFor = (seat: string, stageIndex: number): Decision => ({
    userId: input.userId,
    ...(seat === input.userId ? {} : { onBehalfOf: seat }),
    stageIndex,
    version: post.version,
    decision: input.decision,
  });

  if (input.decision === 'reject') {
    if (!input.comment?.trim()) throw DomainError.invalid('comment', 'is required when requesting changes');
    const pick = (stageIndex: number) => seats.find((seat) => isEligible(seat, stageIndex));
    const stageIndex =
      open >= 0 && pick(open) !== undefined
        ? open
        : snapshot.stages.findIndex((_, i) => pick(i) !== undefined);
    if (stageIndex < 0) throw forbidden('You are not an approver of this post.');
    return {
      record: recordFor(pick(stageIndex)!, stageIndex),
      events: ['reject'],
      status: 'changes_requested',
      openStage: open,
    };
  }

  if (open < 0) throw forbidden('Every stage is already signed off.');
  if (counted.has(input.userId))
    throw conflict('A sign-off already counts for you on this version (made by your stand-in).');
  const seat = seats.find((s) => isEligible(s, open) && !counted.has(s));
  if (seat === undefined) {
    throw seats.some((s) => isEligible(s, open))
      ? conflict('The sign-off of the member you stand in for already counts.')
      : forbidden(`You are not an approver of stage ${open + 1}.`);
  }
  const record = recordFor(seat, open);
  return { record, ...outcomeOf(snapshot, [...decisions, record], ctx, { first: [], open: ['approve'] }) };
}

/**
 * After memberships change, a post under review is counted again: an approved post
 * whose sign-offs no longer make the quorum (an approver removed or demoted) goes
 * back to review, and one in review whose every stage is now satisfied (an approver
 * added back, a stage of 'all' that lost a member who had not signed) is approved.
 * Either way no post is left in review with no stage open for anyone to act on.
 */
export function reevaluate(
  post: ReviewedPost,
  decisions: readonly Decision[],
  ctx: CountingContext,
): 'reopen' | 'complete' | null {
  if ((post.status !== 'approved' && post.status !== 'in_review') || !post.snapshot) return null;
  const approved = openStageIndex(stageProgress(post.snapshot.stages, decisions, ctx)) === -1;
  if (post.status === 'approved') return approved ? null : 'reopen';
  return approved ? 'complete' : null;
}
