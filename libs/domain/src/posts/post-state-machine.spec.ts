import { POST_STATUSES, type PostStatus } from './post-status';
import { canApply, INITIAL_STATUS, mustTransition, nextStatus, POST_EVENTS } from './post-state-machine';

/** Every edge of the machine, as `from --event--> to`. */
const EDGES = POST_STATUSES.flatMap((from) =>
  POST_EVENTS.flatMap((event) => {
    const to = nextStatus(from, event);
    return to ? [{ from, event, to }] : [];
  }),
);

/** The statuses reachable from `start` over the edges `allowed` lets through. */
function reachable(start: PostStatus, allowed = (_: (typeof EDGES)[number]) => true): Set<PostStatus> {
  const seen = new Set<PostStatus>([start]);
  for (let grew = true; grew;) {
    grew = false;
    for (const e of EDGES)
      if (seen.has(e.from) && !seen.has(e.to) && allowed(e)) {
        seen.add(e.to);
        grew = true;
      }
  }
  return seen;
}

describe('the post state machine', () => {
  it('reaches every status from a draft', () => {
    expect([...reachable(INITIAL_STATUS)].sort()).toEqual([...POST_STATUSES].sort());
  });

  it('lets nothing happen to a canceled or taken-down post, and nothing but a takedown to a published one', () => {
    const from = (s: PostStatus) => EDGES.filter((e) => e.from === s).map((e) => `${e.event}:${e.to}`);
    expect(from('canceled')).toEqual([]);
    expect(from('taken_down')).toEqual([]);
    expect(from('published')).toEqual(['take_down:taken_down']);
  });

  it('leaves every other status by some way to an end (nothing is stuck)', () => {
    for (const s of POST_STATUSES) {
      const ends = [...reachable(s)].filter((r) => EDGES.every((e) => e.from !== r || e.to === r));
      expect({ s, ends: ends.length > 0 }).toEqual({ s, ends: true });
    }
  });

  it('reaches publishing only from approved, by starting to publish', () => {
    const into = EDGES.filter((e) => e.to === 'publishing' && e.from !== 'publishing');
    expect(into.map((e) => `${e.from}:${e.event}`)).toEqual(['approved:start_publishing']);
  });

  it('has no way to publishing or published that bypasses approved', () => {
    const around = reachable(INITIAL_STATUS, (e) => e.to !== 'approved');
    expect(around.has('publishing')).toBe(false);
    expect(around.has('published')).toBe(false);
  });

  it('reaches approved only by completing the last stage of a review', () => {
    expect(EDGES.filter((e) => e.to === 'approved').map((e) => `${e.from}:${e.event}`)).toEqual([
      'in_review:complete',
    ]);
  });

  it('sends every edit of approved or in-review content back to review, never past it', () => {
    for (const s of ['approved', 'in_review'] as const) expect(nextStatus(s, 'edit')).toBe('in_review');
  });

  it('lets a call out end only as published, failed, blocked or expired', () => {
    const out = EDGES.filter((e) => e.from === 'publishing').map((e) => e.to);
    expect(out.sort()).toEqual(['blocked', 'expired', 'failed', 'published']);
  });

  it('answers canApply as nextStatus does, and mustTransition throws on a refused edge', () => {
    for (const s of POST_STATUSES)
      for (const e of POST_EVENTS) {
        const to = nextStatus(s, e);
        expect(canApply(s, e)).toBe(to !== null);
        if (to) expect(mustTransition(s, e)).toBe(to);
        else expect(() => mustTransition(s, e)).toThrow(`${e} is not allowed from ${s}`);
      }
  });
});
