import { POST_STATUSES, type PostStatus } from './post-status';
import { canApply, nextStatus, POST_EVENTS, type PostEvent } from './post-state-machine';

/** The life cycle of DESIGN.md, written out independently of the implementation's table. */
const EXPECTED: Record<PostStatus, Partial<Record<PostEvent, PostStatus>>> = {
  draft: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  in_review: {
    approve: 'in_review',
    complete: 'approved',
    reject: 'changes_requested',
    edit: 'in_review',
    cancel: 'canceled',
    expire: 'expired',
  },
  changes_requested: { submit: 'in_review', edit: 'changes_requested', cancel: 'canceled' },
  approved: {
    reject: 'changes_requested',
    reopen: 'in_review',
    edit: 'in_review',
    cancel: 'canceled',
    start_publishing: 'publishing',
    block: 'blocked',
    expire: 'expired',
  },
  publishing: { published: 'published', publish_failed: 'failed', block: 'blocked', expire: 'expired' },
  published: { take_down: 'taken_down' },
  failed: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  blocked: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  expired: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  canceled: {},
  taken_down: {},
};

describe(nextStatus.name, () => {
  const cases = POST_STATUSES.flatMap((s) => POST_EVENTS.map((e) => [s, e, EXPECTED[s][e] ?? null] as const));

  it.each(cases)('%s --%s--> %s', (status, event, expected) => {
    expect(nextStatus(status, event)).toBe(expected);
    expect(canApply(status, event)).toBe(expected !== null);
  });

  it('reaches publishing only from approved', () => {
    const into = POST_STATUSES.filter((s) => POST_EVENTS.some((e) => nextStatus(s, e) === 'publishing'));
    expect(into).toEqual(['approved']);
  });

  it('reaches approved only by completing the last stage of a review', () => {
    const edges = POST_STATUSES.flatMap((s) =>
      POST_EVENTS.filter((e) => nextStatus(s, e) === 'approved').map((e) => `${s}:${e}`),
    );
    expect(edges).toEqual(['in_review:complete']);
  });

  it('lets nothing happen to a canceled or taken-down post, and nothing but a takedown to a published one', () => {
    for (const e of POST_EVENTS) {
      expect(nextStatus('canceled', e)).toBeNull();
      expect(nextStatus('taken_down', e)).toBeNull();
      expect(nextStatus('published', e)).toBe(e === 'take_down' ? 'taken_down' : null);
    }
  });
});
