import { recordKeyOf } from './bluesky-publisher';

describe(recordKeyOf.name, () => {
  const created = new Date('2026-12-01T09:00:00.000Z');

  it('is a TID: 13 base32-sortable characters, the same for the same version on every try', () => {
    const key = recordKeyOf('post-1-v1', created);
    expect(key).toMatch(/^[234567a-j][234567a-z]{12}$/);
    expect(recordKeyOf('post-1-v1', created)).toBe(key);
  });

  it('differs between versions and posts, and sorts by the post’s creation time', () => {
    const keys = new Set(['post-1-v1', 'post-1-v2', 'post-2-v1'].map((k) => recordKeyOf(k, created)));
    expect(keys.size).toBe(3);
    const later = recordKeyOf('post-1-v1', new Date(created.getTime() + 1000));
    expect(later > recordKeyOf('post-1-v1', created)).toBe(true);
  });
});
