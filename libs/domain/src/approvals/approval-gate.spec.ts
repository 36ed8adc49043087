import type { MemberRole, WorkflowSnapshot } from '../workflows';
import { evaluateGate, pauseReasons, type GateInput, type GateReason } from './approval-gate';

const members: MemberRole[] = [
  { userId: 'author', role: 'editor' },
  { userId: 'legal', role: 'approver' },
  { userId: 'brand1', role: 'admin' },
  { userId: 'brand2', role: 'admin' },
];
const snapshot: WorkflowSnapshot = {
  workflowId: 'w',
  workflowVersionId: 'wv',
  version: 1,
  stages: [
    { name: 'legal', approvers: { userIds: ['legal'], roles: [] }, required: 1 },
    { name: 'brand', approvers: { userIds: [], roles: ['admin'] }, required: 2 },
  ],
  options: { scheduleChangeResetsApprovals: false, maxLatenessMinutes: 15, emergency: false },
};
const T = new Date('2027-01-01T10:00:00Z');

function input(over: Partial<GateInput> = {}): GateInput {
  return {
    post: { status: 'approved', version: 3, scheduledAt: T },
    jobVersion: 3,
    snapshot,
    decisions: [
      { userId: 'legal', stageIndex: 0, version: 3, decision: 'approve' },
      { userId: 'brand1', stageIndex: 1, version: 3, decision: 'approve' },
      { userId: 'brand2', stageIndex: 1, version: 3, decision: 'approve' },
    ],
    counting: { excluded: new Set(['author']), members },
    workspace: { paused: false },
    channel: { paused: false },
    contentViolations: [],
    now: new Date(T.getTime() + 1000),
    ...over,
  };
}
const codes = (i: GateInput): string[] => {
  const r = evaluateGate(i);
  return r.ok ? [] : r.reasons.map((x: GateReason) => x.code);
};

describe(evaluateGate.name, () => {
  it('opens when every rule holds', () => {
    expect(evaluateGate(input())).toEqual({ ok: true });
  });

  describe('for a retry (resuming a call out that began)', () => {
    const publishing = { status: 'publishing' as const, version: 3, scheduledAt: T };
    it('asks for publishing instead of approved, and nothing else changes', () => {
      expect(evaluateGate(input({ post: publishing, resuming: true }))).toEqual({ ok: true });
      expect(codes(input({ post: publishing }))).toEqual(['not_approved']);
      expect(codes(input({ resuming: true }))).toEqual(['not_approved']);
    });
    it.each<[string, Partial<GateInput>, string]>([
      ['past the deadline', { now: new Date(T.getTime() + 15 * 60_000 + 1) }, 'too_late'],
      [
        'after an approver left',
        { counting: { excluded: new Set(['author']), members: members.slice(0, 3) } },
        'stage_unsatisfied',
      ],
      ['after the rules tightened', { contentViolations: ['text: "x"'] }, 'content_rules'],
      ['for an older version', { jobVersion: 2 }, 'stale_version'],
    ])('refuses it %s', (_why, over, code) => {
      expect(codes(input({ post: publishing, resuming: true, ...over }))).toEqual([code]);
    });
  });

  it.each<[string, Partial<GateInput>, string]>([
    ['status is not approved', { post: { status: 'in_review', version: 3, scheduledAt: T } }, 'not_approved'],
    ['the job is for an older version', { jobVersion: 2 }, 'stale_version'],
    ['there is no workflow snapshot', { snapshot: null }, 'no_workflow'],
    ['the workspace is paused', { workspace: { paused: true } }, 'workspace_paused'],
    ['the channel is paused', { channel: { paused: true } }, 'channel_paused'],
    ['a content rule fails', { contentViolations: ['blocked term "x"'] }, 'content_rules'],
    ['it is before scheduledAt', { now: new Date(T.getTime() - 1) }, 'too_early'],
    ['it is past scheduledAt + maxLateness', { now: new Date(T.getTime() + 15 * 60_000 + 1) }, 'too_late'],
  ])('refuses when %s', (_why, over, code) => {
    expect(codes(input(over))).toEqual([code]);
  });

  it('lets an emergency post through a workspace pause, but not through a channel pause nor without sign-offs', () => {
    const emergency = { ...snapshot, options: { ...snapshot.options, emergency: true } };
    expect(codes(input({ snapshot: emergency, workspace: { paused: true } }))).toEqual([]);
    expect(codes(input({ snapshot: emergency, channel: { paused: true } }))).toEqual(['channel_paused']);
    expect(codes(input({ snapshot: emergency, workspace: { paused: true }, decisions: [] }))).toEqual([
      'stage_unsatisfied',
      'stage_unsatisfied',
    ]);
  });

  it('publish-now skips the wait but not the lateness', () => {
    expect(codes(input({ now: new Date(T.getTime() - 3_600_000), skipWait: true }))).toEqual([]);
    expect(codes(input({ now: new Date(T.getTime() + 16 * 60_000), skipWait: true }))).toEqual(['too_late']);
  });

  it('does not count approvals of an older version', () => {
    const i = input();
    const old = i.decisions.map((d) => ({ ...d, version: 2 }));
    expect(codes({ ...i, decisions: old })).toEqual(['stage_unsatisfied', 'stage_unsatisfied']);
  });

  it('does not count the author, even when eligible', () => {
    const i = input({ counting: { excluded: new Set(['author', 'brand2']), members } });
    expect(codes(i)).toEqual(['stage_unsatisfied']);
  });

  it('stops counting an approver who was removed or demoted since', () => {
    expect(
      codes(
        input({
          counting: { excluded: new Set(['author']), members: members.filter((m) => m.userId !== 'legal') },
        }),
      ),
    ).toEqual(['stage_unsatisfied']);
    const demoted = members.map((m) => (m.userId === 'brand2' ? { ...m, role: 'editor' as const } : m));
    expect(codes(input({ counting: { excluded: new Set(['author']), members: demoted } }))).toEqual([
      'stage_unsatisfied',
    ]);
  });

  it('counts one person in one stage only', () => {
    const i = input();
    const twice = [
      ...i.decisions.filter((d) => d.userId !== 'brand2'),
      { userId: 'brand1', stageIndex: 1, version: 3, decision: 'approve' as const },
    ];
    expect(codes({ ...i, decisions: twice })).toEqual(['stage_unsatisfied']);
  });

  it('treats a standing rejection as a veto', () => {
    const i = input();
    expect(
      codes({
        ...i,
        decisions: [...i.decisions, { userId: 'brand2', stageIndex: 1, version: 3, decision: 'reject' }],
      }),
    ).toContain('vetoed');
  });

  it('reports every reason that applies, not only the first', () => {
    expect(codes(input({ workspace: { paused: true }, channel: { paused: true }, jobVersion: 1 }))).toEqual([
      'stale_version',
      'workspace_paused',
      'channel_paused',
    ]);
  });

  it("never opens an 'all' stage that has nobody eligible", () => {
    const allStage: WorkflowSnapshot = {
      ...snapshot,
      stages: [{ name: 'clients', approvers: { userIds: [], roles: ['reviewer'] }, required: 'all' }],
    };
    expect(codes(input({ snapshot: allStage, decisions: [] }))).toEqual(['stage_unsatisfied']);
  });
});

describe('pauseReasons', () => {
  const off = { paused: false };
  const on = { paused: true };

  it('stops ordinary posts for a workspace pause and every post for a channel pause', () => {
    expect(pauseReasons({ workspace: on, channel: off, campaign: null, emergency: false })).toEqual([
      { code: 'workspace_paused' },
    ]);
    expect(pauseReasons({ workspace: on, channel: off, campaign: null, emergency: true })).toEqual([]);
    expect(pauseReasons({ workspace: off, channel: on, campaign: null, emergency: true })).toEqual([
      { code: 'channel_paused' },
    ]);
    expect(pauseReasons({ workspace: off, channel: off, campaign: null, emergency: false })).toEqual([]);
  });

  it("holds a paused campaign's posts, emergency workflow or not", () => {
    const held = { paused: true, reason: 'recall' };
    expect(pauseReasons({ workspace: off, channel: off, campaign: held, emergency: true })).toEqual([
      { code: 'campaign_paused', reason: 'recall' },
    ]);
    expect(
      pauseReasons({
        workspace: off,
        channel: off,
        campaign: { paused: false, reason: null },
        emergency: false,
      }),
    ).toEqual([]);
  });
});
