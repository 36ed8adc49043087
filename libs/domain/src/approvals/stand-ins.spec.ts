import fc from 'fast-check';
import { DomainError } from '../errors';
import type { MemberRole, WorkflowSnapshot } from '../workflows';
import { decide, type ReviewedPost } from './review';
import { stageProgress, type CountingContext, type Decision } from './stage-progress';

const snapshot: WorkflowSnapshot = {
  workflowId: 'w',
  workflowVersionId: 'wv',
  version: 1,
  options: { maxLatenessMinutes: 15, scheduleChangeResetsApprovals: false, emergency: false },
  stages: [
    { name: 'Legal', approvers: { userIds: ['maya'], roles: [] }, required: 1 },
    { name: 'Brand', approvers: { userIds: ['ben', 'maya', 'dana'], roles: [] }, required: 2 },
  ],
};
const members: MemberRole[] = [
  { userId: 'author', role: 'editor' },
  { userId: 'maya', role: 'approver' },
  { userId: 'ben', role: 'approver' },
  { userId: 'dana', role: 'approver' },
  { userId: 'sam', role: 'approver' },
  { userId: 'agency', role: 'contributor' },
];
const post: ReviewedPost = { status: 'in_review', version: 1, snapshot };
const ctx = (over: Partial<CountingContext> = {}): CountingContext => ({
  version: 1,
  excluded: new Set(['author']),
  members,
  ...over,
});
const approve = (userId: string, more: Partial<Parameters<typeof decide>[3]> = {}) => ({
  userId,
  role: 'approver' as const,
  decision: 'approve' as const,
  version: 1,
  ...more,
});
const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('stand-in approvers', () => {
  it("counts a stand-in's sign-off as the member's, in the member's stage", () => {
    const out = decide(post, [], ctx(), approve('sam', { standsInFor: ['maya'] }));
    expect(out.record).toEqual({
      userId: 'sam',
      onBehalfOf: 'maya',
      stageIndex: 0,
      version: 1,
      decision: 'approve',
    });
    const [legal] = stageProgress(snapshot.stages, [out.record], ctx());
    expect(legal).toMatchObject({ approvedBy: ['sam'], onBehalfOf: { sam: 'maya' }, satisfied: true });
  });

  it('signs as themself when they can, and never counts one human twice', () => {
    const legal: Decision = { userId: 'maya', stageIndex: 0, version: 1, decision: 'approve' };
    // Dana stands in for Ben, but is a Brand approver herself: her one sign-off is hers.
    const dana = decide(post, [legal], ctx(), approve('dana', { standsInFor: ['ben'] }));
    expect(dana.record.onBehalfOf).toBeUndefined();
    // A second decision of hers, for Ben, is refused: one human, one sign-off.
    expect(
      refusal(() =>
        decide(
          post,
          [legal, dana.record],
          ctx(),
          approve('dana', { onBehalfOf: 'ben', standsInFor: ['ben'] }),
        ),
      ),
    ).toMatch(/already decided/);
    // Stored anyway (say, by an older version of the code): still counted once.
    const both = stageProgress(
      snapshot.stages,
      [
        legal,
        dana.record,
        { userId: 'dana', onBehalfOf: 'ben', stageIndex: 1, version: 1, decision: 'approve' },
      ],
      ctx(),
    );
    expect(both[1]).toMatchObject({ approvedBy: ['dana'], satisfied: false });
  });

  it("fills a member's seat once: not for a member who signed, and not by the member after a stand-in did", () => {
    const forMaya = decide(post, [], ctx(), approve('sam', { standsInFor: ['maya'] })).record;
    expect(refusal(() => decide(post, [forMaya], ctx(), approve('maya')))).toMatch(/already counts for you/);
    const mayaHerself: Decision = { userId: 'maya', stageIndex: 0, version: 1, decision: 'approve' };
    expect(
      refusal(() => decide(post, [mayaHerself], ctx(), approve('sam', { standsInFor: ['maya'] }))),
    ).toMatch(/not an approver of stage 2/);
  });

  it('never lets the author or an editor stand in, nor stand in for them, nor for someone not delegating', () => {
    expect(refusal(() => decide(post, [], ctx(), approve('author', { standsInFor: ['maya'] })))).toMatch(
      /author/,
    );
    expect(
      refusal(() =>
        decide(
          post,
          [],
          ctx({ excluded: new Set(['author', 'maya']) }),
          approve('sam', { standsInFor: ['maya'] }),
        ),
      ),
    ).toMatch(/not an approver/);
    expect(refusal(() => decide(post, [], ctx(), approve('sam', { onBehalfOf: 'maya' })))).toMatch(
      /do not stand in/,
    );
  });

  it('stops counting a sign-off once its stand-in is no member, or became an editor of the version', () => {
    const forMaya: Decision = {
      userId: 'sam',
      onBehalfOf: 'maya',
      stageIndex: 0,
      version: 1,
      decision: 'approve',
    };
    expect(stageProgress(snapshot.stages, [forMaya], ctx())[0].satisfied).toBe(true);
    const gone = members.filter((m) => m.userId !== 'sam');
    expect(stageProgress(snapshot.stages, [forMaya], ctx({ members: gone }))[0].satisfied).toBe(false);
    expect(
      stageProgress(snapshot.stages, [forMaya], ctx({ excluded: new Set(['author', 'sam']) }))[0].satisfied,
    ).toBe(false);
  });

  it('counts no human and no seat twice, whatever decisions are stored', () => {
    const people = members.map((m) => m.userId);
    const decision = fc
      .record({
        userId: fc.constantFrom(...people),
        onBehalfOf: fc.option(fc.constantFrom(...people), { nil: undefined }),
        stageIndex: fc.constantFrom(0, 1),
        version: fc.constant(1),
        decision: fc.constantFrom('approve' as const, 'reject' as const),
      })
      .filter((d) => d.onBehalfOf !== d.userId); // the database refuses a decision for oneself
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 12 }), fc.subarray(people), (decisions, excludedIds) => {
        const c = ctx({ excluded: new Set(['author', ...excludedIds]) });
        const progress = stageProgress(snapshot.stages, decisions, c);
        const everyone = progress.flatMap((s) => [...s.approvedBy, ...Object.values(s.onBehalfOf)]);
        expect(new Set(everyone).size).toBe(everyone.length);
        for (const s of progress) {
          for (const signer of s.approvedBy) {
            expect(c.excluded.has(signer)).toBe(false);
            expect(c.excluded.has(s.onBehalfOf[signer] ?? signer)).toBe(false);
            expect(members.find((m) => m.userId === signer)?.role).not.toBe('contributor');
          }
        }
      }),
    );
  });
});
