import { NO_CONTENT_RULES, type PatternMatcher } from '../content';
import type { MemberRole, WorkflowSnapshot } from '../workflows';
import {
  decidePublish,
  finished,
  gateFor,
  type PublishCandidate,
  type PublishClock,
  type PublishDecision,
} from './publish-decision';

const members: MemberRole[] = [
  { userId: 'author', role: 'editor' },
  { userId: 'legal', role: 'approver' },
  { userId: 'brand', role: 'admin' },
];
const snapshot = (emergency = false): WorkflowSnapshot => ({
  workflowId: 'w',
  workflowVersionId: 'wv',
  version: 1,
  stages: [
    { name: 'legal', approvers: { userIds: ['legal'], roles: [] }, required: 1 },
    { name: 'brand', approvers: { userIds: [], roles: ['admin'] }, required: 1 },
  ],
  options: { scheduleChangeResetsApprovals: false, maxLatenessMinutes: 15, emergency },
});
const T = new Date('2027-01-01T10:00:00Z');
const LEASE_MS = 60_000;
const matcher: PatternMatcher = (pattern, text) => new RegExp(pattern, 'iu').test(text);
const at = (ms: number): PublishClock => ({ now: new Date(T.getTime() + ms), leaseMs: LEASE_MS, matcher });
const job = { workspaceId: 'ws', version: 3 };

function candidate(over: {
  post?: Partial<PublishCandidate['post']>;
  members?: MemberRole[];
  rest?: Partial<Omit<PublishCandidate, 'post'>>;
}): PublishCandidate {
  return {
    post: {
      id: 'p',
      workspaceId: 'ws',
      status: 'approved',
      version: 3,
      text: 'Spring is here',
      mediaUrls: [],
      link: null,
      scheduledAt: T,
      publishingStartedAt: null,
      ...over.post,
    },
    review: {
      snapshot: snapshot(),
      decisions: [
        { userId: 'legal', stageIndex: 0, version: 3, decision: 'approve' },
        { userId: 'brand', stageIndex: 1, version: 3, decision: 'approve' },
      ],
      ctx: { excluded: new Set(['author']), members: over.members ?? members },
    },
    workspacePaused: false,
    channel: { paused: false, network: 'x' },
    contentRules: NO_CONTENT_RULES,
    lastAttempt: null,
    ...over.rest,
  };
}
/** A post whose call out began `ago` ms before `at(0)`, its last try answered `outcome` at that start. */
const publishing = (ago: number, outcome: string | null, over: Parameters<typeof candidate>[0] = {}) => {
  const started = new Date(T.getTime() - ago);
  return candidate({
    ...over,
    post: { status: 'publishing', publishingStartedAt: started, ...over.post },
    rest: { lastAttempt: outcome ? { outcome, createdAt: started } : null, ...over.rest },
  });
};
const reasonsOf = (d: PublishDecision) => (d.kind === 'refused' ? d.reasons.map((r) => r.code) : []);

describe(decidePublish.name, () => {
  it('lets a first try go, moving approved to publishing, with the deadline of the workflow', () => {
    expect(decidePublish(candidate({}), job, at(1000))).toEqual({
      kind: 'go',
      change: { from: 'approved', event: 'start_publishing', to: 'publishing' },
      deadline: new Date(T.getTime() + 15 * 60_000),
    });
  });

  it('sends a job that came early back to wait, without a change', () => {
    expect(decidePublish(candidate({}), job, at(-5000))).toEqual({ kind: 'early', at: T });
  });

  it.each([
    ['a job of another version (the post was edited)', candidate({ post: { version: 4 } })],
    ['a job of another workspace', candidate({ post: { workspaceId: 'other' } })],
    ['a canceled post', candidate({ post: { status: 'canceled' } })],
    ['a post back in review', candidate({ post: { status: 'in_review' } })],
    ['a call out in flight (the lease is young, no retry asked for)', publishing(1000, null)],
  ])('does nothing for %s', (_, c) => {
    expect(decidePublish(c, job, at(1000))).toEqual({ kind: 'stale' });
  });

  it('does nothing for a published post (a duplicate job)', () => {
    expect(decidePublish(candidate({ post: { status: 'published' } }), job, at(1000))).toEqual({
      kind: 'already',
    });
  });

  describe('a retry (the post is publishing already)', () => {
    it('goes again after an answer of "retry later", only renewing the lease', () => {
      expect(decidePublish(publishing(1000, 'retry'), job, at(1000))).toMatchObject({
        kind: 'go',
        change: { from: 'publishing', event: null, to: 'publishing' },
      });
    });

    it('goes for a stalled job taken over, once its worker is silent past half the lease', () => {
      expect(decidePublish(publishing(LEASE_MS / 2 + 1, null), job, at(0)).kind).toBe('go');
      expect(decidePublish(publishing(LEASE_MS / 2 - 1, null), job, at(0)).kind).toBe('stale');
    });

    it('expires past the deadline instead of calling again', () => {
      const d = decidePublish(publishing(1000, 'retry'), job, at(15 * 60_000 + 1));
      expect(d).toMatchObject({ kind: 'refused', change: { from: 'publishing', to: 'expired' } });
      expect(reasonsOf(d)).toEqual(['too_late']);
    });

    it('is blocked after an approver was removed', () => {
      const without = members.filter((m) => m.userId !== 'legal');
      const d = decidePublish(publishing(1000, 'retry', { members: without }), job, at(1000));
      expect(d).toMatchObject({ kind: 'refused', change: { from: 'publishing', to: 'blocked' } });
      expect(reasonsOf(d)).toEqual(['stage_unsatisfied']);
    });

    it('is blocked by a pause that came after the first try', () => {
      const d = decidePublish(publishing(1000, 'retry', { rest: { workspacePaused: true } }), job, at(1000));
      expect(reasonsOf(d)).toEqual(['workspace_paused']);
    });
  });

  it('blocks a post whose content breaks rules that tightened after the sign-offs', () => {
    const rules = { ...NO_CONTENT_RULES, blockedTerms: ['spring'] };
    const d = decidePublish(candidate({ rest: { contentRules: rules } }), job, at(1000));
    expect(d).toMatchObject({ kind: 'refused', change: { from: 'approved', to: 'blocked' } });
    expect(reasonsOf(d)).toEqual(['content_rules']);
  });

  it('expires rather than blocks when the post is both late and refused otherwise', () => {
    const d = decidePublish(candidate({ rest: { workspacePaused: true } }), job, at(16 * 60_000));
    expect(d).toMatchObject({ change: { to: 'expired' } });
    expect(reasonsOf(d)).toEqual(['workspace_paused', 'too_late']);
  });

  describe('an emergency post during a pause', () => {
    const emergency = (over: Partial<Omit<PublishCandidate, 'post'>>) => {
      const c = candidate({ rest: { workspacePaused: true, ...over } });
      return { ...c, review: { ...c.review, snapshot: snapshot(true) } };
    };
    it('goes while the workspace is paused', () => {
      expect(decidePublish(emergency({}), job, at(1000)).kind).toBe('go');
    });
    it('never past a paused channel', () => {
      const d = decidePublish(emergency({ channel: { paused: true, network: 'x' } }), job, at(1000));
      expect(reasonsOf(d)).toEqual(['channel_paused']);
    });
    it('never without its sign-offs', () => {
      const c = emergency({});
      const d = decidePublish({ ...c, review: { ...c.review, decisions: [] } }, job, at(1000));
      expect(reasonsOf(d)).toEqual(['stage_unsatisfied', 'stage_unsatisfied']);
    });
  });
});

describe(gateFor.name, () => {
  it('for publish-now: skips the wait and nothing else', () => {
    const how = { jobVersion: 3, now: at(-60_000).now, matcher };
    expect(gateFor(candidate({}), { ...how, skipWait: true })).toEqual({ ok: true });
    expect(gateFor(candidate({}), how)).toMatchObject({ ok: false, reasons: [{ code: 'too_early' }] });
    const draft = gateFor(candidate({ post: { status: 'draft' } }), { ...how, skipWait: true });
    expect(draft).toMatchObject({ ok: false, reasons: [{ code: 'not_approved', status: 'draft' }] });
  });
});

describe(finished.name, () => {
  it('ends a call out published or failed', () => {
    expect(finished('published')).toEqual({ from: 'publishing', event: 'published', to: 'published' });
    expect(finished('failed')).toEqual({ from: 'publishing', event: 'publish_failed', to: 'failed' });
  });
});
