import { createHash } from 'node:crypto';
import {
  changedContentFields,
  contentChanges,
  contentHash,
  mediaKindOf,
  normalizedAlt,
  type PostContent,
} from './post-content';
import { parseInstant } from './scheduled-at';

describe(contentHash.name, () => {
  const base: PostContent = {
    channelId: 'c1',
    text: 'Hello',
    mediaUrls: ['https://a/1.png'],
    mediaAlt: [],
    link: null,
    contentWarning: null,
    visibility: 'public',
    language: null,
  };

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

  it('hashes a post without alt text as before alt text existed, and one with it apart', () => {
    const legacy = createHash('sha256')
      .update(JSON.stringify([base.channelId, base.text, base.mediaUrls, base.link]))
      .digest('hex');
    expect(contentHash(base)).toBe(legacy);
    expect(contentHash({ ...base, mediaAlt: ['A cup of coffee'] })).not.toBe(legacy);
  });

  it('pins the content warning, the visibility and the language, and hashes a post without them as before', () => {
    const legacy = contentHash(base);
    const shown = [{ contentWarning: 'spoilers' }, { visibility: 'direct' as const }, { language: 'fr' }].map(
      (change) => contentHash({ ...base, ...change }),
    );
    expect(new Set([legacy, ...shown]).size).toBe(4);
    expect(changedContentFields(base, { ...base, visibility: 'unlisted', language: 'fr' })).toEqual([
      'visibility',
      'language',
    ]);
  });

  it('keeps alt text per media, or none when every one is empty', () => {
    expect(normalizedAlt(['a', 'b'], [' A cup ', ''])).toEqual(['A cup', '']);
    expect(normalizedAlt(['a', 'b'], ['', '  '])).toEqual([]);
    expect(normalizedAlt(['a'], undefined)).toEqual([]);
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

describe(contentChanges.name, () => {
  const base: PostContent = {
    channelId: 'c1',
    text: 'Hi',
    mediaUrls: ['https://a/1.png'],
    mediaAlt: [],
    link: null,
    contentWarning: null,
    visibility: 'public',
    language: null,
  };
  it('lists media added and removed and a changed link, and is null for the same content', () => {
    expect(contentChanges(base, { ...base })).toBeNull();
    expect(
      contentChanges(base, { ...base, mediaUrls: ['https://a/2.jpg'], link: 'https://shop.example' }),
    ).toEqual({
      textChanged: false,
      altChanged: false,
      shownWithChanged: [],
      mediaAdded: ['https://a/2.jpg'],
      mediaRemoved: ['https://a/1.png'],
      link: { before: null, after: 'https://shop.example' },
      channelChanged: false,
    });
  });
});

describe(mediaKindOf.name, () => {
  it('tells images and videos by their extension, ignoring the query', () => {
    expect(mediaKindOf('https://cdn.example/a/b.JPG?w=200')).toBe('image');
    expect(mediaKindOf('https://cdn.example/clip.mp4')).toBe('video');
    expect(mediaKindOf('https://cdn.example/brochure.pdf')).toBe('other');
    expect(mediaKindOf('not a url')).toBe('other');
  });
});
