import fc from 'fast-check';
import { ROLES, type Role } from '../access';
import { DomainError } from '../errors';
import { nextStatus, transition, type PostStatus } from '../posts';
import {
  validateWorkflowStages,
  type MemberRole,
  type WorkflowSnapshot,
  type WorkflowStage,
} from '../workflows';
import { decide, reevaluate, submitForReview } from './review';
import type { Decision } from './stage-progress';

/**
 * Random histories of one post in a small workspace: edits, submissions, decisions
 * by anyone (the author, removed members, people of no stage, stale versions), role
 * changes, removals, re-adds and workflow edits. After every step: a post is
 * `approved` only if each stage of its snapshot has its quorum of distinct,
 * currently eligible, non-author, non-editor approvals of its current version —
 * recounted here by an oracle written independently of the code under test — and
 * `in_review` only if it does not (some stage is open for someone to act on).
 */
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
const AUTHOR = 'u0';

interface World {
  members: Map<string, Role>;
  workflow: WorkflowSnapshot | null;
  status: PostStatus;
  version: number;
  snapshot: WorkflowSnapshot | null;
  editors: Set<string>;
  decisions: Decision[];
}

type Action =
  | { kind: 'edit'; by: string }
  | { kind: 'submit' }
  | { kind: 'decide'; by: string; approve: boolean; stale: boolean }
  | { kind: 'role'; user: string; role: Role }
  | { kind: 'remove'; user: string }
  | { kind: 'add'; user: string; role: Role }
  | { kind: 'workflow'; stages: WorkflowStage[] };

const user = fc.constantFrom(...USERS);
const role = fc.constantFrom(...ROLES);
const stage: fc.Arbitrary<WorkflowStage> = fc.record({
  name: fc.constantFrom('legal', 'brand', 'client'),
  approvers: fc.record({
    userIds: fc.uniqueArray(user, { maxLength: 3 }),
    roles: fc.uniqueArray(fc.constantFrom<Role>('owner', 'admin', 'editor', 'approver', 'reviewer'), {
      maxLength: 2,
    }),
  }),
  required: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant('all' as const)),
});
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), by: user }),
  fc.record({ kind: fc.constant('submit' as const) }),
  fc.record({ kind: fc.constant('decide' as const), by: user, approve: fc.boolean(), stale: fc.boolean() }),
  fc.record({
    kind: fc.constant('decide' as const),
    by: user,
    approve: fc.constant(true),
    stale: fc.constant(false),
  }),
  fc.record({ kind: fc.constant('role' as const), user, role }),
  fc.record({ kind: fc.constant('remove' as const), user }),
  fc.record({ kind: fc.constant('add' as const), user, role }),
  fc.record({
    kind: fc.constant('workflow' as const),
    stages: fc.array(stage, { minLength: 1, maxLength: 3 }),
  }),
);

const memberList = (w: World): MemberRole[] => [...w.members].map(([userId, r]) => ({ userId, role: r }));
const ctxOf = (w: World) => ({
  version: w.version,
  excluded: new Set([AUTHOR, ...w.editors]),
  members: memberList(w),
});

function step(w: World, a: Action): void {
  switch (a.kind) {
    case 'edit': {
      const next = nextStatus(w.status, 'edit');
      if (!next || !w.members.has(a.by)) return;
      w.version += 1;
      w.editors = new Set([a.by]);
      transition(w, 'edit');
      return;
    }
    case 'submit': {
      const out = submitForReview(w, w.workflow, w.decisions, ctxOf(w));
      w.snapshot = out.snapshot;
      // The events must be edges of the machine and lead where the outcome says.
      expect(transition(w, ...out.events)).toBe(out.status);
      return;
    }
    case 'decide': {
      const r = w.members.get(a.by);
      if (!r) return;
      const out = decide(w, w.decisions, ctxOf(w), {
        userId: a.by,
        role: r,
        decision: a.approve ? 'approve' : 'reject',
        version: a.stale ? w.version - 1 : w.version,
        comment: 'because',
      });
      w.decisions.push(out.record);
      expect(transition(w, ...out.events)).toBe(out.status);
      return;
    }
    case 'role':
    case 'add':
    case 'remove': {
      if (a.user === AUTHOR) return;
      if (a.kind === 'add' && w.members.has(a.user)) return;
      if (a.kind === 'remove') w.members.delete(a.user);
      else w.members.set(a.user, a.role);
      const recount = reevaluate(w, w.decisions, ctxOf(w));
      if (recount) transition(w, recount);
      return;
    }
    case 'workflow': {
      if (validateWorkflowStages(a.stages, memberList(w)).length > 0) return;
      w.workflow = {
        workflowId: 'wf',
        workflowVersionId: 'v',
        version: 1,
        stages: a.stages,
        options: { scheduleChangeResetsApprovals: false, maxLatenessMinutes: 15, emergency: false },
      };
      return;
    }
  }
}

/** The oracle: a plain recount of DESIGN.md's rule 2. */
function quorumHolds(w: World): boolean {
  if (!w.snapshot || w.snapshot.stages.length === 0) return false;
  const counted = new Set<string>();
  const excluded = new Set([AUTHOR, ...w.editors]);
  for (let i = 0; i < w.snapshot.stages.length; i++) {
    const s = w.snapshot.stages[i];
    const eligible = USERS.filter((u) => {
      const r = w.members.get(u);
      return (
        r !== undefined &&
        r !== 'contributor' &&
        !excluded.has(u) &&
        (s.approvers.userIds.includes(u) || s.approvers.roles.includes(r))
      );
    });
    const approvers = new Set(
      w.decisions
        .filter((d) => d.decision === 'approve' && d.version === w.version && d.stageIndex === i)
        .map((d) => d.userId)
        .filter((u) => eligible.includes(u) && !counted.has(u)),
    );
    const required = s.required === 'all' ? eligible.length : s.required;
    if (required < 1 || approvers.size < required) return false;
    approvers.forEach((u) => counted.add(u));
  }
  return true;
}

function newWorld(roleOf: (user: string, i: number) => Role): World {
  return {
    members: new Map(USERS.map((u, i) => [u, u === AUTHOR ? 'editor' : roleOf(u, i)])),
    workflow: null,
    status: 'draft',
    version: 1,
    snapshot: null,
    editors: new Set(),
    decisions: [],
  };
}

/** A valid start: a workflow that the given role can satisfy, then a submission. */
const setup = (role: Role): Action[] => [
  { kind: 'workflow', stages: [{ name: 'one', approvers: { userIds: [], roles: [role] }, required: 1 }] },
  { kind: 'submit' },
];

/**
 * Plays `actions` (a refused one leaves the world as it was) and checks after each:
 * approved only with the full quorum, in review only without it (a stage is open
 * for someone to act on), and no counted sign-off by the author or an editor.
 */
function holdsThroughout(w: World, actions: Action[]): boolean {
  for (const a of actions) {
    try {
      step(w, a);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    if (w.status === 'approved' && !quorumHolds(w)) return false;
    if (w.status === 'in_review' && quorumHolds(w)) return false;
    const selfSigned = w.decisions.some(
      (d) =>
        d.decision === 'approve' &&
        (d.userId === AUTHOR || (d.version === w.version && w.editors.has(d.userId))),
    );
    if (selfSigned) return false;
  }
  return true;
}

describe('review rules (property)', () => {
  it('never leaves a post approved without its full quorum, nor in review with nothing left to sign, whatever happens', () => {
    fc.assert(
      fc.property(
        fc.array(role, { minLength: 6, maxLength: 6 }),
        // Half the histories start from a valid workflow and a submission, so that many reach review.
        fc.oneof(fc.constant<Action[]>([]), role.map(setup)),
        fc.array(action, { maxLength: 40 }),
        (roles, start, rest) =>
          holdsThroughout(
            newWorld((_, i) => roles[i]),
            [...start, ...rest],
          ),
      ),
      { numRuns: 3000 },
    );
  });

  it('moves a post whose quorum comes and goes with its members, never leaving it stuck in review', () => {
    const membership: fc.Arbitrary<Action> = fc.oneof(
      fc.record({ kind: fc.constant('remove' as const), user }),
      fc.record({ kind: fc.constant('add' as const), user, role }),
      fc.record({ kind: fc.constant('role' as const), user, role }),
    );
    const twoOfTwo: Action[] = [
      {
        kind: 'workflow',
        stages: [{ name: 'two', approvers: { userIds: [], roles: ['approver'] }, required: 2 }],
      },
      { kind: 'submit' },
      { kind: 'decide', by: 'u1', approve: true, stale: false },
      { kind: 'decide', by: 'u2', approve: true, stale: false },
    ];
    fc.assert(
      fc.property(fc.array(membership, { minLength: 1, maxLength: 12 }), (rest) =>
        holdsThroughout(
          newWorld((u) => (u === 'u1' || u === 'u2' ? 'approver' : 'editor')),
          [...twoOfTwo, ...rest],
        ),
      ),
      { numRuns: 2000 },
    );
  });

  it('reaches approved in some histories (the property is not vacuous)', () => {
    let approvedSeen = 0;
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (rest) => {
        const actions = [...setup('admin'), ...rest];
        const w = newWorld(() => 'admin');
        for (const a of actions) {
          try {
            step(w, a);
          } catch {
            // refused actions leave the world as it was
          }
          if (w.status === 'approved') approvedSeen += 1;
        }
      }),
      { numRuns: 2000 },
    );
    expect(approvedSeen).toBeGreaterThan(0);
  });
});
