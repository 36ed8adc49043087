import { exhaustedUntil, retryAtOf } from './network-api';

describe(retryAtOf.name, () => {
  const now = Date.parse('2026-12-04T10:00:00.000Z');

  it("reads each network's way of saying when: Retry-After, Mastodon's ISO reset, Bluesky's Unix seconds", () => {
    expect(retryAtOf({ 'retry-after': '30' }, now).toISOString()).toBe('2026-12-04T10:00:30.000Z');
    expect(retryAtOf({ 'x-ratelimit-reset': '2026-12-04T10:05:00.000Z' }, now).toISOString()).toBe(
      '2026-12-04T10:05:00.000Z',
    );
    expect(retryAtOf({ 'ratelimit-reset': String(now / 1000 + 90) }, now).toISOString()).toBe(
      '2026-12-04T10:01:30.000Z',
    );
  });

  it('waits a minute when the answer says nothing usable, and never waits into the past', () => {
    expect(retryAtOf({}, now).getTime()).toBe(now + 60_000);
    expect(retryAtOf({ 'x-ratelimit-reset': 'soon' }, now).getTime()).toBe(now + 60_000);
    expect(retryAtOf({ 'x-ratelimit-reset': '2026-12-04T09:00:00.000Z' }, now).getTime()).toBe(now);
  });
});

describe(exhaustedUntil.name, () => {
  it('is the reset only when no call is left in the window', () => {
    const reset = new Date(Date.now() + 60_000).toISOString();
    expect(exhaustedUntil({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })?.toISOString()).toBe(
      reset,
    );
    expect(exhaustedUntil({ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': reset })).toBeNull();
    expect(exhaustedUntil({})).toBeNull();
  });
});
