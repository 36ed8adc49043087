import { changedContentFields, contentHash, type PostContent } from './post-content';
import { parseInstant } from './scheduled-at';

describe(contentHash.name, () => {
  const base: PostContent = { channelId: 'c1', text: 'Hello', mediaUrls: ['https://a/1.png'], link: null };

  it('is equal for equal content and differs when any content field changes', () => {
    expect(contentHash({ ...base })).toBe(contentHash(base));
    for (const change of [
      { text: 'Hello!' },
      { channelId: 'c2' },
      { mediaUrls: [] },
      { link: 'https://x' },
    ]) {
      expect(contentHash({ ...base, ...change })).not.toBe(contentHash(base));
    }
  });

  it('names the fields that changed', () => {
    expect(changedContentFields(base, { ...base, text: 'Hi', link: 'https://x' })).toEqual(['text', 'link']);
    expect(changedContentFields(base, { ...base })).toEqual([]);
  });
});

describe(parseInstant.name, () => {
  it.each([
    '2026-03-29T01:30:00+01:00',
    '2026-03-29T00:30:00Z',
    '2026-03-29T00:30Z',
    '2026-03-29T00:30:00.123-05:00',
  ])('accepts %s', (v) => expect(parseInstant(v)).toBeInstanceOf(Date));

  it.each(['2026-03-29T01:30:00', '2026-03-29', 'tomorrow', '2026-02-30T10:00:00Z', '1711675800'])(
    'refuses %s (no offset, or no date-time)',
    (v) => expect(parseInstant(v)).toBeNull(),
  );
});
